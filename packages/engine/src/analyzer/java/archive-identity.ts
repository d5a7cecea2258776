import type { MavenCoordinates } from './maven-package.ts';

const artifactIdPattern = /^[A-Za-z0-9_.-]+$/;

/**
 * Coordinates from a `META-INF/maven/<groupId>/<artifactId>/pom.properties` (written by Maven's
 * archiver): all three of groupId, artifactId and version, or none.
 */
export function pomCoordinates(properties: ReadonlyMap<string, string>): MavenCoordinates | undefined {
  const groupId = properties.get('groupId')?.trim() ?? '';
  const artifactId = properties.get('artifactId')?.trim() ?? '';
  const version = properties.get('version')?.trim() ?? '';
  if (groupId === '' || artifactId === '' || version === '') return undefined;
  return { groupId, artifactId, version };
}

/** True for `META-INF/maven/<groupId>/<artifactId>/pom.properties`. */
export function isPomProperties(entryName: string): boolean {
  return /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(entryName);
}

/**
 * `name-1.2.3.jar` → artifactId `name`, version `1.2.3`: the version starts at the last `-` that
 * is followed by a digit (`guava-31.1-jre` → `guava`, `31.1-jre`; `log4j-1.2-api-2.17.1` →
 * `log4j-1.2-api`, `2.17.1`).
 */
export function fileNameCoordinates(
  fileName: string,
): { readonly artifactId: string; readonly version: string } | undefined {
  const stem = fileName.replace(/\.[A-Za-z]+$/, '');
  const match = /^(.+)-(\d[^\s/]*)$/.exec(stem);
  if (match === null) return undefined;
  const [, artifactId = '', version = ''] = match;
  if (!artifactIdPattern.test(artifactId)) return undefined;
  return { artifactId, version };
}

/**
 * Coordinates from the manifest's main section, where it names them with some certainty:
 * `Implementation-Vendor-Id` (the groupId Maven writes) with an artifact-like
 * `Implementation-Title` and `Implementation-Version`; or an OSGi `Bundle-SymbolicName` ending in
 * `.<artifactId of the file name>` with `Bundle-Version` (`com.fasterxml.jackson.core.jackson-databind`).
 * Vendor and title prose ("The Apache Software Foundation") is no coordinate and is not used.
 */
export function manifestCoordinates(
  headers: ReadonlyMap<string, string>,
  fromFileName: { readonly artifactId: string } | undefined,
): MavenCoordinates | undefined {
  const vendorId = headers.get('implementation-vendor-id') ?? '';
  const title = headers.get('implementation-title') ?? '';
  const version = headers.get('implementation-version') ?? '';
  if (vendorId !== '' && artifactIdPattern.test(vendorId) && artifactIdPattern.test(title) && version !== '')
    return { groupId: vendorId, artifactId: title, version };
  const symbolicName = (headers.get('bundle-symbolicname') ?? '').split(';')[0]?.trim() ?? '';
  const bundleVersion = headers.get('bundle-version') ?? '';
  if (fromFileName === undefined || symbolicName === '' || bundleVersion === '') return undefined;
  const suffix = `.${fromFileName.artifactId}`;
  if (!symbolicName.endsWith(suffix) || symbolicName.length === suffix.length) return undefined;
  return {
    groupId: symbolicName.slice(0, -suffix.length),
    artifactId: fromFileName.artifactId,
    version: bundleVersion,
  };
}

/**
 * The groupId a repository layout gives a file: a Maven repository
 * `.../repository/<g>/<r>/<o>/<artifactId>/<version>/<file>` (`~/.m2/repository`, Debian's
 * `/usr/share/maven-repo`) or Gradle's cache `.../files-2.1/<groupId>/<artifactId>/<version>/<hash>/<file>`.
 */
export function repositoryGroupId(path: string, artifactId: string, version: string): string | undefined {
  const segments = path.split('/');
  const n = segments.length;
  if (segments[n - 3] === artifactId && segments[n - 2] === version) {
    const root = Math.max(
      segments.lastIndexOf('repository', n - 4),
      segments.lastIndexOf('maven-repo', n - 4),
    );
    if (root >= 0 && root < n - 4) return segments.slice(root + 1, n - 3).join('.');
  }
  if (segments[n - 6] === 'files-2.1' && segments[n - 4] === artifactId && segments[n - 3] === version)
    return segments[n - 5];
  return undefined;
}
