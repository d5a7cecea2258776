import { parse } from 'smol-toml';

export interface LockedCrate {
  readonly name: string;
  readonly version: string;
  /** `registry+https://github.com/rust-lang/crates.io-index`, `git+...`; undefined for a path (workspace) crate. */
  readonly source: string | undefined;
}

export type CargoLockResult =
  | { readonly ok: true; readonly crates: readonly LockedCrate[] }
  | { readonly ok: false; readonly error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a Cargo lock file (TOML, https://doc.rust-lang.org/cargo/guide/cargo-toml-vs-cargo-lock.html;
 * the format of cargo's `resolve` encoding, versions 1 to 4): every `[[package]]` with its name,
 * version and source. Workspace members and path dependencies (no source) are included: they are
 * compiled into the program like any other crate.
 */
export function parseCargoLock(text: string): CargoLockResult {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    return {
      ok: false,
      error: `invalid TOML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    };
  }
  if (!isRecord(document)) return { ok: false, error: 'not a TOML table' };
  const packages = document['package'];
  if (packages === undefined) return { ok: true, crates: [] };
  if (!Array.isArray(packages)) return { ok: false, error: '`package` is not an array of tables' };
  const crates: LockedCrate[] = [];
  for (const entry of packages) {
    if (!isRecord(entry)) continue;
    const { name, version, source } = entry;
    if (typeof name !== 'string' || typeof version !== 'string') continue;
    crates.push({ name, version, source: typeof source === 'string' ? source : undefined });
  }
  return { ok: true, crates };
}
