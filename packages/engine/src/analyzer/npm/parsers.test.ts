import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { maxYamlFlowNesting } from '../../util/yaml-nesting.ts';
import { commitOf } from './git-commit.ts';
import { parsePackageJson } from './package-json.ts';
import { parsePackageLock } from './package-lock.ts';
import { parsePnpmKey } from './pnpm-dep-path.ts';
import { parsePnpmLock } from './pnpm-lock.ts';
import { parseYarnLock } from './yarn-lock.ts';
import { parseYarnV1Entries } from './yarn-lock-v1-format.ts';

describe('pnpm dependency paths', () => {
  // The cases of trivy's Test_parseDepPath (pkg/dependency/parser/nodejs/pnpm/parse_test.go).
  const cases: readonly [string, string, string | undefined][] = [
    ['/lodash/4.17.10', 'lodash', '4.17.10'],
    ['registry.npmjs.org/lodash/4.17.10', 'lodash', '4.17.10'],
    ['private.npmjs.org/lodash/4.17.10', 'lodash', '4.17.10'],
    ['/@babel/generator/7.21.9', '@babel/generator', '7.21.9'],
    ['registry.npmjs.org/@babel/generator/7.21.9', '@babel/generator', '7.21.9'],
    [
      '/@babel/helper-compilation-targets/7.21.5_@babel+core@7.21.8',
      '@babel/helper-compilation-targets',
      '7.21.5',
    ],
    ['/lodash._baseclone/4.5.7_@babel+core@7.21.8', 'lodash._baseclone', '4.5.7'],
    [
      'registry.npmjs.org/@babel/helper-compilation-targets/7.21.5_@babel+core@7.21.8',
      '@babel/helper-compilation-targets',
      '7.21.5',
    ],
    ['/update-browserslist-db@1.0.11', 'update-browserslist-db', '1.0.11'],
    ['registry.npmjs.org/lodash@4.17.10', 'lodash', '4.17.10'],
    ['private.npmjs.org/lodash@4.17.10', 'lodash', '4.17.10'],
    ['/@babel/helper-annotate-as-pure@7.18.6', '@babel/helper-annotate-as-pure', '7.18.6'],
    ['registry.npmjs.org/@babel/helper-annotate-as-pure@7.18.6', '@babel/helper-annotate-as-pure', '7.18.6'],
    [
      '/@babel/helper-compilation-targets@7.21.5(@babel/core@7.20.7)',
      '@babel/helper-compilation-targets',
      '7.21.5',
    ],
    [
      'registry.npmjs.org/@babel/helper-compilation-targets@7.21.5(@babel/core@7.20.7)',
      '@babel/helper-compilation-targets',
      '7.21.5',
    ],
    [
      '@babel/helper-compilation-targets@7.21.5(@babel/core@7.20.7)',
      '@babel/helper-compilation-targets',
      '7.21.5',
    ],
    ['lodash@file:foo/bar/lodash.tgz', 'lodash', undefined],
    ['is-negative@https://codeload.github.com/zkochan/is-negative/tar.gz/2fa0531a', 'is-negative', undefined],
  ];
  for (const [key, name, version] of cases) {
    it(key, () => assert.deepEqual(parsePnpmKey(key), { name, version }));
  }
  it('rejects keys that name no package', () => {
    for (const key of [
      'invalidpath',
      '/foo/bar',
      'github.com/kevva/is-positive',
      'file:../dir',
      'file:.._react-dom@18.2.0',
    ]) {
      assert.equal(parsePnpmKey(key), undefined, key);
    }
  });
});

describe('git commits of resolved URLs', () => {
  it('finds commits of git URLs, hosted shorthands and archives, not tarball checksums', () => {
    const sha = '0a2d2506c1fe299691fc5db53a2097db3bd615bc';
    assert.equal(commitOf(`git+ssh://git@github.com:G-Rath/repo#${sha}`), sha);
    assert.equal(commitOf(`github:user/repo#${sha}`), sha);
    assert.equal(commitOf(`https://github.com/a/b.git#commit=${sha}`), sha);
    assert.equal(commitOf(`https://codeload.github.com/a/b/tar.gz/${sha}`), sha);
    assert.equal(commitOf(`https://gitlab.com/a/b/repository/archive.tar.gz?ref=${sha}`), sha);
    assert.equal(commitOf(`https://registry.yarnpkg.com/etag/-/etag-1.8.1.tgz#${sha}`), undefined);
    assert.equal(commitOf('git+ssh://git@github.com/a/b.git'), undefined);
    assert.equal(commitOf('https://github.com/a/b#main'), undefined);
  });
});

describe('yarn v1 format', () => {
  it('reads quoted keys and values, several descriptors, comments and nested blocks', () => {
    const text = [
      '# yarn lockfile v1',
      '',
      '"a@^1", a@~1.2:',
      '  "version" "1.2.3"',
      '  resolved "https://x/a-1.2.3.tgz#00"',
      '  dependencies:',
      '    version "9.9.9"',
      '',
      'b@2:',
      '  version 2.0.0',
    ].join('\n');
    assert.deepEqual(
      parseYarnV1Entries(text).map((entry) => [entry.descriptors, Object.fromEntries(entry.fields)]),
      [
        [['a@^1', 'a@~1.2'], { version: '1.2.3', resolved: 'https://x/a-1.2.3.tgz#00' }],
        [['b@2'], { version: '2.0.0' }],
      ],
    );
  });

  it('resolves npm: aliases to the real package and skips link:, portal: and unknown protocols', () => {
    const text =
      '"x-cjs@npm:x@^5.0.0":\n  version "5.0.1"\n\n"y@link:./y":\n  version "1.0.0"\n\n"z@weird:1":\n  version "1.0.0"\n';
    const result = parseYarnLock(text);
    assert.ok(result.ok);
    assert.deepEqual(
      result.packages.map((found) => [found.name, found.version]),
      [['x', '5.0.1']],
    );
  });

  it('keeps berry versions as strings and skips patch: and workspace: entries', () => {
    const text =
      '__metadata:\n  version: 8\n\n"a@npm:^1.10":\n  version: 1.10\n  resolution: "a@npm:1.10"\n\n"a@patch:a@npm%3A1.10#~builtin<compat/a>":\n  version: 1.10\n  resolution: "a@patch:a@npm%3A1.10#~builtin<compat/a>::version=1.10"\n';
    const result = parseYarnLock(text);
    assert.ok(result.ok);
    assert.deepEqual(
      result.packages.map((found) => [found.name, found.version]),
      [['a', '1.10']],
    );
  });
});

describe('pnpm lock', () => {
  it('derives lockfile 9 development flags from the importers, through peers and aliases', () => {
    const text = [
      "lockfileVersion: '9.0'",
      'importers:',
      '  .:',
      '    dependencies:',
      '      a: {specifier: ^1, version: 1.0.0(p@1.0.0)}',
      '    devDependencies:',
      '      t: {specifier: ^1, version: 1.0.0}',
      '      alias: {specifier: npm:real@2, version: real@2.0.0}',
      'packages:',
      '  a@1.0.0: {resolution: {integrity: x}}',
      '  p@1.0.0: {resolution: {integrity: x}}',
      '  s@1.0.0: {resolution: {integrity: x}}',
      '  t@1.0.0: {resolution: {integrity: x}}',
      '  real@2.0.0: {resolution: {integrity: x}}',
      'snapshots:',
      '  a@1.0.0(p@1.0.0):',
      '    dependencies:',
      '      s: 1.0.0',
      '  p@1.0.0: {}',
      '  s@1.0.0: {}',
      '  t@1.0.0:',
      '    dependencies:',
      '      s: 1.0.0',
      '  real@2.0.0: {}',
    ].join('\n');
    const result = parsePnpmLock(text);
    assert.ok(result.ok);
    assert.deepEqual(
      result.packages.map((found) => [found.name, found.version, found.dev]),
      [
        ['a', '1.0.0', false],
        ['p', '1.0.0', false],
        ['s', '1.0.0', false],
        ['t', '1.0.0', true],
        ['real', '2.0.0', true],
      ],
    );
  });
});

describe('hostile input', () => {
  const parsers = [parsePackageJson, parsePackageLock, parseYarnLock, parsePnpmLock];

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        for (const parse of parsers) parse(text);
        parseYarnLock(`__metadata:\n${text}`);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary JSON values in lock positions', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        parsePackageLock(JSON.stringify({ lockfileVersion: 3, packages: value }));
        parsePackageLock(JSON.stringify({ lockfileVersion: 1, dependencies: value }));
        parsePackageLock(JSON.stringify({ packages: { 'node_modules/a': value } }));
        parsePackageJson(JSON.stringify({ name: 'a', version: '1.0.0', license: value }));
      }),
      { numRuns: 300 },
    );
  });

  it('survives deep nesting, alias bombs and huge fields', () => {
    const depth = 50_000;
    const level = '{"a":{"version":"1.0.0","dependencies":';
    const deepLock = `{"lockfileVersion":1,"dependencies":${level.repeat(depth)}{}${'}}'.repeat(depth)}}`;
    const deep = parsePackageLock(deepLock);
    assert.ok(deep.ok && deep.packages.length === 1, 'one package a@1.0.0, however deep');
    assert.ok(!parsePnpmLock('['.repeat(100_000)).ok);
    const tooDeep = '{"a":'.repeat(maxYamlFlowNesting + 1);
    const pnpm = parsePnpmLock(`lockfileVersion: '9.0'\nimporters: ${tooDeep}`);
    assert.ok(!pnpm.ok && pnpm.error.includes('nested deeper'), 'refused before the YAML library recurses');
    const yarn = parseYarnLock(`__metadata:\n  version: 8\n"a@npm:1": ${tooDeep}`);
    assert.ok(!yarn.ok && yarn.error.includes('nested deeper'), 'refused before the YAML library recurses');
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      ),
      'packages: *m',
    ].join('\n');
    assert.ok(!parsePnpmLock(bomb).ok);
    const huge = 'x'.repeat(8 * 1024 * 1024);
    const manifest = parsePackageJson(JSON.stringify({ name: 'a', version: huge }));
    assert.ok(manifest.ok);
    assert.ok(parseYarnLock(`a@1:\n  version "${huge}"\n`).ok);
  });
});
