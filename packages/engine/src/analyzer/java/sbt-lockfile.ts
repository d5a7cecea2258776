import type { MavenCoordinates } from './maven-package.ts';

export interface SbtLock {
  readonly coordinates: MavenCoordinates & { readonly groupId: string };
  /** Only the `test` configuration needs it. */
  readonly dev: boolean;
}

export type SbtLockResult =
  { readonly ok: true; readonly locks: readonly SbtLock[] } | { readonly ok: false; readonly error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses an sbt-dependency-lock file, `build.sbt.lock` (https://stringbean.github.io/sbt-dependency-lock/file-formats/version-1.html):
 * JSON with `lockVersion` 1 and `dependencies` of `{org, name, version, configurations}`.
 */
export function parseSbtLockfile(text: string): SbtLockResult {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isRecord(document) || !Array.isArray(document['dependencies']))
    return { ok: false, error: 'no dependencies array' };
  const locks: SbtLock[] = [];
  for (const dependency of document['dependencies']) {
    if (!isRecord(dependency)) continue;
    const { org, name, version, configurations } = dependency;
    if (typeof org !== 'string' || typeof name !== 'string' || typeof version !== 'string') continue;
    if (org === '' || name === '' || version === '') continue;
    const names = Array.isArray(configurations)
      ? configurations.filter((c): c is string => typeof c === 'string')
      : [];
    locks.push({
      coordinates: { groupId: org, artifactId: name, version },
      dev: names.length > 0 && names.every((c) => c === 'test'),
    });
  }
  return { ok: true, locks };
}
