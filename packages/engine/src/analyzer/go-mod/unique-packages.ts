import type { PackageRecord } from '../fact.ts';

/**
 * One record per `name@version`, first occurrence first; a package is dev-only when every
 * occurrence is (a lock file may list it under several targets or groups). `undefined` entries,
 * records a constructor refused, are dropped. Shared by the lock-file analyzers of several folders.
 */
export function uniquePackages(packages: Iterable<PackageRecord | undefined>): PackageRecord[] {
  const byKey = new Map<string, PackageRecord>();
  for (const pkg of packages) {
    if (pkg === undefined) continue;
    const key = `${pkg.name}@${pkg.version}`;
    const seen = byKey.get(key);
    if (seen === undefined) byKey.set(key, pkg);
    else if (seen.dev === true && pkg.dev !== true) {
      const { dev: _dev, ...rest } = seen;
      byKey.set(key, rest);
    }
  }
  return [...byKey.values()];
}
