import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Fact, PackageFact } from '../fact.ts';
import { goBinaryAnalyzer } from './analyzer.ts';
import { readGoBuildInfo } from './build-info.ts';
import { parseBuildInfo } from './parse-build-info.ts';
import { framedModinfo, pointerFormatElf } from './test-elf.ts';

const layer = { index: 0, digest: 'sha256:' + '0'.repeat(64), diffId: undefined, createdBy: undefined };

async function analyze(
  content: Buffer,
  path = 'usr/local/bin/app',
  mode = 0o100755,
): Promise<readonly Fact[]> {
  return goBinaryAnalyzer.analyze(
    { path, size: content.length, mode, content },
    { layer, signal: new AbortController().signal },
  );
}

function purls(facts: readonly Fact[]): string[] {
  return facts.filter((fact): fact is PackageFact => fact.kind === 'package').map((fact) => fact.pkg.purl);
}

function hasGo(): boolean {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The oracle: `go version -m FILE` — the Go version, and the module lines (path, mod, dep, =>). */
function goVersionM(file: string): { readonly goVersion: string; readonly lines: readonly string[] } {
  const output = execFileSync('go', ['version', '-m', file], { encoding: 'utf8' });
  const [first = '', ...rest] = output.split('\n');
  return {
    goVersion: first.slice(first.indexOf(': ') + 2),
    lines: rest.filter((line) => /^\t(path|mod|dep|=>)\t/.test(line)).map((line) => line.slice(1)),
  };
}

/** Our decoding of the same binary: the Go version, and the module lines of the modinfo text. */
function ourModuleLines(content: Buffer): { readonly goVersion: string; readonly lines: readonly string[] } {
  const found = readGoBuildInfo(content);
  assert.equal(found.kind, 'found');
  if (found.kind !== 'found') return { goVersion: '', lines: [] };
  return {
    goVersion: found.info.goVersion,
    lines: found.info.modinfo.split('\n').filter((line) => /^(path|mod|dep|=>)\t/.test(line)),
  };
}

/**
 * The packages the oracle's module lines imply: main module and deps, a replacement standing for
 * the module it replaces, `(devel)` and empty versions left out; then stdlib.
 */
function expectedPurls(lines: readonly string[], stdlib: string): string[] {
  const modules: (readonly [string, string])[] = [];
  for (const line of lines) {
    const [word, path = '', version = ''] = line.split('\t');
    if (word === 'mod' || word === 'dep') modules.push([path, version]);
    if (word === '=>') modules[modules.length - 1] = [path, version];
  }
  const unique = [
    ...new Set(
      modules
        .filter(([, version]) => version !== '' && version !== '(devel)')
        .map(([path, version]) => `pkg:golang/${path}@${version}`),
    ),
  ];
  return [...unique, `pkg:golang/stdlib@${stdlib}`];
}

const debianBinaries = ['/usr/bin/docker-registry', '/usr/bin/skopeo'];
/** Go programs with real dependency lists and replacements found on this machine; each is optional. */
const otherBinaries = [
  '/usr/local/bin/terraform',
  '/usr/lib/google-cloud-sdk/bin/kubectl',
  '/usr/lib/google-cloud-sdk/bin/kpt',
  '/usr/lib/google-cloud-sdk/bin/cbt',
  '/usr/lib/google-cloud-sdk/bin/anthoscli',
  '/usr/lib/google-cloud-sdk/bin/gke-gcloud-auth-plugin',
];

describe('go-binary analyzer on real Go executables', () => {
  for (const file of debianBinaries) {
    it(`reads ${file} (Debian package) as go version -m does`, async () => {
      assert.ok(
        existsSync(file) && hasGo(),
        `${file} and go come from scripts/debian-packages.sh (docker-registry skopeo golang-go)`,
      );
      const content = readFileSync(file);
      const oracle = goVersionM(file);
      const ours = ourModuleLines(content);
      assert.deepEqual(ours, oracle);
      // Debian builds these in GOPATH mode: a `path` line and no modules, so only the stdlib.
      assert.deepEqual(purls(await analyze(content)), [`pkg:golang/stdlib@v${oracle.goVersion.slice(2)}`]);
    });
  }

  // Go programs some machines happen to have: checked where present, nothing claimed where absent.
  for (const file of otherBinaries.filter((path) => existsSync(path))) {
    it(`reads ${file} as go version -m does`, async () => {
      const content = readFileSync(realpathSync(file));
      const oracle = goVersionM(file);
      const ours = ourModuleLines(content);
      assert.deepEqual(ours, oracle);
      const stdlib = /^go(\d+\.\d+\.\d+)/.exec(oracle.goVersion)?.[1];
      assert.ok(stdlib !== undefined);
      const facts = await analyze(content);
      assert.deepEqual(purls(facts), expectedPurls(oracle.lines, `v${stdlib}`));
      assert.deepEqual(
        facts.filter((fact) => fact.kind === 'diagnostic'),
        [],
      );
    });
  }
});

describe('go-binary analyzer on executables built here (go from scripts/debian-packages.sh)', () => {
  let work = '';
  const environment = {
    ...process.env,
    GOPROXY: 'off',
    GOTOOLCHAIN: 'local',
    GOWORK: 'off',
    GOFLAGS: '-mod=vendor',
    CGO_ENABLED: '0',
  };
  const build = (output: string, extra: Record<string, string> = {}, args: readonly string[] = []) => {
    execFileSync('go', ['build', ...args, '-o', output, '.'], {
      cwd: join(work, 'app'),
      env: { ...environment, ...extra },
      stdio: 'pipe',
    });
    return output;
  };
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), text);
  };

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'drydock-go-binary-'));
    // A module with two vendored dependencies, one of them replaced by another module: the build
    // works offline and the binary carries `mod`, `dep` and `=>` lines.
    write(
      'app/go.mod',
      'module example.com/hello\n\ngo 1.19\n\nrequire (\n\texample.com/greeting v1.2.3\n\texample.com/old v0.1.0\n)\n\nreplace example.com/old => example.com/new v1.0.0\n',
    );
    write(
      'app/main.go',
      'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/greeting"\n\t"example.com/old"\n)\n\nfunc main() { fmt.Println(greeting.Hello(), old.Name) }\n',
    );
    write(
      'app/vendor/example.com/greeting/greeting.go',
      'package greeting\n\nfunc Hello() string { return "hello" }\n',
    );
    write('app/vendor/example.com/old/old.go', 'package old\n\nconst Name = "new"\n');
    write(
      'app/vendor/modules.txt',
      '# example.com/greeting v1.2.3\n## explicit\nexample.com/greeting\n# example.com/old v0.1.0 => example.com/new v1.0.0\n## explicit\nexample.com/old\n# example.com/old => example.com/new v1.0.0\n',
    );
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const expected = (stdlib: string) => [
    'pkg:golang/example.com/greeting@v1.2.3',
    'pkg:golang/example.com/new@v1.0.0',
    `pkg:golang/stdlib@${stdlib}`,
  ];

  it('reads a module build with dependencies and a replacement (amd64, ELF64 little-endian)', async () => {
    const file = build(join(work, 'hello-amd64'));
    const content = readFileSync(file);
    const oracle = goVersionM(file);
    assert.deepEqual(ourModuleLines(content), oracle);
    assert.deepEqual(oracle.lines, [
      'path\texample.com/hello',
      'mod\texample.com/hello\t(devel)\t',
      'dep\texample.com/greeting\tv1.2.3\t',
      'dep\texample.com/old\tv0.1.0',
      '=>\texample.com/new\tv1.0.0\t',
    ]);
    const stdlib = `v${/^go(\d+\.\d+\.\d+)/.exec(oracle.goVersion)?.[1]}`;
    const facts = await analyze(content);
    assert.deepEqual(purls(facts), expected(stdlib));
    const fact = facts[0];
    assert.ok(fact?.kind === 'package');
    assert.equal(fact.origin, 'binary');
    assert.equal(fact.path, 'usr/local/bin/app');
    assert.deepEqual(fact.pkg, {
      ecosystem: 'golang',
      name: 'example.com/greeting',
      version: 'v1.2.3',
      purl: 'pkg:golang/example.com/greeting@v1.2.3',
      licenses: [],
    });
  });

  it('reads 32-bit (386) and big-endian (s390x) executables', async () => {
    for (const arch of ['386', 's390x']) {
      const file = build(join(work, `hello-${arch}`), { GOARCH: arch });
      const oracle = goVersionM(file);
      const content = readFileSync(file);
      assert.deepEqual(ourModuleLines(content), oracle, arch);
      const stdlib = `v${/^go(\d+\.\d+\.\d+)/.exec(oracle.goVersion)?.[1]}`;
      assert.deepEqual(purls(await analyze(content)), expected(stdlib), arch);
    }
  });

  it('reads a stripped executable, and one whose section headers are gone (data segment scan)', async () => {
    const file = build(join(work, 'hello-stripped'), {}, ['-ldflags=-s -w']);
    const content = readFileSync(file);
    const stdlib = `v${/^go(\d+\.\d+\.\d+)/.exec(goVersionM(file).goVersion)?.[1]}`;
    assert.deepEqual(purls(await analyze(content)), expected(stdlib));
    // Zero e_shoff and e_shnum (ELF64): no section headers at all.
    const headless = Buffer.from(content);
    headless.writeBigUInt64LE(0n, 40);
    headless.writeUInt16LE(0, 60);
    headless.writeUInt16LE(0, 62);
    assert.deepEqual(purls(await analyze(headless)), expected(stdlib));
  });

  it('reads a GOPATH-mode build (no module information): only the stdlib', async () => {
    write('gopath/src/hello/main.go', 'package main\n\nfunc main() { println("hi") }\n');
    const output = join(work, 'hello-gopath');
    execFileSync('go', ['build', '-o', output, '.'], {
      cwd: join(work, 'gopath/src/hello'),
      env: { ...environment, GO111MODULE: 'off', GOPATH: join(work, 'gopath'), GOFLAGS: '' },
      stdio: 'pipe',
    });
    const content = readFileSync(output);
    const oracle = goVersionM(output);
    assert.deepEqual(ourModuleLines(content), oracle);
    assert.equal(purls(await analyze(content)).length, 1);
  });
});

describe('go-binary analyzer on the Go 1.13–1.17 pointer layout (synthetic ELF, see test-elf.ts)', () => {
  const modinfo =
    'path\texample.com/cmd/tool\nmod\texample.com/tool\tv1.4.0\th1:abc=\ndep\tgithub.com/pkg/errors\tv0.9.1\th1:def=\n' +
    'dep\tgolang.org/x/net\tv0.0.0-20200226121028-0de0cce0169b\n=>\tgithub.com/fork/net\tv0.1.0\th1:ghi=\n';
  const want = [
    'pkg:golang/example.com/tool@v1.4.0',
    'pkg:golang/github.com/pkg/errors@v0.9.1',
    'pkg:golang/github.com/fork/net@v0.1.0',
    'pkg:golang/stdlib@v1.16.15',
  ];
  for (const is64 of [true, false]) {
    for (const bigEndian of [false, true]) {
      it(`${is64 ? 64 : 32}-bit ${bigEndian ? 'big' : 'little'}-endian`, async () => {
        const content = pointerFormatElf({
          is64,
          bigEndian,
          goVersion: 'go1.16.15',
          modinfo: framedModinfo(modinfo),
        });
        assert.deepEqual(purls(await analyze(content)), want);
        const headless = pointerFormatElf({
          is64,
          bigEndian,
          goVersion: 'go1.16.15',
          modinfo: framedModinfo(modinfo),
          withoutSections: true,
        });
        assert.deepEqual(purls(await analyze(headless)), want);
      });
    }
  }

  it('treats unframed module information as absent, as Go does', async () => {
    const content = pointerFormatElf({
      is64: true,
      bigEndian: false,
      goVersion: 'go1.13',
      modinfo: Buffer.from(modinfo),
    });
    assert.deepEqual(purls(await analyze(content)), ['pkg:golang/stdlib@v1.13.0']);
  });
});

describe('go-binary analyzer rules', () => {
  it('wants executable regular files between 1 KiB and 256 MiB', () => {
    const match = goBinaryAnalyzer.wants.match;
    assert.ok(match !== undefined);
    assert.equal(match('usr/bin/app', 2048, 0o100755), true);
    assert.equal(match('usr/bin/app', 2048, 0o100644), false);
    assert.equal(match('usr/bin/app', 512, 0o100755), false);
    assert.equal(match('usr/bin/app', 300 * 1024 * 1024, 0o100755), false);
  });

  it('parses modinfo text as runtime/debug.ParseBuildInfo does', () => {
    const parsed = parseBuildInfo(
      'go\tgo1.22.1\npath\texample.com/x\nmod\texample.com/x\t(devel)\t\ndep\ta.io/b\tv1.0.0\th1:x=\n=>\t../b\t\t\nbuild\t-ldflags="-X main.v=1 -s"\nbuild\tvcs.revision=abc\n',
    );
    assert.ok(parsed.ok);
    assert.equal(parsed.info.path, 'example.com/x');
    assert.deepEqual(parsed.info.deps[0]?.replace, {
      path: '../b',
      version: '',
      sum: '',
      replace: undefined,
    });
    assert.deepEqual(parsed.info.settings, [
      ['-ldflags', '-X main.v=1 -s'],
      ['vcs.revision', 'abc'],
    ]);
    assert.equal(parseBuildInfo('=>\ta\tb\tc\n').ok, false);
    assert.equal(parseBuildInfo('dep\tonly-one-column\n').ok, false);
  });

  it('reports stdlib from the toolchain version, without experiments or vendor suffixes', async () => {
    const cases: readonly (readonly [string, string | undefined])[] = [
      ['go1.21.5', 'v1.21.5'],
      ['go1.20', 'v1.20.0'],
      ['go1.21rc2', 'v1.21.0-rc.2'],
      ['go1.22.3 X:nocoverageredesign', 'v1.22.3'],
      ['devel go1.23-abcdef Tue', undefined],
    ];
    for (const [goVersion, stdlib] of cases) {
      const content = pointerFormatElf({
        is64: true,
        bigEndian: false,
        goVersion,
        modinfo: framedModinfo('path\tx\n'),
      });
      assert.deepEqual(
        purls(await analyze(content)),
        stdlib === undefined ? [] : [`pkg:golang/stdlib@${stdlib}`],
        goVersion,
      );
    }
  });

  it('skips a (devel) main module and local directory replacements', async () => {
    const content = pointerFormatElf({
      is64: true,
      bigEndian: false,
      goVersion: 'go1.17.13',
      modinfo: framedModinfo(
        'path\tx/cmd\nmod\tx\t(devel)\t\ndep\ta.io/b\tv1.0.0\n=>\t./b\t(devel)\t\ndep\tc.io/d\tv2.0.0+incompatible\th1:x=\n',
      ),
    });
    assert.deepEqual(purls(await analyze(content)), [
      'pkg:golang/c.io/d@v2.0.0+incompatible',
      'pkg:golang/stdlib@v1.17.13',
    ]);
  });

  it('reports invalid module versions and broken module text as diagnostics', async () => {
    const content = pointerFormatElf({
      is64: true,
      bigEndian: false,
      goVersion: 'go1.17',
      modinfo: framedModinfo('dep\tgood.io/x\tv1.0.0\t\ndep\tbad.io/y\tnot-a-version\t\n'),
    });
    const facts = await analyze(content);
    assert.deepEqual(purls(facts), ['pkg:golang/good.io/x@v1.0.0', 'pkg:golang/stdlib@v1.17.0']);
    assert.deepEqual(
      facts.flatMap((fact) => (fact.kind === 'diagnostic' ? [fact.code] : [])),
      ['parse_error'],
    );
    const broken = pointerFormatElf({
      is64: true,
      bigEndian: false,
      goVersion: 'go1.17',
      modinfo: framedModinfo('=>\tx\ty\tz\n'),
    });
    const brokenFacts = await analyze(broken);
    assert.deepEqual(purls(brokenFacts), ['pkg:golang/stdlib@v1.17.0']);
    assert.equal(brokenFacts.filter((fact) => fact.kind === 'diagnostic').length, 1);
  });

  it('ignores files that are no ELF or carry no Go build information', async () => {
    assert.deepEqual(await analyze(Buffer.from('#!/bin/sh\necho hi\n'.repeat(100))), []);
    const elfWithoutGo = pointerFormatElf({
      is64: true,
      bigEndian: false,
      goVersion: 'go1.16',
      modinfo: Buffer.alloc(0),
    });
    elfWithoutGo.fill(0, 0x100, 0x100 + 14);
    assert.deepEqual(await analyze(elfWithoutGo), []);
  });

  it('never throws on damaged executables', async () => {
    const seed = pointerFormatElf({
      is64: true,
      bigEndian: false,
      goVersion: 'go1.16.3',
      modinfo: framedModinfo('dep\ta.io/b\tv1.0.0\n'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(seed.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 40 }),
        fc.nat(seed.length),
        async (edits, cut) => {
          const damaged = Buffer.from(seed.subarray(0, Math.max(cut, 64)));
          for (const [at, value] of edits) if (at < damaged.length) damaged[at] = value;
          const facts = await analyze(damaged);
          assert.ok(Array.isArray(facts));
        },
      ),
      { numRuns: 2000 },
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 4096 }), async (bytes) => {
        const content = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.from(bytes)]);
        assert.ok(Array.isArray(await analyze(content)));
      }),
      { numRuns: 500 },
    );
  });
});
