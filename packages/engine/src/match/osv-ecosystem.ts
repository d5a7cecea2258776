import type { Ecosystem } from '../analyzer/fact.ts';
import type { DetectedOs } from '../inventory/coalesce-os.ts';
import type { InventoryPackage } from '../inventory/coalesce-packages.ts';
import type { SchemeId } from '../versioning/scheme.ts';

/** Where to look a package up: OSV ecosystem names (https://ossf.github.io/osv-schema/#affectedpackage-field) and the names to try. */
export interface OsvQuery {
  readonly ecosystems: readonly string[];
  readonly names: readonly { readonly name: string; readonly by: 'name' | 'source' }[];
  readonly scheme: SchemeId;
  /** The version to evaluate (an OS package's source version when matching by source). */
  readonly versionFor: (by: 'name' | 'source') => string;
}

const languageEcosystems: Readonly<
  Partial<Record<Ecosystem, { readonly ecosystem: string; readonly scheme: SchemeId }>>
> = {
  npm: { ecosystem: 'npm', scheme: 'semver' },
  pypi: { ecosystem: 'PyPI', scheme: 'pep440' },
  golang: { ecosystem: 'Go', scheme: 'go' },
  maven: { ecosystem: 'Maven', scheme: 'maven' },
  gem: { ecosystem: 'RubyGems', scheme: 'rubygems' },
  cargo: { ecosystem: 'crates.io', scheme: 'cargo' },
  composer: { ecosystem: 'Packagist', scheme: 'composer' },
  nuget: { ecosystem: 'NuGet', scheme: 'nuget' },
};

function majorMinor(version: string | undefined): string | undefined {
  return /^(\d+\.\d+)/.exec(version ?? '')?.[1];
}

function major(version: string | undefined): string | undefined {
  return /^(\d+)/.exec(version ?? '')?.[1];
}

/** The OSV ecosystems that name advisories for the image's distribution release. */
export function distributionEcosystems(os: DetectedOs | undefined): readonly string[] {
  if (!os) return [];
  switch (os.family) {
    case 'debian': {
      const release = major(os.versionId);
      return release ? [`Debian:${release}`] : [];
    }
    case 'ubuntu': {
      const release = majorMinor(os.versionId);
      return release ? [`Ubuntu:${release}`, `Ubuntu:${release}:LTS`] : [];
    }
    case 'alpine': {
      const release = majorMinor(os.versionId);
      return release ? [`Alpine:v${release}`] : [];
    }
    case 'almalinux':
      return major(os.versionId) ? [`AlmaLinux:${major(os.versionId)}`] : [];
    case 'rocky':
      return major(os.versionId) ? [`Rocky Linux:${major(os.versionId)}`] : [];
    case 'wolfi':
      return ['Wolfi'];
    case 'chainguard':
      return ['Chainguard'];
    case 'mariner':
      return major(os.versionId) ? [`Mariner:${majorMinor(os.versionId) ?? major(os.versionId)}`] : [];
    case 'azurelinux':
      return major(os.versionId) ? [`Azure Linux:${majorMinor(os.versionId) ?? major(os.versionId)}`] : [];
    case 'opensuse':
    case 'suse':
    case 'redhat':
    case 'centos':
    case 'fedora':
    case 'amazon':
    case 'oracle':
    case 'photon':
    case 'openeuler':
    case 'busybox':
    case 'unknown':
      // No OSV ecosystem with a stable per-release name is mapped for these yet.
      return [];
  }
}

/** PEP 503 normalisation, as PyPI and its OSV records name projects. */
export function normalisePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * How one inventory package is looked up. OS packages are looked up in their distribution's
 * ecosystem by binary name and by source package (Debian and Alpine advisories name the source);
 * language packages in their ecosystem with the ecosystem's name rules. Undefined when Drydock has
 * no OSV ecosystem for the package (no fuzzy or CPE matching, ever).
 */
export function osvQueryFor(pkg: InventoryPackage, os: DetectedOs | undefined): OsvQuery | undefined {
  switch (pkg.ecosystem) {
    case 'deb':
    case 'apk':
    case 'rpm': {
      const ecosystems = distributionEcosystems(os);
      if (ecosystems.length === 0) return undefined;
      const scheme: SchemeId = pkg.ecosystem === 'deb' ? 'dpkg' : pkg.ecosystem;
      const names: { name: string; by: 'name' | 'source' }[] = [{ name: pkg.name, by: 'name' }];
      if (pkg.source && pkg.source.name !== pkg.name) names.push({ name: pkg.source.name, by: 'source' });
      return {
        ecosystems,
        names,
        scheme,
        // Source records carry the source version; for rpm the binary and source versions agree.
        versionFor: (by) =>
          by === 'source' && pkg.ecosystem !== 'rpm' && pkg.source ? pkg.source.version : pkg.version,
      };
    }
    case 'pypi': {
      const target = languageEcosystems.pypi;
      if (!target) return undefined;
      return {
        ecosystems: [target.ecosystem],
        names: [{ name: normalisePypiName(pkg.name), by: 'name' }],
        scheme: target.scheme,
        versionFor: () => pkg.version,
      };
    }
    case 'npm':
    case 'golang':
    case 'maven':
    case 'gem':
    case 'cargo':
    case 'composer':
    case 'nuget': {
      const target = languageEcosystems[pkg.ecosystem];
      if (!target || pkg.version === '') return undefined;
      const name = pkg.ecosystem === 'composer' ? pkg.name.toLowerCase() : pkg.name;
      return {
        ecosystems: [target.ecosystem],
        names: [{ name, by: 'name' }],
        scheme: target.scheme,
        versionFor: () => pkg.version,
      };
    }
  }
}
