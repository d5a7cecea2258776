import type { MavenCoordinates } from './maven-package.ts';

export interface GradleLock {
  readonly coordinates: MavenCoordinates & { readonly groupId: string };
  /** Only test configurations (`testCompileClasspath`, `testRuntimeClasspath`, ...) need it. */
  readonly dev: boolean;
}

/**
 * Parses a Gradle dependency lock file (https://docs.gradle.org/current/userguide/dependency_locking.html):
 * `group:artifact:version=configuration,configuration` lines; `#` comments and the `empty=` line
 * listing configurations without dependencies. Lines of any other shape are skipped.
 */
export function parseGradleLockfile(text: string): GradleLock[] {
  const locks: GradleLock[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('empty=')) continue;
    const equals = line.indexOf('=');
    const coordinates = equals < 0 ? line : line.slice(0, equals);
    const parts = coordinates.split(':');
    if (parts.length !== 3) continue;
    const [groupId = '', artifactId = '', version = ''] = parts.map((part) => part.trim());
    if (groupId === '' || artifactId === '' || version === '' || /\s/.test(groupId + artifactId + version))
      continue;
    const configurations =
      equals < 0
        ? []
        : line
            .slice(equals + 1)
            .split(',')
            .map((name) => name.trim())
            .filter(Boolean);
    const dev = configurations.length > 0 && configurations.every((name) => name.startsWith('test'));
    locks.push({ coordinates: { groupId, artifactId, version }, dev });
  }
  return locks;
}
