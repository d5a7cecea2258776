/**
 * The apk analyzer against the real installed databases and expected results of two peer scanners
 * (../shared/testvectors/apk-installed, README there): every case runs, and each expected field is either
 * compared exactly or named below with the reason it is not; differences that cannot pass are named per
 * package with their reason and checked to still differ, so none is dropped silently.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { Fact, PackageFact } from '../fact.ts';
import { apkAnalyzer } from './analyzer.ts';

const vectors = resolve(import.meta.dirname, '../../../../../../shared/testvectors/apk-installed');
const layer = { index: 0, digest: 'sha256:' + '0'.repeat(64), diffId: undefined, createdBy: undefined };
const databasePath = 'lib/apk/db/installed';

interface VectorCase<Expected> {
  readonly name: string;
  readonly input_copied: string;
  readonly expected: Expected;
}

/** The cases of one expected.json, typed as the README describes them (the fields checked below). */
function casesOf<Expected>(folder: string): readonly VectorCase<Expected>[] {
  const file: { cases: VectorCase<Expected>[] } = JSON.parse(
    readFileSync(join(vectors, folder, 'expected.json'), 'utf8'),
  );
  return file.cases;
}

async function analyze(folder: string, input: string): Promise<readonly Fact[]> {
  const content = readFileSync(join(vectors, folder, input));
  return apkAnalyzer.analyze(
    { path: databasePath, size: content.length, mode: 0o100644, content },
    { layer, signal: new AbortController().signal },
  );
}

function packagesOf(facts: readonly Fact[]): PackageFact[] {
  return facts.filter((fact): fact is PackageFact => fact.kind === 'package');
}

/** Every key present must be compared or named as not modelled: nothing is skipped silently. */
function assertAccounted(
  record: object,
  compared: readonly string[],
  notModelled: Readonly<Record<string, string>>,
  where: string,
): void {
  for (const key of Object.keys(record))
    assert.ok(
      compared.includes(key) || key in notModelled,
      `${where}: expected field ${key} is neither compared nor named`,
    );
}

describe('apk vectors: aquasecurity/trivy (TestParseApkInfo)', () => {
  interface TrivyPackage {
    readonly ID: string;
    readonly Name: string;
    readonly Version: string;
    readonly SrcName: string;
    readonly SrcVersion: string;
    readonly Licenses: readonly string[];
    readonly Arch: string;
    readonly InstalledFiles?: readonly string[];
  }
  const compared = ['ID', 'Name', 'Version', 'SrcName', 'SrcVersion', 'Licenses', 'Arch', 'InstalledFiles'];
  const notModelled: Readonly<Record<string, string>> = {
    Maintainer: 'PackageRecord has no maintainer',
    DependsOn: 'PackageRecord has no dependency graph (trivy resolves D: to name@version)',
    Digest: 'PackageRecord has no digest (trivy turns the C: checksum into sha1:...)',
  };
  const normalised =
    'trivy normalises licence names to SPDX here; Drydock keeps L: as written (PackageRecord.licenses) and leaves SPDX normalisation to the inventory';
  /** Packages whose licences cannot equal trivy's, with what Drydock records instead. */
  const licenceExceptions: Readonly<
    Record<string, { readonly declared: readonly string[]; readonly reason: string }>
  > = {
    busybox: { declared: ['GPL2'], reason: normalised },
    'alpine-baselayout': { declared: ['GPL2'], reason: normalised },
    'alpine-keys': { declared: ['GPL'], reason: normalised },
    zlib: { declared: ['zlib'], reason: normalised },
    'libcrypto1.0': { declared: ['openssl'], reason: normalised },
    'libssl1.0': { declared: ['openssl'], reason: normalised },
    'apk-tools': { declared: ['GPL2'], reason: normalised },
    scanelf: { declared: ['GPL2'], reason: normalised },
    'musl-utils': { declared: ['MIT BSD GPL2+'], reason: `${normalised}, splitting the list into three` },
    'libc-utils': { declared: ['GPL'], reason: normalised },
    'ada-libs': {
      declared: ['( Apache-2.0 OR MIT ) AND MPL-2.0'],
      reason:
        'trivy splits the SPDX expression into its licence ids, losing OR/AND; Drydock keeps the expression',
    },
  };

  interface TrivyExpected {
    readonly wantPkgs: readonly TrivyPackage[];
    readonly wantFiles: readonly string[];
  }
  for (const vector of casesOf<TrivyExpected>('trivy')) {
    it(`${vector.name} (${vector.input_copied})`, async () => {
      assertAccounted(vector.expected, ['wantPkgs', 'wantFiles'], {}, vector.name);
      const want = vector.expected.wantPkgs;
      const facts = await analyze('trivy', vector.input_copied);
      const got = packagesOf(facts);
      assert.deepEqual(
        got.map(({ pkg }) => pkg.name),
        want.map((pkg) => pkg.Name),
      );
      for (const [index, expected] of want.entries()) {
        assertAccounted(expected, compared, notModelled, expected.Name);
        const fact = got[index];
        assert.ok(fact);
        const { pkg } = fact;
        assert.equal(expected.ID, `${pkg.name}@${pkg.version}`);
        assert.deepEqual(
          { name: pkg.name, version: pkg.version, source: pkg.source, arch: pkg.arch, files: pkg.files },
          {
            name: expected.Name,
            version: expected.Version,
            source: { name: expected.SrcName, version: expected.SrcVersion },
            arch: expected.Arch,
            files: expected.InstalledFiles ?? [],
          },
        );
        assert.equal(fact.path, databasePath);
        const exception = licenceExceptions[pkg.name];
        if (exception === undefined) assert.deepEqual(pkg.licenses, expected.Licenses, pkg.name);
        else {
          assert.deepEqual(pkg.licenses, exception.declared, `${pkg.name}: ${exception.reason}`);
          assert.notDeepEqual(
            pkg.licenses,
            expected.Licenses,
            `${pkg.name} is named as an exception but passes`,
          );
        }
      }
      assert.deepEqual(
        got.flatMap(({ pkg }) => pkg.files ?? []),
        vector.expected.wantFiles,
      );
      for (const name of Object.keys(licenceExceptions))
        assert.ok(
          want.some((pkg) => pkg.Name === name),
          name,
        );
      // The entry without V: is skipped and reported.
      assert.ok(facts.some((fact) => fact.kind === 'diagnostic' && fact.code === 'parse_error'));
    });
  }
});

describe('apk vectors: google/osv-scalibr (TestExtract)', () => {
  const caseNotModelled: Readonly<Record<string, string>> = {
    osrelease: "an input of scalibr's test (osID and osVersionID below come from it)",
    wantResultMetric: "scalibr's statistics collector",
  };
  /** getPackage(path, pkgName, origin, version, osID, osVersionID, maintainer, arch, license, commit) */
  const argumentsCompared = [1, 2, 3, 7, 8];
  const argumentNotModelled: Readonly<Record<number, string>> = {
    0: "scalibr's Location is its fixture path (testdata/...); the analyzer reads lib/apk/db/installed",
    4: 'the OS is detected by the os-release analyzer; the inventory puts it in the purl (namespace, distro)',
    5: 'as osID',
    6: 'PackageRecord has no maintainer',
    9: 'PackageRecord has no source commit (c:)',
  };

  interface ScalibrExpected {
    readonly wantPackages?: readonly { readonly $call: string; readonly args: readonly string[] }[] | null;
    readonly wantErr?: string;
  }
  for (const vector of casesOf<ScalibrExpected>('osv-scalibr')) {
    it(`${vector.name} (${vector.input_copied})`, async () => {
      assertAccounted(vector.expected, ['wantPackages', 'wantErr'], caseNotModelled, vector.name);
      const calls = vector.expected.wantPackages ?? [];
      const expected = calls.map(({ $call, args }) => {
        assert.equal($call, 'getPackage');
        assert.equal(args.length, 10);
        const accounted = [...argumentsCompared, ...Object.keys(argumentNotModelled).map(Number)];
        assert.deepEqual(
          accounted.sort((a, b) => a - b),
          args.map((_, index) => index),
        );
        const [, name = '', origin = '', version = '', , , , arch = '', license = ''] = args;
        return {
          name,
          version,
          // No o: line: the package is its own source, as for dpkg without Source.
          source: { name: origin || name, version },
          arch: arch || undefined,
          licenses: license === '' ? [] : [license],
        };
      });
      const facts = await analyze('osv-scalibr', vector.input_copied);
      const got = packagesOf(facts).map(({ pkg }) => ({
        name: pkg.name,
        version: pkg.version,
        source: pkg.source,
        arch: pkg.arch,
        licenses: pkg.licenses,
      }));
      assert.deepEqual(got, expected);
      const failed = facts.some((fact) => fact.kind === 'diagnostic' && fact.code === 'parse_error');
      assert.equal(
        failed,
        vector.expected.wantErr !== undefined,
        'a parse_error diagnostic exactly when scalibr fails',
      );
    });
  }
});
