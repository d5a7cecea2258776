export interface SourceRpm {
  readonly name: string;
  readonly version: string;
  readonly release: string;
}

/**
 * Splits a SOURCERPM file name, `name-version-release.src.rpm` (or `.nosrc.rpm`), into its parts.
 * Version and release never contain `-` (rpm refuses them), so the last two dashes separate the
 * three; the name may contain dashes. Anything else is `undefined`.
 * See https://rpm-software-management.github.io/rpm/manual/spec.html (Name, Version, Release).
 */
export function parseSourceRpm(fileName: string): SourceRpm | undefined {
  const stem = /^(.+)\.(?:no)?src\.rpm$/.exec(fileName)?.[1];
  if (!stem) return undefined;
  const releaseDash = stem.lastIndexOf('-');
  const versionDash = stem.lastIndexOf('-', releaseDash - 1);
  if (versionDash <= 0 || releaseDash - versionDash < 2 || releaseDash === stem.length - 1) return undefined;
  return {
    name: stem.slice(0, versionDash),
    version: stem.slice(versionDash + 1, releaseDash),
    release: stem.slice(releaseDash + 1),
  };
}
