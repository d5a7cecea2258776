/**
 * The dpkg analyzer on a real Debian bookworm root filesystem (mmdebstrap minbase), checked against dpkg's
 * own tools: the package set (name, version, architecture, source name and version) must equal
 * `dpkg-query -W` package for package, each package's owned files must equal `dpkg-query -L`, and the
 * copyright files must give licences to (nearly) every package. The analyzer gets what the walker would
 * give it: the regular files its `wants` select, in one layer group.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';
import type { AnalyzedFile } from '../packages/engine/src/analyzer/contract.ts';
import { dpkgAnalyzer } from '../packages/engine/src/analyzer/dpkg/analyzer.ts';
import type { Fact, OwnedFilesFact, PackageFact } from '../packages/engine/src/analyzer/fact.ts';
import { WantsIndex } from '../packages/engine/src/layer/wants-index.ts';
import { debianRootfs } from './harness/debian-rootfs.ts';

const run = promisify(execFile);
const layer = { index: 0, digest: 'sha256:' + 'd'.repeat(64), diffId: undefined, createdBy: 'mmdebstrap' };

let root: string;
let facts: readonly Fact[];
let packages: PackageFact[];
let owned: OwnedFilesFact[];

/** Every regular file of the tree the analyzer wants (symlinks and devices are not dispatched, as in a layer). */
async function wantedFiles(directory: string): Promise<AnalyzedFile[]> {
  const wants = new WantsIndex([dpkgAnalyzer]);
  const files: AnalyzedFile[] = [];
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(directory, join(entry.parentPath, entry.name));
    if (wants.match(path, 0, 0o100644) === undefined) continue;
    const content = await readFile(join(directory, path));
    files.push({ path, size: content.length, mode: 0o100644, content });
  }
  return files;
}

async function dpkgQuery(...args: string[]): Promise<string> {
  const { stdout } = await run('dpkg-query', [`--admindir=${join(root, 'var/lib/dpkg')}`, ...args], {
    maxBuffer: 1 << 26,
  });
  return stdout;
}

describe('dpkg analyzer on a real Debian bookworm root filesystem', () => {
  before(async () => {
    root = await debianRootfs();
    facts = await dpkgAnalyzer.analyzeGroup(await wantedFiles(root), {
      layer,
      signal: new AbortController().signal,
    });
    packages = facts.filter((fact): fact is PackageFact => fact.kind === 'package');
    owned = facts.filter((fact): fact is OwnedFilesFact => fact.kind === 'owned-files');
  });

  it('reads the database without a problem', () => {
    assert.deepEqual(
      facts.filter((fact) => fact.kind === 'diagnostic'),
      [],
    );
    assert.ok(packages.length > 80, `only ${packages.length} packages`);
  });

  it('finds exactly the packages dpkg-query lists, with their versions, architectures and sources', async () => {
    const expected = (
      await dpkgQuery(
        '-W',
        '-f',
        '${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n',
      )
    )
      .split('\n')
      .filter(Boolean)
      .sort();
    const got = packages
      .map(({ pkg }) => [pkg.name, pkg.version, pkg.arch, pkg.source?.name, pkg.source?.version].join('\t'))
      .sort();
    assert.deepEqual(got, expected);
    for (const { pkg, path, origin } of packages) {
      assert.equal(path, 'var/lib/dpkg/status');
      assert.equal(origin, 'installed');
      assert.equal(pkg.ecosystem, 'deb');
      assert.ok(pkg.purl.startsWith(`pkg:deb/debian/`) && pkg.purl.endsWith(`?arch=${pkg.arch}`), pkg.purl);
    }
  });

  it('gives every package the files dpkg-query -L lists for it, and no list without a package', async () => {
    const names = packages.map(({ pkg }) => pkg.name);
    const listed = (await dpkgQuery('-L', ...names)).split('\n\n');
    assert.equal(listed.length, names.length);
    const byName = new Map(owned.map((fact) => [fact.packageName, fact]));
    for (const [index, { pkg }] of packages.entries()) {
      const fact = byName.get(pkg.name) ?? byName.get(`${pkg.name}:${pkg.arch}`);
      assert.ok(fact, `${pkg.name} has an owned-files fact`);
      assert.equal(fact.path, `var/lib/dpkg/info/${fact.packageName}.list`);
      const expected = (listed[index] ?? '')
        .split('\n')
        // Diversion notes are dpkg-query's annotations, not paths of the list.
        .filter((line) => line.startsWith('/') && line !== '/.')
        .map((line) => line.slice(1));
      assert.ok(expected.length > 0, pkg.name);
      assert.deepEqual(fact.files, expected, pkg.name);
    }
    assert.equal(owned.length, packages.length);
  });

  it('finds licences for nearly every package, from DEP-5 and free-form copyright files alike', () => {
    const licensed = packages.filter(({ pkg }) => pkg.licenses.length > 0);
    const unlicensed = packages.filter(({ pkg }) => pkg.licenses.length === 0).map(({ pkg }) => pkg.name);
    assert.ok(licensed.length >= packages.length * 0.95, `no licences for ${unlicensed.join(', ')}`);
    const licensesOf = (name: string): readonly string[] =>
      packages.find(({ pkg }) => pkg.name === name)?.pkg.licenses ?? [];
    // Free-form: glibc's copyright points to /usr/share/common-licenses/LGPL-2.1 and GPL-2.
    assert.deepEqual(licensesOf('libc6'), ['LGPL-2.1', 'GPL-2']);
    assert.deepEqual(licensesOf('libc-bin'), ['LGPL-2.1', 'GPL-2']);
    // DEP-5: License synopses of the Files and stand-alone License paragraphs.
    assert.ok(licensesOf('dpkg').includes('GPL-2+'), licensesOf('dpkg').join(', '));
    assert.ok(licensesOf('coreutils').includes('GPL-3+'), licensesOf('coreutils').join(', '));
    // usr/share/doc/libgcc-s1 is a symlink to gcc-12-base: the licences of its source sibling.
    assert.ok(licensesOf('libgcc-s1').length > 0);
    assert.deepEqual(licensesOf('libgcc-s1'), licensesOf('gcc-12-base'));
  });
});
