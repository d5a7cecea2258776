import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Fact, PackageFact } from '../fact.ts';
import { dotnetDepsAnalyzer, nugetLockAnalyzer, nugetPackagesConfigAnalyzer } from './analyzers.ts';
import { parseXml } from './xml.ts';

const layer = { index: 0, digest: 'sha256:' + '0'.repeat(64), diffId: undefined, createdBy: undefined };
const context = { layer, signal: new AbortController().signal };

async function run(
  analyzer: typeof dotnetDepsAnalyzer,
  path: string,
  text: string,
): Promise<readonly Fact[]> {
  const content = Buffer.from(text);
  return analyzer.analyze({ path, size: content.length, mode: 0o100644, content }, context);
}

function packages(facts: readonly Fact[]): PackageFact[] {
  return facts.filter((fact): fact is PackageFact => fact.kind === 'package');
}

describe('NuGet analyzers', () => {
  it('reads packages.config with entities, comments and a BOM; development dependencies carry dev', async () => {
    const text =
      '\ufeff<?xml version="1.0" encoding="utf-8"?>\r\n<!-- restored by nuget.exe -->\r\n<packages>\r\n' +
      '  <package id="Newtonsoft.Json" version="13.0.3" targetFramework="net472" allowedVersions="[13,14)" />\r\n' +
      '  <package id="Microsoft.Net.Compilers" version="4.2.0" developmentDependency="true" />\r\n' +
      '  <package id="A&amp;B" version="1.0.0"></package>\r\n</packages>\r\n';
    const facts = packages(await run(nugetPackagesConfigAnalyzer, 'src/App/packages.config', text));
    assert.deepEqual(
      facts.map((fact) => fact.pkg),
      [
        {
          ecosystem: 'nuget',
          name: 'Newtonsoft.Json',
          version: '13.0.3',
          purl: 'pkg:nuget/Newtonsoft.Json@13.0.3',
          licenses: [],
        },
        {
          ecosystem: 'nuget',
          name: 'Microsoft.Net.Compilers',
          version: '4.2.0',
          purl: 'pkg:nuget/Microsoft.Net.Compilers@4.2.0',
          licenses: [],
          dev: true,
        },
        { ecosystem: 'nuget', name: 'A&B', version: '1.0.0', purl: 'pkg:nuget/A%26B@1.0.0', licenses: [] },
      ],
    );
  });

  it('rejects malformed XML the way NuGet does', () => {
    for (const text of [
      '<packages>',
      '<packages><package id="a" version="1"></packages>',
      '<packages></packages><packages/>',
      '<packages a="1" a="2"/>',
      '<!DOCTYPE packages [<!ENTITY x "y">]><packages/>',
      '<packages>&unknown;</packages>',
      'text',
    ]) {
      assert.equal(parseXml(text).ok, false, text);
    }
    assert.equal(parseXml('<a b="x > y"><c/><![CDATA[<d>]]></a>').ok, true);
    const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
    assert.equal(parseXml(deep).ok, false);
  });

  it('reads packages.lock.json across target frameworks, each package once, projects left out', async () => {
    const text = JSON.stringify({
      version: 1,
      dependencies: {
        'net6.0': {
          Serilog: { type: 'Direct', requested: '[3.1.1, )', resolved: '3.1.1' },
          'My.Library': { type: 'Project' },
          'System.Text.Json': { type: 'CentralTransitive', requested: '[8.0.0, )', resolved: '8.0.0' },
        },
        'net8.0': { Serilog: { type: 'Direct', requested: '[3.1.1, )', resolved: '3.1.1' } },
      },
    });
    const facts = packages(await run(nugetLockAnalyzer, 'src/App/packages.lock.json', text));
    assert.deepEqual(
      facts.map((fact) => fact.pkg.purl),
      ['pkg:nuget/Serilog@3.1.1', 'pkg:nuget/System.Text.Json@8.0.0'],
    );
    assert.equal(facts[0]?.origin, 'lockfile');
  });

  it('reads a deps.json as installed metadata', async () => {
    const text = JSON.stringify({
      runtimeTarget: { name: '.NETCoreApp,Version=v8.0' },
      targets: {
        '.NETCoreApp,Version=v8.0': { 'Dapper/2.1.24': { runtime: { 'lib/net7.0/Dapper.dll': {} } } },
      },
      libraries: {
        'Dapper/2.1.24': { type: 'package' },
        'Odd/1.0.0': { type: 'reference' },
        NoSlash: { type: 'package' },
      },
    });
    const facts = packages(await run(dotnetDepsAnalyzer, 'app/App.deps.json', text));
    assert.deepEqual(
      facts.map((fact) => [fact.pkg.purl, fact.origin]),
      [['pkg:nuget/Dapper@2.1.24', 'installed']],
    );
  });

  it('never throws on arbitrary input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json({ maxDepth: 6 }), fc.string({ maxLength: 200 }), async (json, text) => {
        assert.ok(Array.isArray(await run(dotnetDepsAnalyzer, 'a.deps.json', json)));
        assert.ok(Array.isArray(await run(nugetLockAnalyzer, 'packages.lock.json', json)));
        assert.ok(
          Array.isArray(
            await run(dotnetDepsAnalyzer, 'a.deps.json', `{"libraries":${json},"targets":${json}}`),
          ),
        );
        assert.ok(
          Array.isArray(
            await run(nugetPackagesConfigAnalyzer, 'packages.config', `<packages>${text}</packages>`),
          ),
        );
      }),
      { numRuns: 1000 },
    );
  });
});
