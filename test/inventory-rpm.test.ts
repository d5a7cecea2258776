/**
 * The rpm analyzer against rpm itself (Debian's rpm 4.18, RECIPES.md section 3). Real databases:
 * - an `rpmdb.sqlite` made by `rpm -i` of packages built here with rpmbuild (an epoch, an explicit
 *   epoch 0, a vendor, a modularity label, nested files, a package without files);
 * - that database converted to BerkeleyDB `Packages` with db5.3_load, in both byte orders and
 *   with headers in overflow pages or inline;
 * - the real CentOS 5–8 BerkeleyDB `Packages` files shipped in Debian's
 *   golang-github-knqyf263-go-rpmdb-dev (downloaded once, cached under the OS temp directory),
 *   and one of them rebuilt by rpmdb into SQLite;
 * - the CBL-Mariner `rpmdb.sqlite` and RHEL 8 libuuid `Packages` from ../shared/testvectors/rpmdb.
 * For each, the analyzer's package facts must equal `rpm -qa --qf ...` exactly, in rpm's order.
 * The CentOS databases must also give exactly the go-rpmdb expected lists in ../shared.
 * Needs the Debian packages rpm, db5.3-util and sqlite3.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { Fact, PackageRecord } from '../packages/engine/src/analyzer/fact.ts';
import { rpmAnalyzer } from '../packages/engine/src/analyzer/rpm/analyzer.ts';
import { listRpmPackages } from '../packages/engine/src/analyzer/rpm/list-packages.ts';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'drydock-inventory-rpm-'));
const cache = join(tmpdir(), 'drydock-cache', 'go-rpmdb');
const shared = join(import.meta.dirname, '../../shared/testvectors/rpmdb/expected');
const env = { ...process.env, LC_ALL: 'C' };

async function tool(command: string, args: readonly string[], cwd?: string, input?: string): Promise<string> {
  const child = run(command, args, { cwd, env, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  try {
    return (await child).stdout;
  } catch (error) {
    const stderr = error instanceof Error && 'stderr' in error ? String(error.stderr) : '';
    throw new Error(`${command} ${args.join(' ')} failed (is the Debian package installed?): ${stderr}`, {
      cause: error,
    });
  }
}

/** What both sides say about one package, in the analyzer's terms (files relative to the root). */
interface Row {
  readonly name: string;
  readonly version: string;
  readonly epoch: number | undefined;
  readonly release: string;
  readonly arch: string;
  readonly sourceRpm: string;
  readonly licenses: readonly string[];
  readonly vendor: string;
  readonly modularityLabel: string;
  readonly files: readonly string[];
}

const queryFormat =
  '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\t%{LICENSE}\\t%{VENDOR}\\t%{MODULARITYLABEL}\\n[=%{FILENAMES}\\n]';

/** `rpm -qa` over a database directory, parsed; rpm prints `(none)` for a missing value. */
async function rpmQuery(dbPath: string, backend: readonly string[]): Promise<Row[]> {
  const output = await tool('rpm', ['--dbpath', dbPath, ...backend, '-qa', '--qf', queryFormat]);
  const rows: { row: Omit<Row, 'files'>; files: string[] }[] = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('=')) {
      const file = line.slice(1).replace(/^\/+/, '');
      if (file !== '') rows.at(-1)?.files.push(file);
      continue;
    }
    const fields = line.split('\t').map((field) => (field === '(none)' ? '' : field));
    assert.equal(fields.length, 9, line);
    const [
      name = '',
      epoch = '',
      version = '',
      release = '',
      arch = '',
      sourceRpm = '',
      license = '',
      vendor = '',
      label = '',
    ] = fields;
    const epochNumber = epoch === '' ? undefined : Number(epoch);
    const versionRelease = `${version}-${release}`;
    rows.push({
      row: {
        name,
        version: epochNumber ? `${epochNumber}:${versionRelease}` : versionRelease,
        epoch: epochNumber,
        release,
        arch,
        sourceRpm,
        licenses: license ? [license] : [],
        vendor,
        modularityLabel: label,
      },
      files: [],
    });
  }
  return rows.map(({ row, files }) => ({ ...row, files }));
}

function rowOf(pkg: PackageRecord): Row {
  return {
    name: pkg.name,
    version: pkg.version,
    epoch: pkg.epoch,
    release: pkg.release ?? '',
    arch: pkg.arch ?? '',
    sourceRpm: pkg.source ? `${pkg.source.name}-${pkg.source.version}.src.rpm` : '',
    licenses: pkg.licenses,
    vendor: pkg.vendor ?? '',
    modularityLabel: pkg.modularityLabel ?? '',
    files: pkg.files ?? [],
  };
}

async function analyze(path: string, file: string): Promise<readonly Fact[]> {
  const content = readFileSync(file);
  return rpmAnalyzer.analyze(
    { path, size: content.length, mode: 0o100644, content },
    {
      layer: { index: 0, digest: 'sha256:' + '0'.repeat(64), diffId: undefined, createdBy: undefined },
      signal: AbortSignal.timeout(60_000),
    },
  );
}

/**
 * Asserts the analyzer gives exactly rpm's list for the database in `dbDirectory`. rpm also lists
 * the `gpg-pubkey` entries of imported signing keys; the analyzer skips them by design, so they
 * are taken out of rpm's list (and counted, so the skip is seen).
 */
async function assertSameAsRpm(
  dbDirectory: string,
  file: string,
  backend: readonly string[],
): Promise<number> {
  const facts = await analyze(`var/lib/rpm/${file}`, join(dbDirectory, file));
  assert.deepEqual(
    facts.filter((fact) => fact.kind === 'diagnostic'),
    [],
  );
  const ours = facts.flatMap((fact) => (fact.kind === 'package' ? [rowOf(fact.pkg)] : []));
  const rpms = await rpmQuery(dbDirectory, backend);
  const theirs = rpms.filter((row) => row.name !== 'gpg-pubkey');
  assert.ok(theirs.length > 0);
  assert.deepEqual(ours, theirs);
  return rpms.length - theirs.length;
}

interface Spec {
  readonly name: string;
  readonly version: string;
  readonly release: string;
  readonly epoch?: number;
  readonly license: string;
  readonly vendor?: string;
  readonly modularityLabel?: string;
  /** Files under /usr/share/<name>/ (nested paths allowed); none makes a package without files. */
  readonly files: readonly string[];
}

/** Builds a noarch rpm with rpmbuild (RECIPES.md section 3, `mkrpm.sh`) into `out`. */
async function buildRpm(spec: Spec, out: string): Promise<void> {
  const top = mkdtempSync(join(work, 'rpmbuild-'));
  for (const directory of ['SPECS', 'RPMS', 'BUILD', 'BUILDROOT', 'SOURCES', 'SRPMS'])
    mkdirSync(join(top, directory));
  const install = spec.files.map((file) => {
    const path = `%{buildroot}/usr/share/${spec.name}/${file}`;
    return `mkdir -p "$(dirname ${path})" && echo '${spec.name} ${file}' > ${path}`;
  });
  const lines = [
    `Name: ${spec.name}`,
    `Version: ${spec.version}`,
    `Release: ${spec.release}`,
    ...(spec.epoch === undefined ? [] : [`Epoch: ${spec.epoch}`]),
    ...(spec.vendor === undefined ? [] : [`Vendor: ${spec.vendor}`]),
    `Summary: test package ${spec.name}`,
    `License: ${spec.license}`,
    'BuildArch: noarch',
    '%description',
    `Test package ${spec.name}.`,
    '%install',
    ...install,
    '%files',
    ...(spec.files.length > 0 ? [`/usr/share/${spec.name}`] : []),
    '',
  ];
  const specFile = join(top, 'SPECS', `${spec.name}.spec`);
  writeFileSync(specFile, lines.join('\n'));
  const label =
    spec.modularityLabel === undefined ? [] : ['--define', `modularitylabel ${spec.modularityLabel}`];
  await tool('rpmbuild', ['--quiet', '--define', `_topdir ${top}`, ...label, '-bb', specFile]);
  for (const rpm of readdirSync(join(top, 'RPMS', 'noarch')))
    renameSync(join(top, 'RPMS', 'noarch', rpm), join(out, rpm));
}

/**
 * The project's `sqlite2bdb` (RECIPES.md section 3): every `Packages` row of an rpmdb.sqlite
 * into a BerkeleyDB hash `Packages` through db5.3_load, keys being header numbers in the chosen
 * byte order (as the machine that wrote the database would store them), key 0 the next number.
 * With 4 KiB pages every header goes to overflow pages; with 64 KiB pages they stay inline.
 */
async function sqliteToBerkeleyDb(
  sqliteFile: string,
  outFile: string,
  byteOrder: 'little' | 'big',
  pageSize: number,
): Promise<void> {
  const key = (number: number): string => {
    const bytes = Buffer.alloc(4);
    if (byteOrder === 'little') bytes.writeUInt32LE(number);
    else bytes.writeUInt32BE(number);
    return bytes.toString('hex');
  };
  const rows = (
    await tool('sqlite3', [
      '-separator',
      ' ',
      sqliteFile,
      'SELECT hnum, lower(hex(blob)) FROM Packages ORDER BY hnum',
    ])
  )
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' '));
  const highest = Math.max(...rows.map(([hnum]) => Number(hnum)));
  const dump = [
    'VERSION=3',
    'format=bytevalue',
    'type=hash',
    `db_pagesize=${pageSize}`,
    'HEADER=END',
    ` ${key(0)}`,
    ` ${key(highest + 1)}`,
    ...rows.flatMap(([hnum, hex]) => [` ${key(Number(hnum))}`, ` ${hex ?? ''}`]),
    'DATA=END',
    '',
  ].join('\n');
  await tool(
    'db5.3_load',
    ['-c', `db_lorder=${byteOrder === 'little' ? 1234 : 4321}`, outFile],
    undefined,
    dump,
  );
}

/** The testdata folder of Debian's go-rpmdb package, downloaded and unpacked once per machine. */
async function goRpmdbTestdata(): Promise<string> {
  const testdata = join(cache, 'extracted', 'usr/share/gocode/src/github.com/knqyf263/go-rpmdb/pkg/testdata');
  if (existsSync(testdata)) return testdata;
  mkdirSync(cache, { recursive: true });
  if (!readdirSync(cache).some((file) => file.endsWith('.deb'))) {
    await tool('apt-get', ['download', 'golang-github-knqyf263-go-rpmdb-dev'], cache);
  }
  const deb = readdirSync(cache).find((file) => file.endsWith('.deb'));
  assert.ok(deb, 'apt-get download gave no .deb');
  const unpacking = mkdtempSync(join(cache, 'unpacking-'));
  await tool('dpkg-deb', ['-x', join(cache, deb), unpacking]);
  rmSync(join(cache, 'extracted'), { recursive: true, force: true });
  renameSync(unpacking, join(cache, 'extracted'));
  return testdata;
}

const centosDatabases = [
  'centos5-plain',
  'centos6-plain',
  'centos6-devtools',
  'centos6-many',
  'centos7-plain',
  'centos7-devtools',
  'centos7-many',
  'centos7-python35',
  'centos7-httpd24',
  'centos8-modularitylabel',
] as const;

/**
 * The go-rpmdb expected list that does not list the whole database, with the reason: the list in
 * ../shared was cut short when converted (it stops after findutils, 44 entries, while the
 * database and go-rpmdb's own list in Debian's copy hold 326). It is compared as a prefix; the
 * whole database is compared with rpm -qa.
 */
const truncatedExpectedLists: Readonly<Record<string, number>> = { 'centos6-many': 44 };

const expectedListSchema = z.object({ packages: z.array(z.record(z.string(), z.unknown())) });

describe('rpm inventory equals rpm -qa on real databases', () => {
  const root = join(work, 'root');
  const rpms = join(work, 'rpms');
  let testdata = '';

  before(async () => {
    mkdirSync(rpms);
    const specs: readonly Spec[] = [
      {
        name: 'openssl-libs',
        version: '1.1.1k',
        release: '7.el8_6',
        epoch: 1,
        license: 'OpenSSL and ASL 2.0',
        vendor: 'Red Hat, Inc.',
        files: ['lib/libssl.so.1.1', 'lib/libcrypto.so.1.1', 'README'],
      },
      { name: 'bash', version: '4.4.20', release: '4.el8_6', license: 'GPLv3+', files: ['README'] },
      {
        name: 'zlib',
        version: '1.2.11',
        release: '18.el8_5',
        epoch: 0,
        license: 'zlib and Boost',
        files: ['a/b/c/README'],
      },
      {
        name: 'nodejs',
        version: '10.21.0',
        release: '3.module_el8.2.0+391+8da3adc6',
        epoch: 1,
        license: 'MIT and ASL 2.0 and ISC and BSD',
        vendor: 'CentOS',
        modularityLabel: 'nodejs:10:8020020200707141642:6a468ee4',
        files: ['README'],
      },
      { name: 'meta-only', version: '1', release: '0', license: 'Public Domain', files: [] },
    ];
    const [downloaded] = await Promise.all([goRpmdbTestdata(), ...specs.map((spec) => buildRpm(spec, rpms))]);
    testdata = downloaded;
    mkdirSync(root);
    await tool('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '--initdb']);
    const packages = readdirSync(rpms).map((file) => join(rpms, file));
    await tool('rpm', [
      '--root',
      root,
      '--dbpath',
      '/var/lib/rpm',
      '-i',
      '--nodeps',
      '--nosignature',
      ...packages,
    ]);
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('the rpmbuild-made rpmdb.sqlite (WAL mode, with epochs, vendor, modularity label, no-file package)', async () => {
    const dbDirectory = join(root, 'var/lib/rpm');
    const header = readFileSync(join(dbDirectory, 'rpmdb.sqlite')).subarray(18, 20);
    assert.deepEqual([...header], [2, 2], 'rpm writes its SQLite database in WAL mode');
    assert.equal(await assertSameAsRpm(dbDirectory, 'rpmdb.sqlite', []), 0);
    const facts = await analyze('var/lib/rpm/rpmdb.sqlite', join(dbDirectory, 'rpmdb.sqlite'));
    const openssl = facts.find((fact) => fact.kind === 'package' && fact.pkg.name === 'openssl-libs');
    assert.ok(openssl?.kind === 'package');
    assert.equal(openssl.pkg.purl, 'pkg:rpm/redhat/openssl-libs@1.1.1k-7.el8_6?arch=noarch&epoch=1');
    assert.deepEqual(openssl.pkg.source, { name: 'openssl-libs', version: '1.1.1k-7.el8_6' });
  });

  const conversions = [
    { byteOrder: 'little', pageSize: 4096, items: 'headers in overflow pages' },
    { byteOrder: 'big', pageSize: 4096, items: 'headers in overflow pages' },
    { byteOrder: 'little', pageSize: 65536, items: 'headers inline in hash pages' },
  ] as const;
  for (const { byteOrder, pageSize, items } of conversions) {
    it(`its BerkeleyDB conversion (${byteOrder}-endian, ${pageSize}-byte pages, ${items}; read by rpm's bdb_ro)`, async () => {
      const dbDirectory = join(work, `bdb-${byteOrder}-${pageSize}`);
      mkdirSync(dbDirectory);
      await sqliteToBerkeleyDb(
        join(root, 'var/lib/rpm/rpmdb.sqlite'),
        join(dbDirectory, 'Packages'),
        byteOrder,
        pageSize,
      );
      assert.equal(await assertSameAsRpm(dbDirectory, 'Packages', ['--define', '_db_backend bdb_ro']), 0);
    });
  }

  for (const name of centosDatabases) {
    it(`the real ${name} BerkeleyDB Packages (Debian's go-rpmdb test data), also against ../shared's expected list`, async () => {
      const dbDirectory = join(work, name);
      mkdirSync(dbDirectory);
      symlinkSync(join(testdata, name, 'Packages'), join(dbDirectory, 'Packages'));
      const pubkeys = await assertSameAsRpm(dbDirectory, 'Packages', ['--define', '_db_backend bdb_ro']);
      if (name !== 'centos5-plain' && name !== 'centos6-plain' && name !== 'centos7-plain')
        assert.ok(pubkeys > 0);

      const list = await listRpmPackages(readFileSync(join(dbDirectory, 'Packages')));
      assert.ok(list.ok);
      const expected = expectedListSchema.parse(
        JSON.parse(readFileSync(join(shared, `${name}__Packages.json`), 'utf8')),
      );
      const ours = list.packages.map((pkg) => ({
        epoch: pkg.epoch ?? null,
        name: pkg.name,
        version: pkg.version,
        release: pkg.release,
        arch: pkg.arch,
        sourceRpm: pkg.sourceRpm,
        size: pkg.size,
        license: pkg.license,
        vendor: pkg.vendor,
        modularitylabel: pkg.modularityLabel,
        summary: pkg.summary,
        sigMD5: pkg.sigMd5,
      }));
      const truncatedTo = truncatedExpectedLists[name];
      assert.equal(expected.packages.length, truncatedTo ?? ours.length);
      assert.deepEqual(ours.slice(0, expected.packages.length), expected.packages);
    });
  }

  // ../shared holds only one package's details for these two; rpm -qa gives the whole list.
  const sharedDatabases = [
    { name: 'cbl-mariner-2.0', file: 'rpmdb.sqlite', backend: 'sqlite' },
    { name: 'libuuid', file: 'Packages', backend: 'bdb_ro' },
  ] as const;
  for (const { name, file, backend } of sharedDatabases) {
    it(`the ${name} ${file} from ../shared`, async () => {
      const dbDirectory = join(work, name);
      mkdirSync(dbDirectory);
      writeFileSync(join(dbDirectory, file), readFileSync(join(shared, '..', 'db', name, file)));
      await assertSameAsRpm(dbDirectory, file, ['--define', `_db_backend ${backend}`]);
    });
  }

  it('a real CentOS database rebuilt into SQLite by rpmdb', async () => {
    const dbDirectory = join(work, 'centos7-sqlite');
    mkdirSync(dbDirectory);
    writeFileSync(join(dbDirectory, 'Packages'), readFileSync(join(testdata, 'centos7-plain', 'Packages')));
    await tool('rpmdb', ['--dbpath', dbDirectory, '--define', '_db_backend sqlite', '--rebuilddb']);
    assert.ok(existsSync(join(dbDirectory, 'rpmdb.sqlite')));
    await assertSameAsRpm(dbDirectory, 'rpmdb.sqlite', ['--define', '_db_backend sqlite']);
  });
});
