/**
 * Image inventories for the service benchmarks (bench/rematch.ts): real package names and versions
 * from the OSV records of ../shared/vulndata, shaped the way a fleet looks. A few base images
 * (AlmaLinux 8 rpms or Alpine 3.10 apks) are shared by many images, and each image adds an
 * application layer of one language ecosystem whose popular packages recur across images.
 * Seeded, so every run builds the same inventories.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ecosystem, ImageReport, InventoryPackage, OsSummary } from '@drydock/engine';
import { versionSchemes } from '../packages/engine/src/versioning/registry.ts';
import type { SchemeId } from '../packages/engine/src/versioning/scheme.ts';

export const vulndataDir = join(import.meta.dirname, '..', '..', 'shared', 'vulndata');

/** One OSV record as far as the generator reads it (the rest is kept as it is). */
export interface OsvRecord {
  readonly id: string;
  readonly modified?: string;
  readonly withdrawn?: string;
  readonly affected?: readonly {
    readonly package: { readonly ecosystem: string; readonly name: string };
    readonly ranges?: readonly {
      readonly type?: string;
      readonly events: readonly Record<string, string>[];
    }[];
    readonly versions?: readonly string[];
  }[];
  readonly [field: string]: unknown;
}

/** Every record of ../shared/vulndata, in file order. */
export async function readVulndata(): Promise<OsvRecord[]> {
  const records: OsvRecord[] = [];
  const walk = async (directory: string): Promise<void> => {
    for (const entry of (await readdir(directory, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.jsonl'))
        for (const line of (await readFile(path, 'utf8')).split('\n'))
          if (line !== '') records.push(JSON.parse(line) as OsvRecord);
    }
  };
  await walk(vulndataDir);
  return records;
}

/** The OSV ecosystems used, and how the engine names them. */
const ecosystemsOf: Readonly<Record<string, Ecosystem>> = {
  'AlmaLinux:8': 'rpm',
  'Alpine:v3.10': 'apk',
  PyPI: 'pypi',
  Go: 'golang',
  npm: 'npm',
  'crates.io': 'cargo',
  Packagist: 'composer',
  RubyGems: 'gem',
};

/** Where each ecosystem's packages are read from in a real image. */
const pathOf: Readonly<Record<string, string>> = {
  rpm: 'var/lib/rpm/rpmdb.sqlite',
  apk: 'lib/apk/db/installed',
  pypi: 'app/requirements.txt',
  golang: 'app/server',
  npm: 'app/package-lock.json',
  cargo: 'app/Cargo.lock',
  composer: 'app/composer.lock',
  gem: 'app/Gemfile.lock',
};

/** How each ecosystem orders its versions. */
const schemeOf: Readonly<Record<string, SchemeId>> = {
  rpm: 'rpm',
  apk: 'apk',
  pypi: 'pep440',
  golang: 'go',
  npm: 'semver',
  cargo: 'cargo',
  composer: 'composer',
  gem: 'rubygems',
};

interface PoolPackage {
  readonly name: string;
  /** Versions the records name as fixed, newest first. */
  readonly versions: readonly string[];
}

/** Valid versions, newest first, under the ecosystem's own ordering. */
function newestFirst(ecosystem: Ecosystem, versions: Iterable<string>): string[] {
  const scheme = versionSchemes[schemeOf[ecosystem] ?? 'semver'];
  return [...versions].filter((version) => scheme.isValid(version)).sort((a, b) => scheme.compare(b, a));
}

/** (engine ecosystem) → packages with the versions their records name. */
export function packagePools(records: readonly OsvRecord[]): Map<Ecosystem, PoolPackage[]> {
  const named = new Map<Ecosystem, Map<string, Set<string>>>();
  for (const record of records)
    for (const affected of record.affected ?? []) {
      const ecosystem = ecosystemsOf[affected.package.ecosystem];
      if (!ecosystem) continue;
      const versions = (affected.ranges ?? [])
        .flatMap((range) => range.events)
        .map((event) => event['fixed'])
        .filter((version): version is string => version !== undefined);
      if (versions.length === 0) continue;
      let byName = named.get(ecosystem);
      if (!byName) named.set(ecosystem, (byName = new Map()));
      const set = byName.get(affected.package.name) ?? new Set<string>();
      for (const version of versions) set.add(version);
      byName.set(affected.package.name, set);
    }
  const pools = new Map<Ecosystem, PoolPackage[]>();
  for (const [ecosystem, byName] of named)
    pools.set(
      ecosystem,
      [...byName]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, versions]) => ({ name, versions: newestFirst(ecosystem, versions) }))
        .filter((pkg) => pkg.versions.length > 0),
    );
  return pools;
}

/** mulberry32: a small seeded generator, so the fleet is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function digestOf(label: string, index: number): string {
  return `sha256:${(label + index.toString(16)).padStart(64, '0').slice(-64)}`;
}

/** Picks `count` distinct packages, popular ones (low indexes) far more often: fleets share them. */
function pickPackages(pool: readonly PoolPackage[], count: number, random: () => number): PoolPackage[] {
  const used = new Set<number>();
  const wanted = Math.min(count, pool.length);
  while (used.size < wanted) {
    let index = Math.floor(pool.length * random() ** 3);
    // Taken already: the next free one, so a small pool still fills in one pass.
    while (used.has(index)) index = (index + 1) % pool.length;
    used.add(index);
  }
  return [...used].flatMap((index) => pool[index] ?? []);
}

/**
 * Mostly the newest fixed version the records name (kept up to date), some a fix or more behind:
 * a fleet has tens of findings per image, not hundreds.
 */
function versionOf(pkg: PoolPackage, random: () => number): string {
  const behind = Math.floor(random() ** 6 * pkg.versions.length);
  return pkg.versions[behind] ?? pkg.versions[0] ?? '0';
}

function inventoryPackage(
  ecosystem: Ecosystem,
  pkg: PoolPackage,
  version: string,
  layer: InventoryPackage['layer'],
): InventoryPackage {
  return {
    ecosystem,
    name: pkg.name,
    version,
    purl: `pkg:${ecosystem}/${encodeURIComponent(pkg.name)}@${encodeURIComponent(version)}`,
    licenses: [],
    path: pathOf[ecosystem] ?? 'app',
    origin: ecosystem === 'rpm' || ecosystem === 'apk' ? 'installed' : 'lockfile',
    layer,
  };
}

interface BaseImage {
  readonly os: OsSummary;
  readonly layer: InventoryPackage['layer'];
  readonly packages: readonly InventoryPackage[];
}

const almaLinux: OsSummary = {
  family: 'almalinux',
  id: 'almalinux',
  name: 'AlmaLinux',
  version: '8.9',
  codename: undefined,
  prettyName: 'AlmaLinux 8.9 (Midnight Oncilla)',
  path: 'etc/os-release',
  layerIndex: 0,
};
const alpine: OsSummary = {
  family: 'alpine',
  id: 'alpine',
  name: 'Alpine Linux',
  version: '3.10.9',
  codename: undefined,
  prettyName: 'Alpine Linux v3.10',
  path: 'etc/os-release',
  layerIndex: 0,
};

/** Base images: each an OS layer of 60–140 packages. */
function baseImages(pools: Map<Ecosystem, PoolPackage[]>, count: number, random: () => number): BaseImage[] {
  const bases: BaseImage[] = [];
  for (let index = 0; index < count; index += 1) {
    const ecosystem: Ecosystem = index % 3 === 2 ? 'apk' : 'rpm';
    const layer = { index: 0, digest: digestOf('base', index), diffId: undefined, createdBy: 'ADD rootfs /' };
    const chosen = pickPackages(pools.get(ecosystem) ?? [], 60 + Math.floor(random() * 80), random);
    bases.push({
      os: ecosystem === 'apk' ? alpine : almaLinux,
      layer,
      packages: chosen.map((pkg) => inventoryPackage(ecosystem, pkg, versionOf(pkg, random), layer)),
    });
  }
  return bases;
}

const applicationEcosystems: readonly Ecosystem[] = ['npm', 'pypi', 'golang', 'composer', 'gem', 'cargo'];

/** One image's report before matching: its base's packages and its own application layer's. */
function imageReport(base: BaseImage, application: readonly InventoryPackage[], index: number): ImageReport {
  const appLayer = application[0]?.layer;
  const layers = [base.layer, ...(appLayer ? [appLayer] : [])].map((layer, position) => ({
    index: position,
    digest: layer.digest,
    diffId: undefined,
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    size: position === 0 ? 30_000_000 : 2_000_000,
    uncompressedSize: position === 0 ? 80_000_000 : 6_000_000,
    createdBy: layer.createdBy,
    stats: {
      files: position === 0 ? 4000 : 900,
      directories: position === 0 ? 600 : 120,
      symlinks: 40,
      hardlinks: 0,
      totalBytes: position === 0 ? 80_000_000 : 6_000_000,
      whiteouts: 0,
      largest: [],
      setuid: [],
      setgid: [],
      worldWritable: [],
    },
  }));
  return {
    platform: { os: 'linux', architecture: 'amd64' },
    manifestDigest: digestOf('manifest', index),
    configDigest: digestOf('config', index),
    repoTags: [],
    created: '2026-11-01T00:00:00Z',
    config: {
      user: 'app',
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      entrypoint: ['/app/start'],
      cmd: [],
      workingDir: '/app',
      exposedPorts: ['8080/tcp'],
      labels: {},
      healthcheck: undefined,
    },
    os: base.os,
    layers,
    packages: [...base.packages, ...application],
    vulnerabilities: [],
    files: {
      files: 4900,
      directories: 720,
      symlinks: 80,
      totalBytes: 86_000_000,
      largest: [],
      setuid: [],
      setgid: [],
      worldWritable: [],
    },
    diagnostics: [],
    durationMs: 0,
  };
}

/**
 * `count` image reports without findings (match them before storing), one at a time so a large
 * fleet never sits in memory at once: base images shared by about 400 images each, 100–300
 * packages per image in all.
 */
export function* generateInventories(records: readonly OsvRecord[], count: number): Generator<ImageReport> {
  const random = seeded(12);
  const pools = packagePools(records);
  const bases = baseImages(pools, Math.max(1, Math.ceil(count / 400)), random);
  for (let index = 0; index < count; index += 1) {
    const base = bases[index % bases.length];
    if (!base) break;
    const ecosystem = applicationEcosystems[index % applicationEcosystems.length] ?? 'npm';
    const layer = {
      index: 1,
      digest: digestOf('app', index),
      diffId: undefined,
      createdBy: 'COPY app /app',
    };
    const wanted = Math.max(10, 100 + Math.floor(random() * 200) - base.packages.length);
    const application = pickPackages(pools.get(ecosystem) ?? [], wanted, random).map((pkg) =>
      inventoryPackage(ecosystem, pkg, versionOf(pkg, random), layer),
    );
    yield imageReport(base, application, index);
  }
}
