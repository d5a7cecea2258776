import { inflateSync } from 'node:zlib';
import { readElf, sectionContent } from '../go-binary/elf.ts';

/**
 * The dependency list `cargo auditable` embeds in a Rust executable: zlib-compressed JSON in the
 * `.dep-v0` section (https://github.com/rust-secure-code/cargo-auditable/blob/master/PARAMETERS.md,
 * data model https://docs.rs/auditable-serde/latest/auditable_serde/struct.Package.html).
 */
export interface AuditableCrate {
  readonly name: string;
  readonly version: string;
  /** `crates.io`, `git`, `local`, `registry`, or what a later format adds. */
  readonly source: string;
  /** `runtime` unless the crate is only a build dependency (a build script's). */
  readonly kind: 'runtime' | 'build';
  readonly root: boolean;
}

export type AuditableResult =
  | { readonly kind: 'found'; readonly crates: readonly AuditableCrate[] }
  | { readonly kind: 'absent' }
  | { readonly kind: 'malformed'; readonly reason: string };

/** rust-audit-info's default limit of the decompressed data. */
const maxJsonBytes = 8 * 1024 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the `.dep-v0` section of an ELF executable; `absent` when it is no ELF file or has none. */
export function readAuditableData(content: Buffer): AuditableResult {
  const elf = readElf(content);
  const section = elf?.sections.find((candidate) => candidate.name === '.dep-v0');
  const compressed = section === undefined ? undefined : sectionContent(content, section);
  if (compressed === undefined) return { kind: 'absent' };
  let json: string;
  try {
    json = inflateSync(compressed, { maxOutputLength: maxJsonBytes }).toString('utf8');
  } catch (error) {
    return {
      kind: 'malformed',
      reason:
        error instanceof RangeError ? 'dependency data over 8 MiB' : 'dependency data is no zlib stream',
    };
  }
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch {
    return { kind: 'malformed', reason: 'dependency data is no JSON' };
  }
  if (!isRecord(document) || !Array.isArray(document['packages']))
    return { kind: 'malformed', reason: 'dependency data has no packages array' };
  const crates: AuditableCrate[] = [];
  for (const entry of document['packages']) {
    if (!isRecord(entry)) continue;
    const { name, version, source, kind, root } = entry;
    if (typeof name !== 'string' || typeof version !== 'string') continue;
    crates.push({
      name,
      version,
      source: typeof source === 'string' ? source : 'local',
      kind: kind === 'build' ? 'build' : 'runtime',
      root: root === true,
    });
  }
  return { kind: 'found', crates };
}
