import type { Analyzer, FileWants } from '../analyzer/contract.ts';

/** A predicate from `FileWants.match` that threw: the analyzer is named so it can be reported. */
export interface PredicateFailure {
  readonly analyzer: number;
  readonly error: unknown;
}

interface Keyed {
  readonly key: string;
  readonly analyzers: number[];
}

type Predicate = (path: string, size: number, mode: number) => boolean;

interface Asked {
  readonly analyzer: number;
  readonly match: Predicate;
}

/** A predicate asked only about paths that end with `key` (and executables, if so guarded). */
interface GuardedBySuffix extends Asked {
  readonly key: string;
  readonly executable: boolean;
}

const anyExecuteBit = 0o111;

/**
 * One lookup table for the wants of every analyzer, so routing a file costs a few map lookups
 * however many analyzers there are: exact paths and basenames in maps, suffixes bucketed by their
 * last character, prefixes by their first, and only the predicates run for every file. Analyzers
 * are named by their index in the list given to the constructor. Predicates with a guard
 * (`FileWants.matchGuard`) are asked only about the files it lets through.
 */
export class WantsIndex {
  readonly #exact = new Map<string, number[]>();
  readonly #basenames = new Map<string, number[]>();
  readonly #suffixes = new Map<number, Keyed[]>();
  readonly #prefixes = new Map<number, Keyed[]>();
  /** Predicates by the last character of their guard's suffixes. */
  readonly #guardedBySuffix = new Map<number, GuardedBySuffix[]>();
  /** Predicates asked only about files with an execute bit. */
  readonly #executablePredicates: Asked[] = [];
  /** Predicates asked about every file. */
  readonly #predicates: Asked[] = [];
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
      if (wants.match !== undefined) this.#addPredicate(index, wants.match, wants.matchGuard);
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
    const executable = (mode & anyExecuteBit) !== 0;
    const guarded = this.#guardedBySuffix.get(path.charCodeAt(path.length - 1));
    if (guarded !== undefined)
      for (const asked of guarded)
        if ((executable || !asked.executable) && path.endsWith(asked.key))
          found = this.#ask(asked, path, size, mode, found, onPredicateFailure);
    if (executable)
      for (const asked of this.#executablePredicates)
        found = this.#ask(asked, path, size, mode, found, onPredicateFailure);
    for (const asked of this.#predicates)
      found = this.#ask(asked, path, size, mode, found, onPredicateFailure);
    if (found === undefined) return undefined;
    for (const index of found) this.#marks[index] = 0;
    return found.length > 1 ? sortedInPlace(found) : found;
  }

  #addPredicate(analyzer: number, match: Predicate, guard: FileWants['matchGuard']): void {
    const executable = guard?.executable === true;
    const suffixes = guard?.suffixes?.filter((suffix) => suffix !== '');
    if (suffixes === undefined || suffixes.length === 0) {
      (executable ? this.#executablePredicates : this.#predicates).push({ analyzer, match });
      return;
    }
    for (const key of suffixes) {
      const bucket = key.charCodeAt(key.length - 1);
      let list = this.#guardedBySuffix.get(bucket);
      if (list === undefined) this.#guardedBySuffix.set(bucket, (list = []));
      list.push({ analyzer, match, key, executable });
    }
  }

  /** Asks a predicate unless its analyzer is already found; one that throws counts as "not wanted". */
  #ask(
    { analyzer, match }: Asked,
    path: string,
    size: number,
    mode: number,
    found: number[] | undefined,
    onPredicateFailure: ((failure: PredicateFailure) => void) | undefined,
  ): number[] | undefined {
    if (this.#marks[analyzer] === 1) return found;
    let wanted = false;
    try {
      wanted = match(path, size, mode);
    } catch (error) {
      onPredicateFailure?.({ analyzer, error });
    }
    return wanted ? this.#mark(analyzer, found) : found;
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

/**
 * Sorts a short list of analyzer indices in place. Array.prototype.sort with a comparator allocates
 * a work array on every call: with the secret and malware analyzers both wanting every file, that
 * was 29 MB of garbage in a scan of 46,683 files.
 */
function sortedInPlace(list: number[]): number[] {
  for (let next = 1; next < list.length; next++) {
    const value = list[next] as number;
    let at = next - 1;
    while (at >= 0 && (list[at] as number) > value) {
      list[at + 1] = list[at] as number;
      at--;
    }
    list[at + 1] = value;
  }
  return list;
}
