import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact, PackageFact } from '../fact.ts';
import { npmInstalledAnalyzer } from './installed-analyzer.ts';
import { npmLockAnalyzer } from './package-lock-analyzer.ts';
import { pnpmLockAnalyzer } from './pnpm-lock-analyzer.ts';
import { yarnLockAnalyzer } from './yarn-lock-analyzer.ts';

const layer = { index: 2, digest: 'sha256:' + 'a'.repeat(64), diffId: undefined, createdBy: 'RUN npm ci' };

async function analyze(
  analyzer: EachFileAnalyzer,
  path: string,
  text: string | Buffer,
): Promise<readonly Fact[]> {
  const content = typeof text === 'string' ? Buffer.from(text) : text;
  return analyzer.analyze(
    { path, size: content.length, mode: 0o100644, content },
    { layer, signal: new AbortController().signal },
  );
}

function packagesOf(facts: readonly Fact[]): PackageFact[] {
  return facts.filter((fact): fact is PackageFact => fact.kind === 'package');
}

describe('npm installed analyzer', () => {
  it('wants only manifests directly inside node_modules/<name>/ or node_modules/@scope/<name>/', () => {
    const wants = (path: string) => npmInstalledAnalyzer.wants.match?.(path, 100, 0o100644) ?? false;
    assert.ok(wants('usr/lib/node_modules/npm/package.json'));
    assert.ok(wants('app/node_modules/@babel/code-frame/package.json'));
    assert.ok(wants('app/node_modules/express/node_modules/debug/package.json'));
    assert.ok(wants('app/node_modules/.pnpm/lodash@4.17.21/node_modules/lodash/package.json'));
    assert.ok(!wants('app/package.json'));
    assert.ok(!wants('app/node_modules/resolve/test/resolver/baz/package.json'));
    assert.ok(!wants('app/node_modules/@babel/package.json'));
    assert.ok(!wants('app/node_modules/.bin/package.json'));
    assert.ok(!wants('app/my_node_modules/x/package.json'));
    assert.ok(!wants('app/node_modules/x/package.json.bak'));
  });

  it('reports name, version, licences and purl with the layer and path', async () => {
    const path = 'app/node_modules/@babel/code-frame/package.json';
    const facts = await analyze(
      npmInstalledAnalyzer,
      path,
      JSON.stringify({ name: '@babel/code-frame', version: '7.24.7', license: 'MIT', description: 'x' }),
    );
    assert.deepEqual(facts, [
      {
        kind: 'package',
        layer,
        path,
        origin: 'installed',
        pkg: {
          ecosystem: 'npm',
          name: '@babel/code-frame',
          version: '7.24.7',
          purl: 'pkg:npm/%40babel/code-frame@7.24.7',
          licenses: ['MIT'],
        },
      },
    ]);
  });

  it('reads legacy licence forms and uses the manifest name, not the folder (aliases)', async () => {
    const [tv4] = packagesOf(
      await analyze(
        npmInstalledAnalyzer,
        'node_modules/tv4-alias/package.json',
        JSON.stringify({
          name: 'tv4',
          version: '1.3.0',
          licenses: [{ type: 'Public Domain' }, { type: 'MIT' }],
        }),
      ),
    );
    assert.equal(tv4?.pkg.name, 'tv4');
    assert.deepEqual(tv4?.pkg.licenses, ['Public Domain', 'MIT']);
    const [typed] = packagesOf(
      await analyze(
        npmInstalledAnalyzer,
        'node_modules/a/package.json',
        '{"name":"a","version":"1.0.0","license":{"type":"ISC"}}',
      ),
    );
    assert.deepEqual(typed?.pkg.licenses, ['ISC']);
  });

  it('skips manifests without name or version and reports broken ones', async () => {
    assert.deepEqual(await analyze(npmInstalledAnalyzer, 'node_modules/a/package.json', '{"name":"a"}'), []);
    assert.deepEqual(
      await analyze(npmInstalledAnalyzer, 'node_modules/a/package.json', '{"version":"1.0.0"}'),
      [],
    );
    const [broken] = await analyze(npmInstalledAnalyzer, 'node_modules/a/package.json', '{"name" "a"}');
    assert.equal(broken?.kind, 'diagnostic');
    assert.ok(
      broken?.kind === 'diagnostic' &&
        broken.code === 'parse_error' &&
        broken.path === 'node_modules/a/package.json',
    );
    const [invalid] = await analyze(
      npmInstalledAnalyzer,
      'node_modules/a/package.json',
      '{"name":"@a/b/","version":"1.0.0"}',
    );
    assert.equal(invalid?.kind, 'diagnostic');
    assert.deepEqual(await analyze(npmInstalledAnalyzer, 'node_modules/a/package.json', 'null'), [
      {
        kind: 'diagnostic',
        layer,
        path: 'node_modules/a/package.json',
        source: 'npm-installed',
        code: 'parse_error',
        message: 'package.json is not a JSON object',
      },
    ]);
  });
});

describe('npm lock analyzers', () => {
  const lockV3 = JSON.stringify({
    name: 'app',
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', version: '1.0.0' },
      'node_modules/@scope/a': { version: '1.0.0', license: 'MIT' },
      'node_modules/b': { version: '2.0.0', dev: true },
      'node_modules/c/node_modules/b': { version: '2.0.0' },
      'node_modules/d': { version: '3.0.0', dev: true },
      'node_modules/e': { resolved: 'packages/e', link: true },
      'packages/e': { name: 'e', version: '0.1.0' },
    },
  });

  it('reads package-lock v3: one fact per package, dev only when every copy is, links followed', async () => {
    const facts = packagesOf(await analyze(npmLockAnalyzer, 'srv/app/package-lock.json', lockV3));
    const summary = facts.map((fact) => [fact.pkg.purl, fact.pkg.dev, fact.origin, fact.path]);
    assert.deepEqual(summary.sort(), [
      ['pkg:npm/%40scope/a@1.0.0', false, 'lockfile', 'srv/app/package-lock.json'],
      ['pkg:npm/b@2.0.0', false, 'lockfile', 'srv/app/package-lock.json'],
      ['pkg:npm/d@3.0.0', true, 'lockfile', 'srv/app/package-lock.json'],
      ['pkg:npm/e@0.1.0', false, 'lockfile', 'srv/app/package-lock.json'],
    ]);
  });

  it('reads npm-shrinkwrap.json and ignores lock files inside node_modules', async () => {
    assert.equal(packagesOf(await analyze(npmLockAnalyzer, 'app/npm-shrinkwrap.json', lockV3)).length, 4);
    assert.deepEqual(await analyze(npmLockAnalyzer, 'app/node_modules/x/npm-shrinkwrap.json', lockV3), []);
    assert.deepEqual(
      await analyze(yarnLockAnalyzer, 'node_modules/x/yarn.lock', 'a@^1:\n  version "1.0.0"\n'),
      [],
    );
    assert.deepEqual(
      await analyze(pnpmLockAnalyzer, 'app/node_modules/x/pnpm-lock.yaml', "lockfileVersion: '9.0'\n"),
      [],
    );
  });

  it('reads package-lock v1 nested dependencies with aliases and git versions', async () => {
    const lock = {
      lockfileVersion: 1,
      dependencies: {
        a: { version: '1.0.0', dependencies: { b: { version: '2.0.0', dev: true } } },
        'b-cjs': { version: 'npm:b@1.0.0' },
        g: { version: 'github:user/g#0123456789abcdef0123456789abcdef01234567' },
      },
    };
    const facts = packagesOf(await analyze(npmLockAnalyzer, 'package-lock.json', JSON.stringify(lock)));
    assert.deepEqual(facts.map((fact) => [fact.pkg.name, fact.pkg.version, fact.pkg.dev]).sort(), [
      ['a', '1.0.0', false],
      ['b', '1.0.0', false],
      ['b', '2.0.0', true],
      ['g', '', false],
    ]);
  });

  it('reads yarn.lock v1 and berry, and pnpm-lock.yaml', async () => {
    const classic =
      '# yarn lockfile v1\n\n"@a/b@^1.0.0", "@a/b@^1.1.0":\n  version "1.2.0"\n  resolved "https://registry.yarnpkg.com/@a/b/-/b-1.2.0.tgz#abc"\n  dependencies:\n    c "^2"\n';
    const [yarnFact] = packagesOf(await analyze(yarnLockAnalyzer, 'yarn.lock', classic));
    assert.equal(yarnFact?.pkg.purl, 'pkg:npm/%40a/b@1.2.0');
    assert.equal(yarnFact?.pkg.dev, undefined, 'yarn.lock does not say');
    const berry =
      '__metadata:\n  version: 8\n\n"c@npm:^2.0.0":\n  version: 2.10.0\n  resolution: "c@npm:2.10.0"\n\n"app@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "app@workspace:."\n';
    assert.deepEqual(
      packagesOf(await analyze(yarnLockAnalyzer, 'yarn.lock', berry)).map((fact) => fact.pkg.purl),
      ['pkg:npm/c@2.10.0'],
    );
    const pnpm =
      "lockfileVersion: '9.0'\nimporters:\n  .:\n    devDependencies:\n      c:\n        specifier: ^2\n        version: 2.0.0\npackages:\n  c@2.0.0:\n    resolution: {integrity: sha512-x}\nsnapshots:\n  c@2.0.0: {}\n";
    const [pnpmFact] = packagesOf(await analyze(pnpmLockAnalyzer, 'pnpm-lock.yaml', pnpm));
    assert.deepEqual([pnpmFact?.pkg.purl, pnpmFact?.pkg.dev], ['pkg:npm/c@2.0.0', true]);
  });

  it('reports unreadable lock files as parse errors', async () => {
    for (const [analyzer, path] of [
      [npmLockAnalyzer, 'package-lock.json'],
      [yarnLockAnalyzer, 'yarn.lock'],
      [pnpmLockAnalyzer, 'pnpm-lock.yaml'],
    ] as const) {
      const text = path === 'yarn.lock' ? '__metadata:\n  version: [\n' : '{"a": [';
      const facts = await analyze(analyzer, path, text);
      assert.equal(facts.length, 1, path);
      assert.ok(facts[0]?.kind === 'diagnostic' && facts[0].code === 'parse_error', path);
    }
  });
});
