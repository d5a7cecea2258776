/** One package as a lock file or an installed manifest records it, before it becomes a fact. */
export interface LockedPackage {
  /** The real package name (`@scope/name`), not the alias it was installed under. */
  readonly name: string;
  /** `''` when the file names no version (a git dependency in a v1 package-lock, a workspace without one). */
  readonly version: string;
  /** `true`: needed only for development; `false`: needed at run time; `undefined`: the file does not say (yarn.lock). */
  readonly dev: boolean | undefined;
  readonly licenses: readonly string[];
  /** The git commit the file pins, for packages installed from a git repository. */
  readonly commit: string | undefined;
}

/** What a lock file parser found: packages plus the problems it stepped over, or why it could not read the file. */
export type LockParse =
  | { readonly ok: true; readonly packages: readonly LockedPackage[]; readonly problems: readonly string[] }
  | { readonly ok: false; readonly error: string };

export function lockParsed(packages: readonly LockedPackage[], problems: readonly string[] = []): LockParse {
  return { ok: true, packages, problems };
}

export function lockFailed(error: string): LockParse {
  return { ok: false, error };
}

/**
 * Collapses repeated occurrences of one package (npm installs the same name and version in many
 * places of the tree) into one, keyed by name, version and commit. A package is development-only when
 * every occurrence is; licences come from the first occurrence that declares any.
 */
export function mergeOccurrences(occurrences: readonly LockedPackage[]): LockedPackage[] {
  const byKey = new Map<string, LockedPackage>();
  for (const occurrence of occurrences) {
    const key = `${occurrence.name}\u0000${occurrence.version}\u0000${occurrence.commit ?? ''}`;
    const seen = byKey.get(key);
    if (seen === undefined) {
      byKey.set(key, occurrence);
      continue;
    }
    byKey.set(key, {
      ...seen,
      dev: seen.dev === undefined || occurrence.dev === undefined ? undefined : seen.dev && occurrence.dev,
      licenses: seen.licenses.length > 0 ? seen.licenses : occurrence.licenses,
    });
  }
  return [...byKey.values()];
}
