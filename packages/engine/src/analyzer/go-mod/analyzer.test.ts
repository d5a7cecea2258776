import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Fact } from '../fact.ts';
import { goModAnalyzer } from './analyzer.ts';
import { compareGoVersions, goTagToSemver } from './go-version.ts';
import { parseGoMod } from './parse-go-mod.ts';
import { parseGoSum } from './parse-go-sum.ts';

const layer = { index: 0, digest: 'sha256:' + '0'.repeat(64), diffId: undefined, createdBy: undefined };

async function analyze(files: Readonly<Record<string, string>>): Promise<readonly Fact[]> {
  return goModAnalyzer.analyzeGroup(
    Object.entries(files).map(([path, text]) => {
      const content = Buffer.from(text);
      return { path, size: content.length, mode: 0o100644, content };
    }),
    { layer, signal: new AbortController().signal },
  );
}

function summary(facts: readonly Fact[]): string[] {
  return facts.map((fact) =>
    fact.kind === 'package'
      ? `${fact.path} ${fact.pkg.purl}`
      : fact.kind === 'diagnostic'
        ? `${fact.path} ${fact.code}`
        : fact.kind,
  );
}

const goSum = [
  'github.com/pkg/errors v0.8.1 h1:aaa=',
  'github.com/pkg/errors v0.8.1/go.mod h1:bbb=',
  'github.com/pkg/errors v0.9.1 h1:ccc=',
  'github.com/pkg/errors v0.9.1/go.mod h1:ddd=',
  'golang.org/x/text v0.3.0/go.mod h1:eee=',
  'gopkg.in/yaml.v3 v3.0.1 h1:fff=',
  '',
].join('\n');

describe('go-mod analyzer', () => {
  it('reads go.mod alone when it lists every module (go 1.17 and later)', async () => {
    const facts = await analyze({
      'src/app/go.mod':
        'module example.com/app\n\ngo 1.21.4\n\nrequire (\n\tgithub.com/pkg/errors v0.9.1\n\t"golang.org/x/text" v0.14.0 // indirect\n)\n',
      'src/app/go.sum': goSum,
    });
    assert.deepEqual(summary(facts), [
      'src/app/go.mod pkg:golang/github.com/pkg/errors@v0.9.1',
      'src/app/go.mod pkg:golang/golang.org/x/text@v0.14.0',
      'src/app/go.mod pkg:golang/stdlib@v1.21.4',
    ]);
    const first = facts[0];
    assert.ok(first?.kind === 'package');
    assert.equal(first.origin, 'lockfile');
    assert.deepEqual(first.pkg, {
      ecosystem: 'golang',
      name: 'github.com/pkg/errors',
      version: 'v0.9.1',
      purl: 'pkg:golang/github.com/pkg/errors@v0.9.1',
      licenses: [],
    });
  });

  it('adds go.sum modules go.mod does not name before go 1.17: highest content hash, no /go.mod-only lines', async () => {
    const facts = await analyze({
      'src/app/go.mod': 'module example.com/app\n\ngo 1.16\n\nrequire gopkg.in/yaml.v3 v3.0.0\n',
      'src/app/go.sum': goSum,
    });
    assert.deepEqual(summary(facts), [
      'src/app/go.mod pkg:golang/gopkg.in/yaml.v3@v3.0.0',
      'src/app/go.sum pkg:golang/github.com/pkg/errors@v0.9.1',
    ]);
  });

  it('reads a go.sum without a go.mod beside it, and keeps directories apart', async () => {
    const facts = await analyze({
      'a/go.sum': goSum,
      'b/go.mod': 'module b\n\ngo 1.20\n\nrequire github.com/pkg/errors v0.8.1\n',
    });
    assert.deepEqual(summary(facts), [
      'a/go.sum pkg:golang/github.com/pkg/errors@v0.9.1',
      'a/go.sum pkg:golang/gopkg.in/yaml.v3@v3.0.1',
      'b/go.mod pkg:golang/github.com/pkg/errors@v0.8.1',
    ]);
  });

  it('reports a broken go.mod and falls back to its go.sum', async () => {
    const facts = await analyze({
      'app/go.mod': 'module x\nrequire (\n\tgithub.com/a/b v1.0.0\n',
      'app/go.sum': goSum,
    });
    assert.deepEqual(summary(facts), [
      'app/go.mod parse_error',
      'app/go.sum pkg:golang/github.com/pkg/errors@v0.9.1',
      'app/go.sum pkg:golang/gopkg.in/yaml.v3@v3.0.1',
    ]);
  });

  it('applies replace directives as the go command does', async () => {
    const facts = await analyze({
      'go.mod': [
        'module m',
        'go 1.22',
        'toolchain go1.22.5',
        'require (',
        '  a.io/x v1.0.0',
        '  a.io/x v1.1.0',
        '  b.io/y v2.0.0+incompatible',
        '  c.io/z v0.1.0',
        ')',
        'replace a.io/x v1.0.0 => fork.io/x v1.0.1',
        'replace a.io/x => fork.io/x v1.2.0',
        'replace b.io/y v9.9.9 => fork.io/y v1.0.0',
        'replace c.io/z => ../z',
        'exclude a.io/x v0.9.0',
        'retract [v0.0.1, v0.0.2]',
      ].join('\n'),
    });
    assert.deepEqual(summary(facts), [
      'go.mod pkg:golang/fork.io/x@v1.0.1',
      'go.mod pkg:golang/fork.io/x@v1.2.0',
      'go.mod pkg:golang/b.io/y@v2.0.0+incompatible',
      'go.mod pkg:golang/stdlib@v1.22.5',
    ]);
  });

  it('reports invalid module versions instead of inventing packages', async () => {
    const facts = await analyze({ 'go.mod': 'module m\nrequire a.io/x latest\nrequire b.io/y v1.0.0\n' });
    assert.deepEqual(summary(facts), ['go.mod pkg:golang/b.io/y@v1.0.0', 'go.mod parse_error']);
  });

  it('never throws on arbitrary go.mod and go.sum text', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc
        .array(
          fc.constantFrom(
            'module',
            'require',
            'replace',
            '(',
            ')',
            '=>',
            'v1.0.0',
            '"a/b"',
            '`x`',
            '//',
            'indirect',
            '\n',
            ' ',
            'go',
            '1.21',
            'toolchain',
          ),
          { maxLength: 60 },
        )
        .map((tokens) => tokens.join(' ')),
    );
    await fc.assert(
      fc.asyncProperty(text, text, async (mod, sum) => {
        assert.ok(Array.isArray(await analyze({ 'x/go.mod': mod, 'x/go.sum': sum })));
      }),
      { numRuns: 1500 },
    );
  });
});

describe('Go version helpers', () => {
  it('orders module versions by semver precedence', () => {
    const ordered = [
      'v0.0.0-20200101000000-abcdef123456',
      'v0.1.0',
      'v1.0.0-alpha',
      'v1.0.0-alpha.1',
      'v1.0.0-beta',
      'v1.0.0',
      'v1.0.1',
      'v1.10.0',
      'v2.0.0+incompatible',
    ];
    for (let i = 0; i + 1 < ordered.length; i++)
      assert.equal(
        compareGoVersions(ordered[i] ?? '', ordered[i + 1] ?? ''),
        -1,
        `${ordered[i]} < ${ordered[i + 1]}`,
      );
    assert.equal(compareGoVersions('junk', 'v0.0.1'), -1);
  });

  it('turns toolchain tags into stdlib versions', () => {
    assert.equal(goTagToSemver('go1.23.6-xyz'), 'v1.23.6');
    assert.equal(goTagToSemver('go1.21beta1'), 'v1.21.0-beta.1');
    assert.equal(goTagToSemver('1.21.0'), undefined);
  });

  it('parses go.mod quoting, blocks and comments', () => {
    const parsed = parseGoMod(
      'module "example.com/m" // the module\n\nrequire (\n\t`a.io/b` v1.0.0 // indirect; needed by c\n)\nrequire ()\n',
    );
    assert.ok(parsed.ok);
    assert.equal(parsed.file.module, 'example.com/m');
    assert.deepEqual(parsed.file.requires, [{ path: 'a.io/b', version: 'v1.0.0', indirect: true }]);
    assert.deepEqual(parseGoMod('modul x\n'), { ok: false, error: 'line 1: unknown directive: modul' });
  });

  it('counts malformed go.sum lines', () => {
    assert.deepEqual(parseGoSum('a v1.0.0 h1:x=\nnonsense\n'), {
      modules: [{ path: 'a', version: 'v1.0.0' }],
      malformedLines: 1,
    });
  });
});
