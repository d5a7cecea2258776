/** One Python package as a metadata or lock file records it, before it becomes a fact. */
export interface PythonPackage {
  /** The project name as written (`PyYAML`); the PURL carries its normalised form. */
  readonly name: string;
  readonly version: string;
  /** `true`: development only; `false`: needed at run time; `undefined`: the file does not say. */
  readonly dev: boolean | undefined;
  readonly licenses: readonly string[];
  /** The git commit a lock pins, for packages installed from a repository. */
  readonly commit: string | undefined;
}

/** What a parser found, or why it could not read the file. */
export type PythonParse =
  | { readonly ok: true; readonly packages: readonly PythonPackage[] }
  | { readonly ok: false; readonly error: string };

export function parsed(packages: readonly PythonPackage[]): PythonParse {
  return { ok: true, packages };
}

export function failed(error: string): PythonParse {
  return { ok: false, error };
}
