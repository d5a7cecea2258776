import type { MatchEntry } from './match-entry.ts';

/** One stored advisory's entries for one stored package name. */
export interface StoredCandidate {
  readonly id: string;
  readonly entries: MatchEntry[];
}

/** JSON bytes of the entries kept (parsed, about three times as much heap). */
export const defaultCandidateCacheBytes = 24 * 1024 ** 2;

/**
 * Parsed lookup rows by (stored ecosystem, stored name), the absence of any row included: the
 * images of a fleet share most of their packages, so re-matching thousands of stored inventories
 * after a database update, or scanning image after image, asks for the same names again and
 * again. Parsing the rows cost more than querying them. The database file never changes under an
 * open reader (a new database is a new file), so entries never go stale; the cache is bounded by
 * the JSON bytes it holds, least recently used out first.
 */
export class CandidateCache {
  readonly #entries = new Map<
    string,
    { readonly candidates: readonly StoredCandidate[]; readonly bytes: number }
  >();
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(maxBytes = defaultCandidateCacheBytes) {
    this.#maxBytes = maxBytes;
  }

  get(ecosystem: string, name: string): readonly StoredCandidate[] | undefined {
    const key = `${ecosystem}\u0000${name}`;
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    // Re-inserted: the Map's order is the order of use.
    this.#entries.delete(key);
    this.#entries.set(key, hit);
    return hit.candidates;
  }

  /** `bytes`: the size of the rows' JSON (a name with no rows still costs its key). */
  set(ecosystem: string, name: string, candidates: readonly StoredCandidate[], bytes: number): void {
    const key = `${ecosystem}\u0000${name}`;
    const cost = bytes + key.length;
    if (cost > this.#maxBytes) return;
    const previous = this.#entries.get(key);
    if (previous) {
      this.#entries.delete(key);
      this.#bytes -= previous.bytes;
    }
    while (this.#bytes + cost > this.#maxBytes) {
      const oldest = this.#entries.entries().next().value;
      if (!oldest) break;
      this.#entries.delete(oldest[0]);
      this.#bytes -= oldest[1].bytes;
    }
    this.#entries.set(key, { candidates, bytes: cost });
    this.#bytes += cost;
  }
}
