/**
 * The dpkg analyzer against the real dpkg databases and expected results of two peer scanners
 * (../shared/testvectors/dpkg-status, README there): every case runs, and each expected field is either
 * compared exactly or named below with the reason it is not; a case that cannot pass is named with its
 * reason and checked to still differ, so none is dropped silently.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { WantsIndex } from '../../layer/wants-index.ts';
import type { AnalyzedFile } from '../contract.ts';
import type { Fact, OwnedFilesFact, PackageFact } from '../fact.ts';
import { dpkgAnalyzer } from './analyzer.ts';
import { parseDeb822 } from './deb822.ts';
import { installedPackages, isInstalled } from './installed-packages.ts';

const vectors = resolve(import.meta.dirname, '../../../../../../shared/testvectors/dpkg-status');
const layer = { index: 0, digest: 'sha256:' + '0'.repeat(64), diffId: undefined, createdBy: undefined };
const wants = new WantsIndex([dpkgAnalyzer]);

interface VectorCase<Expected> {
  readonly test_func: string;
  readonly name: string;
  readonly input_copied: string;
  readonly input_txtar_extracted?: readonly string[];
  readonly expected: Expected;
}

/** The cases of one expected.json, typed as the README describes them (the fields checked below). */
function casesOf<Expected>(folder: string): readonly VectorCase<Expected>[] {
  const file: { cases: VectorCase<Expected>[] } = JSON.parse(
    readFileSync(join(vectors, folder, 'expected.json'), 'utf8'),
  );
  return file.cases;
}

/** Feeds the analyzer what the walker would: the files its `wants` select, whole, in one layer group. */
async function analyzeLayer(files: Readonly<Record<string, Buffer>>): Promise<readonly Fact[]> {
  const wanted: AnalyzedFile[] = Object.entries(files)
    .filter(([path, content]) => wants.match(path, content.length, 0o100644) !== undefined)
    .map(([path, content]) => ({ path, size: content.length, mode: 0o100644, content }));
  return dpkgAnalyzer.analyzeGroup(wanted, { layer, signal: new AbortController().signal });
}

/** What both sides are compared on: the fields Drydock records, in Drydock's terms. */
interface Projected {
  readonly name: string;
  readonly version: string;
  readonly arch: string | undefined;
  readonly source: { readonly name: string; readonly version: string };
  readonly path: string;
  /** Owned files with a leading `/` (trivy's form), when the layer lists any for the package. */
  readonly files?: readonly string[];
}

function byIdentity(a: Projected, b: Projected): number {
  const left = `${a.name} ${a.version} ${a.arch ?? ''} ${a.path}`;
  const right = `${b.name} ${b.version} ${b.arch ?? ''} ${b.path}`;
  return left < right ? -1 : left > right ? 1 : 0;
}

function packagesOf(facts: readonly Fact[]): PackageFact[] {
  return facts.filter((fact): fact is PackageFact => fact.kind === 'package');
}

function ownedOf(facts: readonly Fact[]): OwnedFilesFact[] {
  return facts.filter((fact): fact is OwnedFilesFact => fact.kind === 'owned-files');
}

function project(facts: readonly Fact[], withFiles: boolean): Projected[] {
  const owned = ownedOf(facts);
  return packagesOf(facts)
    .map(({ pkg, path }) => {
      assert.equal(pkg.ecosystem, 'deb');
      assert.ok(pkg.purl.startsWith('pkg:deb/debian/'), pkg.purl);
      assert.ok(pkg.source, `${pkg.name} has a source`);
      const files = owned.find(
        (fact) => fact.packageName === pkg.name || fact.packageName === `${pkg.name}:${pkg.arch}`,
      )?.files;
      return {
        name: pkg.name,
        version: pkg.version,
        arch: pkg.arch,
        source: pkg.source,
        path,
        ...(withFiles && files ? { files: files.map((file) => `/${file}`) } : {}),
      };
    })
    .sort(byIdentity);
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

describe('dpkg vectors: aquasecurity/trivy (Test_dpkgAnalyzer_Analyze)', () => {
  interface TrivyPackage {
    readonly ID: string;
    readonly Name: string;
    readonly Version: string;
    readonly Epoch?: number;
    readonly Release?: string;
    readonly SrcName: string;
    readonly SrcVersion: string;
    readonly SrcEpoch?: number;
    readonly SrcRelease?: string;
    readonly Arch?: string;
    readonly InstalledFiles?: readonly string[];
  }
  interface TrivyWant {
    readonly PackageInfos: readonly {
      readonly FilePath: string;
      readonly Packages: readonly TrivyPackage[];
    }[];
    readonly SystemInstalledFiles?: readonly string[];
  }
  const compared = [
    'ID',
    'Name',
    'Version',
    'Epoch',
    'Release',
    'SrcName',
    'SrcVersion',
    'SrcEpoch',
    'SrcRelease',
    'Arch',
    'InstalledFiles',
  ];
  const notModelled: Readonly<Record<string, string>> = {
    DependsOn: 'PackageRecord has no dependency graph (trivy resolves Depends to name@version)',
    Maintainer: 'PackageRecord has no maintainer',
    Repository: "trivy's official/third-party classification, not part of Drydock's inventory",
    Digest:
      'read by trivy from var/lib/dpkg/available; PackageRecord has no digest and the analyzer does not read available',
  };
  const full = (epoch: number | undefined, version: string, release: string | undefined): string =>
    `${epoch ? `${epoch}:` : ''}${version}${release ? `-${release}` : ''}`;

  for (const vector of casesOf<{ readonly want: TrivyWant }>('trivy')) {
    it(`${vector.name} (${vector.input_copied})`, async () => {
      const root = join(vectors, 'trivy');
      const files: Record<string, Buffer> = {};
      for (const input of vector.input_txtar_extracted ?? []) {
        files[input.split('/').slice(2).join('/')] = readFileSync(join(root, input));
      }
      const facts = await analyzeLayer(files);
      const want = vector.expected.want;
      assertAccounted(vector.expected, ['want'], {}, vector.name);
      assertAccounted(want, ['PackageInfos', 'SystemInstalledFiles'], {}, vector.name);

      const expected: Projected[] = want.PackageInfos.flatMap((info) => {
        assertAccounted(info, ['FilePath', 'Packages'], {}, vector.name);
        return info.Packages.map((pkg) => {
          assertAccounted(pkg, compared, notModelled, `${vector.name} ${pkg.Name}`);
          const version = full(pkg.Epoch, pkg.Version, pkg.Release);
          assert.equal(pkg.ID, `${pkg.Name}@${version}`);
          return {
            name: pkg.Name,
            version,
            arch: pkg.Arch,
            source: { name: pkg.SrcName, version: full(pkg.SrcEpoch, pkg.SrcVersion, pkg.SrcRelease) },
            path: info.FilePath,
            ...(pkg.InstalledFiles ? { files: pkg.InstalledFiles } : {}),
          };
        });
      }).sort(byIdentity);
      assert.deepEqual(project(facts, true), expected);

      const allOwned = ownedOf(facts).flatMap((fact) => fact.files.map((file) => `/${file}`));
      assert.deepEqual(allOwned, want.SystemInstalledFiles ?? []);
    });
  }
});

describe('dpkg vectors: google/osv-scalibr (TestExtract)', () => {
  interface ScalibrPackage {
    readonly Name: string;
    readonly Version: string;
    readonly PURLType: string;
    readonly Metadata: {
      readonly PackageName: string;
      readonly PackageVersion: string;
      readonly Status?: string;
      readonly Architecture?: string;
      readonly SourceName?: string;
      readonly SourceVersion?: string;
    };
    readonly Location: { readonly args: readonly string[] };
  }
  interface ScalibrExpected {
    readonly wantPackages?: readonly ScalibrPackage[] | null;
    readonly wantErr?: string;
    readonly cfg?: unknown;
    readonly isOPKG?: boolean;
  }
  const caseCompared = ['wantPackages', 'wantErr'];
  const caseNotCompared: Readonly<Record<string, string>> = {
    osrelease: "an input of scalibr's test (the OS fields below come from it)",
    cfg: 'an input: the extractor configuration',
    isOPKG: 'an input: the case reads an OpenWrt opkg database',
    wantResultMetric: "scalibr's statistics collector",
    wantLogWarn:
      "scalibr's log counts (Drydock reports problems as diagnostic facts, compared through wantErr)",
    wantLogErr: "scalibr's log counts",
  };
  const packageCompared = ['Name', 'Version', 'PURLType', 'Metadata', 'Location'];
  const packageNotModelled: Readonly<Record<string, string>> = {
    ExploitabilitySignals:
      "scalibr's VEX annotation of transitional packages, not part of Drydock's inventory",
  };
  const metadataCompared = [
    'PackageName',
    'PackageVersion',
    'Status',
    'Architecture',
    'SourceName',
    'SourceVersion',
  ];
  const metadataNotModelled: Readonly<Record<string, string>> = {
    OSID: 'the OS is detected by the os-release analyzer; the inventory puts it in the purl (namespace, distro)',
    OSVersionCodename: 'as OSID',
    OSVersionID: 'as OSID',
    Maintainer: 'PackageRecord has no maintainer',
  };
  /**
   * OpenWrt's opkg is not a Drydock ecosystem (the contract's `Ecosystem` has no `opkg`, and PRODUCT.md
   * does not list OpenWrt): the analyzer does not read `usr/lib/opkg/status` and makes no `pkg:opkg` purl,
   * so for the opkg cases PURLType and Location cannot be Drydock's. Since opkg writes dpkg's format,
   * they run through the analyzer's own stanza parser instead, compared on everything else.
   */
  const opkgLimitation = 'parser only: opkg is not a Drydock ecosystem';
  /** Cases that cannot pass, with the reason; each is checked to still differ. */
  const exceptions: Readonly<Record<string, string>> = {
    'statusfield including not installed (input/dpkg/statusfield)':
      'needs the IncludeNotInstalled option: Drydock inventories installed packages only (Status third word "installed")',
    'statusfield including not installed (input/opkg/statusfield)':
      'needs the IncludeNotInstalled option: Drydock inventories installed packages only (Status third word "installed")',
  };

  function expectedOf(vector: VectorCase<ScalibrExpected>): Projected[] {
    assertAccounted(vector.expected, caseCompared, caseNotCompared, vector.name);
    const packages = vector.expected.wantPackages ?? [];
    return packages
      .map((pkg) => {
        assertAccounted(pkg, packageCompared, packageNotModelled, `${vector.name} ${pkg.Name}`);
        assertAccounted(pkg.Metadata, metadataCompared, metadataNotModelled, `${vector.name} ${pkg.Name}`);
        const { Metadata: metadata } = pkg;
        assert.equal(pkg.PURLType, vector.expected.isOPKG ? 'purl.TypeOpkg' : 'purl.TypeDebian');
        assert.equal(metadata.PackageName, pkg.Name);
        assert.equal(metadata.PackageVersion, pkg.Version);
        const statusRequired = !vector.input_copied.includes('/status.d/');
        assert.ok(isInstalled(metadata.Status, statusRequired) || vector.expected.cfg !== undefined);
        return {
          name: pkg.Name,
          version: pkg.Version,
          arch: metadata.Architecture,
          // scalibr leaves these empty when the stanza has no Source (or no version in it); dpkg-query's
          // ${source:Package} and ${source:Version} then give the binary's own, as Drydock records them.
          source: { name: metadata.SourceName ?? pkg.Name, version: metadata.SourceVersion ?? pkg.Version },
          path: pkg.Location.args[0] ?? '',
        };
      })
      .sort(byIdentity);
  }

  for (const vector of casesOf<ScalibrExpected>('osv-scalibr')) {
    const opkg = vector.expected.isOPKG === true;
    const title = `${vector.name} (${vector.input_copied})`;
    const shown = opkg ? `${title} [${opkgLimitation}]` : title;
    const content = readFileSync(join(vectors, 'osv-scalibr', vector.input_copied));
    const part = /\/status\.d\/([^/]+)$/.exec(vector.input_copied)?.[1];
    const imagePath = opkg
      ? 'usr/lib/opkg/status'
      : part === undefined
        ? 'var/lib/dpkg/status'
        : `var/lib/dpkg/status.d/${part}`;

    const run = async (): Promise<{ got: Projected[]; failed: boolean }> => {
      if (!opkg) {
        const facts = await analyzeLayer({ [imagePath]: content });
        const failed = facts.some((fact) => fact.kind === 'diagnostic' && fact.code === 'parse_error');
        return { got: project(facts, false), failed };
      }
      // opkg: the parser the analyzer uses, on the file as OpenWrt writes it.
      const document = parseDeb822(content.toString('utf8'));
      const { packages, problems } = installedPackages(document.paragraphs, true);
      const got = packages
        .map((pkg) => ({
          name: pkg.name,
          version: pkg.version,
          arch: pkg.arch,
          source: pkg.source,
          path: imagePath,
        }))
        .sort(byIdentity);
      return { got, failed: document.problemCount + problems.length > 0 };
    };

    const reason = exceptions[title];
    if (reason !== undefined) {
      it(`${shown}: cannot pass, ${reason}`, async () => {
        assert.notDeepEqual((await run()).got, expectedOf(vector));
      });
      continue;
    }
    it(shown, async () => {
      const expected = expectedOf(vector);
      for (const pkg of expected) assert.equal(pkg.path, imagePath);
      const { got, failed } = await run();
      assert.deepEqual(got, expected);
      // A file scalibr rejects is a parse_error diagnostic here (and yields no package).
      if (vector.expected.wantErr !== undefined) assert.ok(failed, 'expected a parse_error diagnostic');
    });
  }

  it('names only cases that exist', () => {
    const titles = casesOf<ScalibrExpected>('osv-scalibr').map(
      (vector) => `${vector.name} (${vector.input_copied})`,
    );
    for (const title of Object.keys(exceptions)) assert.ok(titles.includes(title), title);
  });
});
