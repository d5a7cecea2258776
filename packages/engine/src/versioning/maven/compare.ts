import { compareItems } from './items.ts';
import { parseMavenVersion } from './parse.ts';

/** Orders two Maven versions as `ComparableVersion.compareTo` of Maven 3.8.7 does. Returns -1, 0 or 1. */
export function compareMavenVersions(a: string, b: string): number {
  return compareItems(
    { kind: 'list', items: parseMavenVersion(a) },
    { kind: 'list', items: parseMavenVersion(b) },
  );
}
