import type { VersionScheme } from '../versioning/scheme.ts';
import type { RangeVerdict } from '../versioning/osv-affected.ts';
import type { MatchEntry } from '../vulndb/match-entry.ts';
import type { OsvQuery } from './osv-ecosystem.ts';

/**
 * The advisories a package's query matched, remembered across inventories matched against the
 * same database: images built on one base hold the same packages at the same versions, and a
 * re-match of a fleet after an update asks the same questions thousands of times. Keep one memo
 * per database (a re-match run); the answers are the database's.
 */
export class MatchMemo {
  readonly #answers = new Map<string, readonly QueryMatch[]>();

  get(query: OsvQuery): readonly QueryMatch[] | undefined {
    return this.#answers.get(keyOf(query));
  }

  set(query: OsvQuery, matches: readonly QueryMatch[]): void {
    this.#answers.set(keyOf(query), matches);
  }
}

/** One advisory a query matched: what a finding needs besides the package. */
export interface QueryMatch {
  readonly ecosystem: string;
  readonly by: 'name' | 'source';
  readonly version: string;
  readonly id: string;
  readonly entry: MatchEntry;
  readonly verdict: Exclude<RangeVerdict, { status: 'not-affected' }>;
  readonly scheme: VersionScheme;
}

/** Everything the match reads from a query: scheme, ecosystems, and each name with its version. */
function keyOf(query: OsvQuery): string {
  let key = `${query.scheme}\u0000${query.ecosystems.join('\u0001')}`;
  for (const { name, by } of query.names) key += `\u0000${by}\u0001${name}\u0001${query.versionFor(by)}`;
  return key;
}
