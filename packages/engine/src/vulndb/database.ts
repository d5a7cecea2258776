import type { OsvRecord } from './osv-record.ts';

/** Where the records of a database came from (one row per feed). */
export interface FeedProvenance {
  readonly feed: string;
  readonly source: string;
  readonly fingerprint: string;
  readonly records: number;
  readonly invalid: number;
  readonly withdrawn: number;
  readonly importedAt: string;
}

export interface DatabaseStatus {
  readonly path: string;
  readonly schemaVersion: number;
  readonly builtAt: string;
  readonly records: number;
  readonly feeds: readonly FeedProvenance[];
}

/**
 * The read side of the vulnerability database: a SQLite file opened read-only, shared by the CLI
 * and the workers. `recordsFor` returns the records that name `packageName` in `ecosystem`, each
 * with only the `affected` entries of that package (everything else of the record as stored) (the importer normalises names where the ecosystem folds them); withdrawn
 * records are never returned. `ecosystem` may be a prefix query (`Debian:12` only matches itself;
 * see the implementation for the release rules).
 */
export interface VulnerabilityDatabase {
  recordsFor(ecosystem: string, packageName: string): readonly OsvRecord[];
  status(): DatabaseStatus;
  close(): void;
}
