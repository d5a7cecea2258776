import type { AdvisorySummary, AffectedCandidate } from './match-entry.ts';
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
 * and the workers. Lookups are batched, because a scan asks for thousands of packages at once:
 * - `candidatesFor(ecosystem, names)`: per asked name, the advisories that name it in `ecosystem`,
 *   each with only that package's entries as stored for matching (match-entry.ts). Names are
 *   normalised where the ecosystem folds them; withdrawn records are never returned; `ecosystem`
 *   may be a prefix query (`Debian:12` only matches itself; see the implementation for the rules).
 * - `summariesOf(ids)`: what findings show of those advisories.
 * - `recordsFor(ecosystem, name)`: the whole stored records naming the package, each with only
 *   that package's `affected` entries (for explaining and testing, not for matching).
 */
export interface VulnerabilityDatabase {
  candidatesFor(
    ecosystem: string,
    packageNames: readonly string[],
  ): ReadonlyMap<string, readonly AffectedCandidate[]>;
  summariesOf(ids: Iterable<string>): ReadonlyMap<string, AdvisorySummary>;
  recordsFor(ecosystem: string, packageName: string): readonly OsvRecord[];
  status(): DatabaseStatus;
  close(): void;
}
