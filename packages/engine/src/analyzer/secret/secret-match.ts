import type { SecretCategory, SecretSeverity } from './rule.ts';

/**
 * One secret found in one file (or in the image configuration). Plain data, so it crosses worker
 * threads and serialises to JSON; it never holds the raw secret, only its masked form.
 */
export interface SecretMatch {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: SecretSeverity;
  readonly category: SecretCategory;
  /** Image-relative path of the file, or for the image configuration `config:env/NAME`, `config:label/NAME`, `config:history/N`. */
  readonly path: string;
  /** 1-based line of the secret's first character (1 for binary credential files and configuration entries). */
  readonly line: number;
  /** 1-based byte column of the secret's first character on its line; absent for binary credential files. */
  readonly column?: number;
  /** The secret masked by `maskSecret`. */
  readonly secret: string;
  /** The line around the secret, at most about 120 characters, every secret on it masked. */
  readonly excerpt: string;
  /** SHA-256 (hex) over rule id, path and the raw secret: stable, for ignoring this finding. */
  readonly fingerprint: string;
}

/** Why a file's content was not searched: larger than the size cap, binary (NUL in the first 8 KiB), or on an allowed path. */
export type SecretSkipReason = 'too-large' | 'binary' | 'allowed-path';

export interface SecretFileResult {
  readonly path: string;
  readonly matches: readonly SecretMatch[];
  /** Set when the content rules did not run; a binary file may still have matches of the file rules. */
  readonly skipped?: SecretSkipReason;
}
