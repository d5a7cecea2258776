import type { Analyzer } from '../analyzer/contract.ts';

/** A predicate from `FileWants.match` that threw: the analyzer is named so it can be reported. */
export interface PredicateFailure {
  readonly analyzer: number;
  readonly error: unknown;
}

interface Keyed {
  readonly key: string;
  readonly analyzers: number[];
}

/**
 * One lookup table for the wants of every analyzer, so routing a file costs a few map lookups
 * however many analyzers there are: exact paths and basenames in maps, suffixes bucketed by their
 * last character, prefixes by their first, and only the predicates run for every file. Analyzers
 * are named by their index in the list given to the constructor.
 */
export class WantsIndex {
  readonly #exact = new Map<string, number[]>();
  readonly #basenames = new Map<string, number[]>();
  readonly #suffixes = new Map<number, Keyed[]>();
  readonly #prefixes = new Map<number, Keyed[]>();
  readonly #predicates: {
    readonly analyzer: number;
    readonly match: (path: string, size: number, mode: number) => boolean;
  }[] = [];
  /** Scratch state of one `match` call: which analyzers it already found. */
  readonly #marks: Uint8Array;

  constructor(analyzers: readonly Analyzer[]) {
    this.#marks = new Uint8Array(analyzers.length);
    analyzers.forEach((analyzer, index) => {
      const wants = analyzer.wants;
      for (const path of wants.paths ?? []) addTo(this.#exact, path, index);
      for (const name of wants.basenames ?? []) addTo(this.#basenames, name, index);
      for (const suffix of wants.suffixes ?? []) {
        if (suffix !== '') addKeyed(this.#suffixes, suffix.charCodeAt(suffix.length - 1), suffix, index);
      }
      for (const prefix of wants.prefixes ?? []) {
        if (prefix !== '') addKeyed(this.#prefixes, prefix.charCodeAt(0), prefix, index);
      }
      if (wants.match !== undefined) this.#predicates.push({ analyzer: index, match: wants.match });
    });
  }

  /**
   * The analyzers that want this file, in list order, or `undefined` when none does (the common
   * case, which allocates nothing). A predicate that throws counts as "not wanted" and is reported
   * through `onPredicateFailure`.
   */
  match(
    path: string,
    size: number,
    mode: number,
    onPredicateFailure?: (failure: PredicateFailure) => void,
  ): number[] | undefined {
    let found: number[] | undefined;
    const exact = this.#exact.get(path);
    if (exact !== undefined) found = this.#markAll(exact, found);
    if (this.#basenames.size > 0) {
      const byName = this.#basenames.get(path.slice(path.lastIndexOf('/') + 1));
      if (byName !== undefined) found = this.#markAll(byName, found);
    }
    const suffixes = this.#suffixes.get(path.charCodeAt(path.length - 1));
    if (suffixes !== undefined)
      for (const { key, analyzers } of suffixes)
        if (path.endsWith(key)) found = this.#markAll(analyzers, found);
    const prefixes = this.#prefixes.get(path.charCodeAt(0));
    if (prefixes !== undefined)
      for (const { key, analyzers } of prefixes)
        if (path.startsWith(key)) found = this.#markAll(analyzers, found);
    for (const { analyzer, match } of this.#predicates) {
      if (this.#marks[analyzer] === 1) continue;
      let wanted = false;
      try {
        wanted = match(path, size, mode);
      } catch (error) {
        onPredicateFailure?.({ analyzer, error });
      }
      if (wanted) found = this.#mark(analyzer, found);
    }
    if (found === undefined) return undefined;
    for (const index of found) this.#marks[index] = 0;
    return found.length > 1 ? found.sort((a, b) => a - b) : found;
  }

  #markAll(analyzers: readonly number[], found: number[] | undefined): number[] | undefined {
    let result = found;
    for (const analyzer of analyzers) result = this.#mark(analyzer, result);
    return result;
  }

  /** Adds an analyzer once per `match` call; the list is only allocated for a wanted file. */
  #mark(analyzer: number, found: number[] | undefined): number[] | undefined {
    if (this.#marks[analyzer] === 1) return found;
    this.#marks[analyzer] = 1;
    if (found === undefined) return [analyzer];
    found.push(analyzer);
    return found;
  }
}

function addTo(map: Map<string, number[]>, key: string, analyzer: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [analyzer]);
  else if (!list.includes(analyzer)) list.push(analyzer);
}

function addKeyed(map: Map<number, Keyed[]>, bucket: number, key: string, analyzer: number): void {
  let list = map.get(bucket);
  if (list === undefined) {
    list = [];
    map.set(bucket, list);
  }
  const existing = list.find((keyed) => keyed.key === key);
  if (existing === undefined) list.push({ key, analyzers: [analyzer] });
  else if (!existing.analyzers.includes(analyzer)) existing.analyzers.push(analyzer);
}
