import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact, PackageFact } from '../fact.ts';
import { pythonInstalledAnalyzer } from './installed-analyzer.ts';
import { pipfileLockAnalyzer } from './pipfile-lock-analyzer.ts';
import { poetryLockAnalyzer } from './poetry-lock-analyzer.ts';
import { isRequirementsFile, requirementsAnalyzer } from './requirements-analyzer.ts';
import { zipOf } from './zip-fixture.ts';

const layer = {
  index: 1,
  digest: 'sha256:' + 'b'.repeat(64),
  diffId: undefined,
  createdBy: 'RUN pip install',
};

async function analyze(
  analyzer: EachFileAnalyzer,
  path: string,
  content: string | Buffer,
): Promise<readonly Fact[]> {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return analyzer.analyze(
    { path, size: bytes.length, mode: 0o100644, content: bytes },
    { layer, signal: new AbortController().signal },
  );
}

function packagesOf(facts: readonly Fact[]): PackageFact[] {
  return facts.filter((fact): fact is PackageFact => fact.kind === 'package');
}

const metadata = [
  'Metadata-Version: 2.1',
  'Name: PyYAML',
  'Version: 6.0',
  'License: MIT',
  'Classifier: License :: OSI Approved :: MIT License',
  '',
  'Name: not-this',
].join('\n');

describe('python installed analyzer', () => {
  it('wants dist-info, egg-info and egg metadata by suffix', () => {
    const suffixes = pythonInstalledAnalyzer.wants.suffixes ?? [];
    const wanted = (path: string) => suffixes.some((suffix) => path.endsWith(suffix));
    assert.ok(wanted('usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA'));
    assert.ok(wanted('usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO'));
    assert.ok(wanted('usr/lib/python3/dist-packages/distlib-0.3.1-py3.9.egg-info'));
    assert.ok(wanted('usr/lib/python3.6/site-packages/foo-1.0-py3.6.egg/EGG-INFO/PKG-INFO'));
    assert.ok(wanted('usr/lib/python3.6/site-packages/foo-1.0-py3.6.egg'));
    assert.ok(!wanted('app/PKG-INFO'));
  });

  it('reports a dist-info package with its normalised purl, licences, layer and path', async () => {
    const path = 'usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA';
    assert.deepEqual(await analyze(pythonInstalledAnalyzer, path, metadata), [
      {
        kind: 'package',
        layer,
        path,
        origin: 'installed',
        pkg: {
          ecosystem: 'pypi',
          name: 'PyYAML',
          version: '6.0',
          purl: 'pkg:pypi/pyyaml@6.0',
          licenses: ['MIT License'],
        },
      },
    ]);
    const [dotted] = packagesOf(
      await analyze(
        pythonInstalledAnalyzer,
        'x/lazr.uri-1.0.6.egg-info/PKG-INFO',
        'Name: lazr.uri\nVersion: 1.0.6\n',
      ),
    );
    assert.equal(dotted?.pkg.purl, 'pkg:pypi/lazr-uri@1.0.6');
  });

  it('reads EGG-INFO/PKG-INFO out of a zipped egg', async () => {
    const egg = zipOf({
      'foo/__init__.py': 'x = 1\n',
      'EGG-INFO/PKG-INFO': 'Metadata-Version: 1.1\nName: foo\nVersion: 1.0\n',
    });
    const [foo] = packagesOf(await analyze(pythonInstalledAnalyzer, 'site-packages/foo-1.0-py3.11.egg', egg));
    assert.equal(foo?.pkg.purl, 'pkg:pypi/foo@1.0');
    const [missing] = await analyze(
      pythonInstalledAnalyzer,
      'site-packages/bar.egg',
      zipOf({ 'bar.py': '' }),
    );
    assert.ok(missing?.kind === 'diagnostic' && missing.message.includes('no EGG-INFO/PKG-INFO'));
    const truncated = egg.subarray(0, egg.length - 30);
    const [damaged] = await analyze(pythonInstalledAnalyzer, 'site-packages/foo.egg', truncated);
    assert.equal(damaged?.kind, 'diagnostic');
  });

  it('reports metadata without a name or version as a parse error', async () => {
    const [fact] = await analyze(
      pythonInstalledAnalyzer,
      'x/a.dist-info/METADATA',
      'Metadata-Version: 2.1\nName: a\n',
    );
    assert.ok(
      fact?.kind === 'diagnostic' && fact.code === 'parse_error' && fact.source === 'python-installed',
    );
  });
});

describe('python lock analyzers', () => {
  it('reads requirements files by name, pins only, not inside installed packages', async () => {
    assert.ok(isRequirementsFile('app/requirements.txt'));
    assert.ok(isRequirementsFile('app/requirements-dev.txt'));
    assert.ok(!isRequirementsFile('app/requirements.in'));
    assert.ok(!isRequirementsFile('app/dev-requirements.txt'));
    const text = 'Django==4.2.1 --hash=sha256:00\nrequests>=2\nPyYAML == 6.0 ; python_version > "3"\n';
    const facts = packagesOf(await analyze(requirementsAnalyzer, 'app/requirements.txt', text));
    assert.deepEqual(
      facts.map((fact) => [fact.pkg.name, fact.pkg.purl, fact.origin]),
      [
        ['Django', 'pkg:pypi/django@4.2.1', 'lockfile'],
        ['PyYAML', 'pkg:pypi/pyyaml@6.0', 'lockfile'],
      ],
    );
    assert.deepEqual(
      await analyze(requirementsAnalyzer, 'usr/lib/python3/site-packages/x/requirements.txt', text),
      [],
    );
  });

  it('reads poetry.lock and Pipfile.lock with their development flags', async () => {
    const poetry =
      '[[package]]\nname = "a"\nversion = "1.0"\ngroups = ["dev"]\n\n[[package]]\nname = "b"\nversion = "2.0"\ngroups = ["main", "dev"]\n';
    assert.deepEqual(
      packagesOf(await analyze(poetryLockAnalyzer, 'app/poetry.lock', poetry)).map((fact) => [
        fact.pkg.purl,
        fact.pkg.dev,
      ]),
      [
        ['pkg:pypi/a@1.0', true],
        ['pkg:pypi/b@2.0', false],
      ],
    );
    const pipfile = JSON.stringify({
      default: { a: { version: '==1.0' } },
      develop: { a: { version: '==1.0' }, c: { version: '==3.0' } },
    });
    assert.deepEqual(
      packagesOf(await analyze(pipfileLockAnalyzer, 'app/Pipfile.lock', pipfile)).map((fact) => [
        fact.pkg.purl,
        fact.pkg.dev,
      ]),
      [
        ['pkg:pypi/a@1.0', false],
        ['pkg:pypi/c@3.0', true],
      ],
    );
    const [broken] = await analyze(poetryLockAnalyzer, 'app/poetry.lock', '[[package]\nname = ');
    assert.ok(broken?.kind === 'diagnostic' && broken.code === 'parse_error');
  });
});
