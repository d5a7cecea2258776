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

  /**
   * The key of `query`'s answer: everything the match reads from it (scheme, ecosystems, each name
   * with its version). Made once per query, then used to read and to remember the answer.
   */
  keyOf(query: OsvQuery): string {
    let key = `${query.scheme}\u0000${query.ecosystems.join('\u0001')}`;
    for (const { name, by } of query.names) key += `\u0000${by}\u0001${name}\u0001${query.versionFor(by)}`;
    return key;
  }

  get(key: string): readonly QueryMatch[] | undefined {
    return this.#answers.get(key);
  }

  set(key: string, matches: readonly QueryMatch[]): void {
    this.#answers.set(key, matches);
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
