import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Fact, PackageFact } from '../fact.ts';
import { apkAnalyzer } from './analyzer.ts';

const layer = { index: 0, digest: 'sha256:' + '0'.repeat(64), diffId: undefined, createdBy: undefined };

async function analyze(text: string | Buffer, path = 'lib/apk/db/installed'): Promise<readonly Fact[]> {
  const content = typeof text === 'string' ? Buffer.from(text) : text;
  return apkAnalyzer.analyze(
    { path, size: content.length, mode: 0o100644, content },
    { layer, signal: new AbortController().signal },
  );
}

const packages = (facts: readonly Fact[]): PackageFact[] =>
  facts.filter((fact): fact is PackageFact => fact.kind === 'package');

const alpine = `C:Q1p78yvTLG094tHE1+dToJGbmYzQE=
P:musl
V:1.2.4-r2
A:x86_64
S:407547
I:663552
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Timo Teräs <timo.teras@iki.fi>
t:1698702339
c:7b1bc46fdb9bb1a4d89a5ab3b0b1e0c5e2d5f9b5
p:so:libc.musl-x86_64.so.1=1
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1kFn5tTK8Jr9JNx4xRr1Lw4Tl2s8=
R:libc.musl-x86_64.so.1
a:0:0:777
Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=

C:Q1qKcZ+j23xssAXmgQhkOO8dHnbWw=
P:busybox-binsh
V:1.36.1-r15
A:x86_64
L:GPL-2.0-only
o:busybox
D:busybox=1.36.1-r15
F:bin
R:sh
a:0:0:777

P:wolfi-baselayout
V:20230201-r23
A:x86_64
L:MIT AND GPL-2.0-or-later
F:
R:lib
F:/etc/apk/
R:world
`;

describe('apk analyzer', () => {
  it('reads packages with origin, licence, architecture, purl and files', async () => {
    const facts = await analyze(alpine);
    assert.deepEqual(
      facts.filter((fact) => fact.kind === 'diagnostic'),
      [],
    );
    assert.deepEqual(
      packages(facts).map((fact) => fact.pkg),
      [
        {
          ecosystem: 'apk',
          name: 'musl',
          version: '1.2.4-r2',
          purl: 'pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64',
          licenses: ['MIT'],
          source: { name: 'musl', version: '1.2.4-r2' },
          arch: 'x86_64',
          files: ['lib/ld-musl-x86_64.so.1', 'lib/libc.musl-x86_64.so.1'],
        },
        {
          ecosystem: 'apk',
          name: 'busybox-binsh',
          version: '1.36.1-r15',
          purl: 'pkg:apk/alpine/busybox-binsh@1.36.1-r15?arch=x86_64',
          licenses: ['GPL-2.0-only'],
          source: { name: 'busybox', version: '1.36.1-r15' },
          arch: 'x86_64',
          files: ['bin/sh'],
        },
        {
          ecosystem: 'apk',
          name: 'wolfi-baselayout',
          version: '20230201-r23',
          purl: 'pkg:apk/alpine/wolfi-baselayout@20230201-r23?arch=x86_64',
          licenses: ['MIT AND GPL-2.0-or-later'],
          // No o: line: the package is its own source.
          source: { name: 'wolfi-baselayout', version: '20230201-r23' },
          arch: 'x86_64',
          // `F:` with an empty value is the root; directories are written relative, slashes trimmed.
          files: ['lib', 'etc/apk/world'],
        },
      ],
    );
    for (const fact of packages(facts)) {
      assert.equal(fact.path, 'lib/apk/db/installed');
      assert.equal(fact.origin, 'installed');
    }
  });

  it('reads the usr-merged database path of Wolfi and apk-tools 3, and CRLF files', async () => {
    assert.ok(apkAnalyzer.wants.paths?.includes('usr/lib/apk/db/installed'));
    const facts = await analyze('P:a\r\nV:1-r0\r\nR:top\r\n\r\n', 'usr/lib/apk/db/installed');
    assert.deepEqual(
      packages(facts).map(({ path, pkg }) => [path, pkg.name, pkg.version, pkg.files, pkg.purl]),
      [['usr/lib/apk/db/installed', 'a', '1-r0', ['top'], 'pkg:apk/alpine/a@1-r0']],
    );
  });

  it('skips and reports entries without a name or version and lines that are not fields', async () => {
    const facts = await analyze('P:ok\nV:1\n\nP:noversion\n\nhello world\nP:b\nV:2\n');
    assert.deepEqual(
      packages(facts).map(({ pkg }) => pkg.name),
      ['ok', 'b'],
    );
    const reports = facts.filter((fact) => fact.kind === 'diagnostic');
    assert.equal(reports.length, 1);
    const [report] = reports;
    assert.ok(report?.kind === 'diagnostic');
    assert.equal(report.code, 'parse_error');
    assert.equal(report.path, 'lib/apk/db/installed');
    assert.match(report.message, /^2 problem\(s\) .*entry at line 4 has no V/);
  });

  it('never throws on arbitrary input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
          fc.string({ unit: 'binary', maxLength: 2000 }).map((text) => Buffer.from(text)),
          fc
            .array(fc.constantFrom('P:x', 'V:1', 'F:', 'F:/', 'R:', 'R:a', 'o:', 'L:', ':', 'PP:', '', ' '), {
              maxLength: 60,
            })
            .map((lines) => Buffer.from(lines.join('\n'))),
        ),
        async (content) => {
          assert.ok(Array.isArray(await analyze(content)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('copes with huge values and long runs of slashes', async () => {
    const facts = await analyze(
      `P:big\nV:1\nT:${'x'.repeat(8 * 1024 * 1024)}\nF:${'/'.repeat(1_000_000)}a\n${'R:f\n'.repeat(200_000)}`,
    );
    assert.equal(packages(facts)[0]?.pkg.files?.length, 200_000);
    assert.equal(packages(facts)[0]?.pkg.files?.[0], 'a/f');
  });
});
