import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import type { Fact, PackageRecord } from '../fact.ts';
import { rpmAnalyzer } from './analyzer.ts';
import { listRpmPackages } from './list-packages.ts';
import type { RpmPackage } from './rpm-package.ts';
import { rpmTag, rpmType } from './rpm-tags.ts';
import { buildHeaderBlob, buildNdb, buildPackageBlob } from './test-fixtures.ts';

const vectors = join(import.meta.dirname, '../../../../../../shared/testvectors/rpmdb');
const layer = { index: 2, digest: 'sha256:' + 'a'.repeat(64), diffId: undefined, createdBy: undefined };

async function analyze(path: string, content: Buffer): Promise<readonly Fact[]> {
  return rpmAnalyzer.analyze(
    { path, size: content.length, mode: 0o100644, content },
    { layer, signal: new AbortController().signal },
  );
}

function packagesOf(facts: readonly Fact[]): PackageRecord[] {
  return facts.flatMap((fact) => (fact.kind === 'package' ? [fact.pkg] : []));
}

function diagnosticsOf(facts: readonly Fact[]): string[] {
  return facts.flatMap((fact) => (fact.kind === 'diagnostic' ? [`${fact.code}: ${fact.message}`] : []));
}

async function packagesIn(file: string): Promise<readonly RpmPackage[]> {
  const list = await listRpmPackages(readFileSync(file));
  assert.ok(list.ok, list.ok ? '' : list.reason);
  assert.deepEqual(list.problems, []);
  return list.packages;
}

/** One package in the shape of the go-rpmdb expected lists (`expected/*.json`). */
function asExpected(pkg: RpmPackage): Record<string, unknown> {
  return {
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
  };
}

/** The vector files' shapes (see ../shared/testvectors/rpmdb/README.md). */
const expectedListSchema = z.object({
  db_file: z.string(),
  db_file_included: z.boolean(),
  packages: z.array(z.record(z.string(), z.unknown())),
});
const detailsSchema = z.array(
  z.object({ db_file: z.string(), package: z.looseObject({ name: z.string() }) }),
);
const scalibrSchema = z.object({
  cases: z.array(
    z.object({
      test_func: z.string(),
      name: z.string(),
      input_copied: z.string(),
      expected: z.object({
        wantErr: z.string().optional(),
        wantResults: z.number(),
        wantPackages: z
          .array(
            z.object({
              Name: z.string(),
              Version: z.string(),
              Licenses: z.array(z.string()),
              Metadata: z.record(z.string(), z.unknown()),
            }),
          )
          .nullable(),
      }),
    }),
  ),
});

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  return schema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

const centosReason =
  'database not in ../shared (4 MiB or more); the same file ships in Debian golang-github-knqyf263-go-rpmdb-dev, ' +
  'where test/inventory-rpm.test.ts compares it with this list and with rpm -qa';
const unavailableReason =
  'database file not available here: not in ../shared (4 MiB or more) and newer than the go-rpmdb copy Debian ships';

/** Expected lists that cannot be compared in this test, each with its reason. None is dropped silently. */
const listsWithoutDatabase: Readonly<Record<string, string>> = {
  'centos5-plain__Packages.json': centosReason,
  'centos6-plain__Packages.json': centosReason,
  'centos6-devtools__Packages.json': centosReason,
  'centos6-many__Packages.json': centosReason,
  'centos7-plain__Packages.json': centosReason,
  'centos7-devtools__Packages.json': centosReason,
  'centos7-many__Packages.json': centosReason,
  'centos7-python35__Packages.json': centosReason,
  'centos7-httpd24__Packages.json': centosReason,
  'centos8-modularitylabel__Packages.json': centosReason,
  'ubi8-s390x__Packages.json': unavailableReason,
  'fedora35__rpmdb.sqlite.json': unavailableReason,
  'fedora35-plus-mongo__rpmdb.sqlite.json': unavailableReason,
  'rockylinux-9__rpmdb.sqlite.json': unavailableReason,
};

/** Fields of single-package-details.json the reader does not produce, each with its reason. */
const detailFieldsNotRead: Readonly<Record<string, string>> = {
  pgp: 'the signature (RSAHEADER/PGP tags) is not read: the inventory does not record it',
  installTime: 'INSTALLTIME is not read: the inventory does not record it',
  provides: 'PROVIDENAME is not read: the inventory does not record it',
};

/** Fields of osv-scalibr's expected packages that come from elsewhere, each with its reason. */
const scalibrFieldsElsewhere: Readonly<Record<string, string>> = {
  Location: "a fact's path is the database path in the image, not the test's file name",
  PURLType: 'always rpm here (ecosystem "rpm")',
  OSID: 'operating system fields come from the os-release analyzer and are joined by the inventory',
  OSName: 'operating system fields come from the os-release analyzer and are joined by the inventory',
  OSPrettyName: 'operating system fields come from the os-release analyzer and are joined by the inventory',
  OSVersionID: 'operating system fields come from the os-release analyzer and are joined by the inventory',
};

describe('rpm analyzer on the shared test vectors (../shared/testvectors/rpmdb)', () => {
  const expectedDirectory = join(vectors, 'expected');
  const expectedFiles = readdirSync(expectedDirectory).filter((file) => file.includes('__'));

  it('covers every expected list: compared below or named with a reason', () => {
    assert.equal(expectedFiles.length, 15);
    for (const file of expectedFiles) {
      const list = readJson(join(expectedDirectory, file), expectedListSchema);
      const exception = listsWithoutDatabase[file];
      assert.equal(list.db_file_included, exception === undefined, file);
    }
    for (const file of Object.keys(listsWithoutDatabase))
      assert.ok(expectedFiles.includes(file), `stale exception ${file}`);
  });

  // Lists without a database file are named, with their reason, in listsWithoutDatabase and checked
  // above; the integration test compares the CentOS ones with the databases Debian ships.
  for (const file of expectedFiles.filter((name) => listsWithoutDatabase[name] === undefined)) {
    it(`lists exactly the packages of ${file}`, async () => {
      const list = readJson(join(expectedDirectory, file), expectedListSchema);
      const database = join(vectors, 'db', list.db_file.replace(/^testdata\//, ''));
      const packages = await packagesIn(database);
      assert.deepEqual(packages.map(asExpected), list.packages);
    });
  }

  it('reads the single-package details of the SQLite (CBL-Mariner curl) and BDB (libuuid) databases', async () => {
    const details = readJson(join(vectors, 'expected/single-package-details.json'), detailsSchema);
    assert.equal(details.length, 2);
    for (const { db_file, package: expected } of details) {
      const packages = await packagesIn(join(vectors, 'db', db_file.replace(/^testdata\//, '')));
      const found = packages.find((pkg) => pkg.name === expected.name);
      assert.ok(found, expected.name);
      const comparable = Object.fromEntries(
        Object.entries(expected).filter(([field]) => !(field in detailFieldsNotRead)),
      );
      const { modularitylabel: _label, epoch: _epoch, ...ours } = asExpected(found);
      assert.deepEqual(ours, comparable);
      assert.equal(found.epoch, undefined);
    }
  });

  describe('osv-scalibr extractor cases (osv-scalibr/expected.json)', () => {
    const scalibr = readJson(join(vectors, 'osv-scalibr/expected.json'), scalibrSchema);
    for (const testCase of scalibr.cases) {
      it(`${testCase.test_func} ${testCase.name}`, async () => {
        const facts = await analyze(
          'var/lib/rpm/Packages',
          readFileSync(join(vectors, 'osv-scalibr', testCase.input_copied)),
        );
        const packages = packagesOf(facts);
        assert.equal(packages.length, testCase.expected.wantResults);
        if (testCase.expected.wantErr) {
          // scalibr's io.EOF / io.ErrUnexpectedEOF: here one parse_error diagnostic naming the file.
          assert.equal(diagnosticsOf(facts).length, 1);
          assert.match(diagnosticsOf(facts)[0] ?? '', /^parse_error: /);
          return;
        }
        assert.deepEqual(diagnosticsOf(facts), []);
        for (const [index, want] of (testCase.expected.wantPackages ?? []).entries()) {
          const got = packages[index];
          assert.ok(got);
          const metadataChecked = Object.keys(want.Metadata).filter(
            (field) => !(field in scalibrFieldsElsewhere),
          );
          assert.deepEqual(metadataChecked, ['PackageName', 'Epoch', 'SourceRPM', 'Architecture']);
          assert.deepEqual(
            {
              Name: got.name,
              Version: `${got.version.replace(/^\d+:/, '')}`,
              Licenses: got.licenses,
              PackageName: got.name,
              Epoch: got.epoch,
              SourceRPM: got.source && `${got.source.name}-${got.source.version}.src.rpm`,
              Architecture: got.arch,
            },
            {
              Name: want.Name,
              Version: want.Version,
              Licenses: want.Licenses,
              ...Object.fromEntries(metadataChecked.map((field) => [field, want.Metadata[field]])),
            },
          );
          assert.equal(got.version, '1:0.0.1-rls', 'the epoch is part of the rpm version string');
        }
      });
    }
  });
});

describe('rpm analyzer', () => {
  it('wants the database files at both rpm database locations, up to 512 MiB', () => {
    assert.deepEqual(rpmAnalyzer.wants.paths, [
      'var/lib/rpm/rpmdb.sqlite',
      'var/lib/rpm/Packages',
      'var/lib/rpm/Packages.db',
      'usr/lib/sysimage/rpm/rpmdb.sqlite',
      'usr/lib/sysimage/rpm/Packages',
      'usr/lib/sysimage/rpm/Packages.db',
    ]);
    assert.equal(rpmAnalyzer.wants.maxBytes, 512 * 1024 * 1024);
  });

  it('emits one installed package fact per package of the SLE 15 ndb database, with layer and path', async () => {
    const facts = await analyze(
      'usr/lib/sysimage/rpm/Packages.db',
      readFileSync(join(vectors, 'db/sle15-bci/Packages.db')),
    );
    assert.equal(facts.length, 35);
    const first = facts[0];
    assert.ok(first?.kind === 'package');
    assert.equal(first.layer, layer);
    assert.equal(first.path, 'usr/lib/sysimage/rpm/Packages.db');
    assert.equal(first.origin, 'installed');
    assert.deepEqual(first.pkg, {
      ecosystem: 'rpm',
      name: 'system-user-root',
      version: '20190513-3.3.1',
      purl: 'pkg:rpm/suse/system-user-root@20190513-3.3.1?arch=noarch',
      licenses: ['MIT'],
      source: { name: 'system-user-root', version: '20190513-3.3.1' },
      arch: 'noarch',
      release: '3.3.1',
      vendor: 'SUSE LLC <https://www.suse.com/>',
      files: ['usr/lib/sysusers.d/system-user-root.conf'],
    });
  });

  it('skips gpg-pubkey entries and keeps real packages', async () => {
    const pubkey = buildPackageBlob({
      name: 'gpg-pubkey',
      version: 'f4a80eb5',
      release: '53a7ff4b',
      sourceRpm: '(none)',
    });
    const facts = await analyze(
      'var/lib/rpm/Packages.db',
      buildNdb([pubkey, buildPackageBlob({ name: 'bash' })]),
    );
    assert.deepEqual(
      packagesOf(facts).map((pkg) => pkg.name),
      ['bash'],
    );
    assert.deepEqual(diagnosticsOf(facts), []);
  });

  it('names a broken header and a broken file list in diagnostics and keeps the rest', async () => {
    const headerless = buildHeaderBlob([{ tag: rpmTag.summary, type: rpmType.string, value: 'no name' }]);
    const badFiles = buildHeaderBlob([
      { tag: rpmTag.name, type: rpmType.string, value: 'odd' },
      { tag: rpmTag.dirIndexes, type: rpmType.int32, value: [0, 5] },
      { tag: rpmTag.baseNames, type: rpmType.stringArray, value: ['a', 'b'] },
      { tag: rpmTag.dirNames, type: rpmType.stringArray, value: ['/x/'] },
    ]);
    const lying = Buffer.from(buildPackageBlob({ name: 'lying' }));
    lying.writeUInt32BE(0x7fffffff, 4);
    const facts = await analyze(
      'var/lib/rpm/Packages.db',
      buildNdb([headerless, badFiles, lying, buildPackageBlob({ name: 'ok' })]),
    );
    assert.deepEqual(
      packagesOf(facts).map((pkg) => [pkg.name, pkg.files]),
      [
        ['odd', []],
        ['ok', []],
      ],
    );
    assert.deepEqual(diagnosticsOf(facts), [
      'parse_error: header 1: header has no NAME',
      'parse_error: odd: file b points past the directory list',
      'parse_error: header 3: header data length 2147483647 is out of range',
    ]);
    const diagnostic = facts.find((fact) => fact.kind === 'diagnostic');
    assert.ok(diagnostic?.kind === 'diagnostic');
    assert.equal(diagnostic.path, 'var/lib/rpm/Packages.db');
    assert.equal(diagnostic.source, 'rpm');
    assert.equal(diagnostic.layer, layer);
  });

  it('reports at most ten problems of one database one by one, then counts the rest', async () => {
    const broken = Array.from({ length: 25 }, () => Buffer.from('garbage!'));
    const facts = await analyze('var/lib/rpm/Packages.db', buildNdb(broken));
    const diagnostics = diagnosticsOf(facts);
    assert.equal(diagnostics.length, 11);
    assert.equal(diagnostics[10], 'parse_error: 15 more problems in this database');
  });

  it('answers an unreadable file with one parse_error diagnostic', async () => {
    for (const content of [Buffer.alloc(0), Buffer.from('asdf'), Buffer.alloc(4096, 0xff)]) {
      const facts = await analyze('var/lib/rpm/rpmdb.sqlite', content);
      assert.equal(facts.length, 1);
      assert.match(diagnosticsOf(facts)[0] ?? '', /^parse_error: /);
    }
  });
});
