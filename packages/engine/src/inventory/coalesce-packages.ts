import { PackageURL } from 'packageurl-js';
import type {
  Ecosystem,
  LicenseFact,
  OwnedFilesFact,
  PackageFact,
  PackageOrigin,
  PackageRecord,
} from '../analyzer/fact.ts';
import type { LayerRef } from '../analyzer/layer-ref.ts';
import type { DetectedOs } from './coalesce-os.ts';
import type { SurvivingFiles } from './surviving-files.ts';

/** One package of the final image: what the analyzer read, where, and which layer brought it in. */
export interface InventoryPackage extends PackageRecord {
  /** The file it was read from, relative to the image root. */
  readonly path: string;
  readonly origin: PackageOrigin;
  /** The layer that introduced this package at this version (not merely the last to rewrite its database). */
  readonly layer: LayerRef;
}

const osEcosystems: ReadonlySet<Ecosystem> = new Set(['deb', 'apk', 'rpm']);

/**
 * An image can hold more than one rpm database (a `Packages` left beside `rpmdb.sqlite` after a
 * migration); rpm itself reads the configured one. Prefer the newest format, then the
 * `usr/lib/sysimage` location that rpm ≥ 4.17 uses.
 */
function rpmDatabaseRank(path: string): number {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const format = name === 'rpmdb.sqlite' ? 0 : name === 'Packages.db' ? 1 : 2;
  return format * 2 + (path.startsWith('usr/lib/sysimage/') ? 0 : 1);
}

function packageKey(pkg: PackageRecord): string {
  return `${pkg.name}\u0000${pkg.version}\u0000${pkg.arch ?? ''}`;
}

/**
 * Qualifies OS package URLs with the distribution the image runs, as purl-spec's deb/apk/rpm
 * types ask: the namespace is the distribution id and `distro` names the release.
 */
function withDistro(purl: string, ecosystem: Ecosystem, os: DetectedOs | undefined): string {
  if (!os || !osEcosystems.has(ecosystem)) return purl;
  try {
    const parsed = PackageURL.fromString(purl);
    const qualifiers = { ...(parsed.qualifiers ?? {}) };
    if (os.versionId) qualifiers['distro'] = `${os.id}-${os.versionId}`;
    return new PackageURL(
      parsed.type,
      os.id,
      parsed.name,
      parsed.version,
      qualifiers,
      parsed.subpath,
    ).toString();
  } catch {
    return purl;
  }
}

/**
 * Joins per-layer package facts into the image's inventory. Only facts whose file survives in the
 * final filesystem count (a database rewritten or deleted by a later layer is replaced or gone).
 * A package's layer is the lowest layer from which every later copy of the same database still
 * lists it at the same version: the layer that installed it, not the one that last touched the file.
 */
export function coalescePackages(
  packageFacts: readonly PackageFact[],
  ownedFiles: readonly OwnedFilesFact[],
  files: SurvivingFiles,
  os: DetectedOs | undefined,
  licenseFacts: readonly LicenseFact[] = [],
): InventoryPackage[] {
  // Per database path: layer index → package keys present in that layer's copy.
  const history = new Map<string, Map<number, Set<string>>>();
  const layers = new Map<number, LayerRef>();
  for (const fact of packageFacts) {
    layers.set(fact.layer.index, fact.layer);
    let byLayer = history.get(fact.path);
    if (!byLayer) history.set(fact.path, (byLayer = new Map()));
    let keys = byLayer.get(fact.layer.index);
    if (!keys) byLayer.set(fact.layer.index, (keys = new Set()));
    keys.add(packageKey(fact.pkg));
  }

  const survivingOwned = new Map<string, string[]>();
  for (const fact of ownedFiles) {
    if (files.layerOf(fact.path) !== fact.layer.index) continue;
    survivingOwned.set(`${fact.ecosystem}\u0000${fact.packageName}`, [...fact.files]);
  }

  const survivingLicenses = new Map<string, readonly string[]>();
  for (const fact of licenseFacts) {
    if (files.layerOf(fact.path) !== fact.layer.index) continue;
    survivingLicenses.set(`${fact.ecosystem}\u0000${fact.packageName}`, fact.licenses);
  }

  const rpmPaths = [
    ...new Set(
      packageFacts
        .filter((fact) => fact.pkg.ecosystem === 'rpm' && files.layerOf(fact.path) === fact.layer.index)
        .map((fact) => fact.path),
    ),
  ].sort((a, b) => rpmDatabaseRank(a) - rpmDatabaseRank(b));
  const rpmDatabase = rpmPaths[0];

  const inventory: InventoryPackage[] = [];
  for (const fact of packageFacts) {
    if (files.layerOf(fact.path) !== fact.layer.index) continue;
    if (fact.pkg.ecosystem === 'rpm' && fact.path !== rpmDatabase) continue;
    const key = packageKey(fact.pkg);
    const byLayer = history.get(fact.path);
    let introduced = fact.layer;
    if (byLayer) {
      const earlier = [...byLayer.keys()].filter((index) => index < fact.layer.index).sort((a, b) => b - a);
      for (const index of earlier) {
        if (!byLayer.get(index)?.has(key)) break;
        introduced = layers.get(index) ?? introduced;
      }
    }
    const owned =
      fact.pkg.files ??
      survivingOwned.get(`${fact.pkg.ecosystem}\u0000${fact.pkg.name}`) ??
      (fact.pkg.arch
        ? survivingOwned.get(`${fact.pkg.ecosystem}\u0000${fact.pkg.name}:${fact.pkg.arch}`)
        : undefined);
    const licenses =
      fact.pkg.licenses.length > 0
        ? fact.pkg.licenses
        : (survivingLicenses.get(`${fact.pkg.ecosystem}\u0000${fact.pkg.name}`) ?? fact.pkg.licenses);
    inventory.push({
      ...fact.pkg,
      licenses,
      purl: withDistro(fact.pkg.purl, fact.pkg.ecosystem, os),
      ...(owned ? { files: owned } : {}),
      path: fact.path,
      origin: fact.origin,
      layer: introduced,
    });
  }
  return inventory.sort(
    (a, b) =>
      a.ecosystem.localeCompare(b.ecosystem) ||
      a.name.localeCompare(b.name) ||
      a.version.localeCompare(b.version) ||
      a.path.localeCompare(b.path),
  );
}
