import type { PackageRecord } from '../fact.ts';
import { purlOf } from '../purl.ts';
import type { RpmPackage } from './rpm-package.ts';
import { parseSourceRpm } from './source-rpm.ts';
import { namespaceOfVendor } from './vendor-namespace.ts';

/**
 * The inventory's view of an installed rpm: `version` is `[epoch:]version-release` (the epoch
 * only when above 0, as rpm orders a missing epoch like 0), the purl is
 * `pkg:rpm/<vendor namespace>/<name>@<version>-<release>?arch=<arch>&epoch=<epoch>`, the source
 * package comes from SOURCERPM with `version-release` as its version, and owned files are
 * relative to the image root (the root directory itself, which `filesystem` owns, is left out).
 */
export function toPackageRecord(pkg: RpmPackage): PackageRecord {
  const versionRelease = pkg.release ? `${pkg.version}-${pkg.release}` : pkg.version;
  const epoch = pkg.epoch ?? 0;
  const source = parseSourceRpm(pkg.sourceRpm);
  return {
    ecosystem: 'rpm',
    name: pkg.name,
    version: epoch > 0 ? `${epoch}:${versionRelease}` : versionRelease,
    purl: purlOf({
      type: 'rpm',
      namespace: namespaceOfVendor(pkg.vendor),
      name: pkg.name,
      version: versionRelease,
      qualifiers: { arch: pkg.arch, epoch: epoch > 0 ? String(epoch) : '' },
    }),
    licenses: pkg.license ? [pkg.license] : [],
    ...(source && { source: { name: source.name, version: `${source.version}-${source.release}` } }),
    ...(pkg.arch && { arch: pkg.arch }),
    ...(pkg.epoch !== undefined && { epoch: pkg.epoch }),
    ...(pkg.release && { release: pkg.release }),
    ...(pkg.vendor && { vendor: pkg.vendor }),
    ...(pkg.modularityLabel && { modularityLabel: pkg.modularityLabel }),
    files: pkg.files.map((file) => file.replace(/^\/+/, '')).filter((file) => file !== ''),
  };
}
