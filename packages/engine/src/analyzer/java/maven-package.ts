import type { PackageRecord } from '../fact.ts';
import { purlOf } from '../purl.ts';

/** Maven coordinates; `groupId` undefined when only a file name said what the archive is. */
export interface MavenCoordinates {
  readonly groupId: string | undefined;
  readonly artifactId: string;
  readonly version: string;
}

/**
 * A Maven package record: name `groupId:artifactId`, purl `pkg:maven/groupId/artifactId@version`
 * (https://github.com/package-url/purl-spec/blob/main/types-doc/maven-definition.md). Without a
 * groupId there are no Maven coordinates to name: the name is the artifactId alone and the purl
 * is `pkg:generic/artifactId@version`, which no Maven advisory will match by mistake. Undefined
 * for empty fields (hostile input).
 */
export function mavenPackage(
  coordinates: MavenCoordinates,
  extra: Partial<Pick<PackageRecord, 'licenses' | 'dev'>> = {},
): PackageRecord | undefined {
  const { groupId, artifactId, version } = coordinates;
  if (artifactId === '' || version === '' || groupId === '') return undefined;
  let purl: string;
  try {
    purl =
      groupId === undefined
        ? purlOf({ type: 'generic', name: artifactId, version })
        : purlOf({ type: 'maven', namespace: groupId, name: artifactId, version });
  } catch {
    return undefined;
  }
  return {
    ecosystem: 'maven',
    name: groupId === undefined ? artifactId : `${groupId}:${artifactId}`,
    version,
    purl,
    licenses: extra.licenses ?? [],
    ...(extra.dev === true ? { dev: true } : {}),
  };
}
