/**
 * One pass over a buffer that finds every occurrence of many keywords at once, case ignored: an
 * Aho–Corasick automaton (Aho and Corasick, "Efficient string matching", CACM 18(6), 1975) compiled
 * into a full transition table, so the scan is one table lookup per byte. Keywords are ASCII; upper-
 * case input bytes take the same transitions as lower case, so the content is never copied or lowered.
 * The table's columns are byte classes rather than bytes (every byte no keyword holds is one class),
 * which shrinks it about sixfold so it stays in the CPU cache: the scan is bound by those lookups.
 */
export class KeywordIndex {
  readonly keywords: readonly string[];
  /** The column of each byte: its class (upper case folded to lower; 0 for bytes no keyword holds). */
  private readonly classOf: Uint8Array;
  /**
   * The scan's table: `table[row + classOf[byte]]` is the next state's row offset (state times the
   * number of classes), bit-inverted (negative) when keywords end in that state, so the hot loop
   * does two loads, one add and one sign test per byte.
   */
  private readonly table: Int32Array;
  private readonly classes: number;
  /** Bytes before a lane's start that its automaton must see: the longest keyword's length minus one. */
  private readonly overlap: number;
  /** For each state, the keywords (indices) that end there, failure chain included; empty for most. */
  private readonly outputs: readonly (readonly number[])[];

  constructor(keywords: readonly string[]) {
    this.keywords = keywords;
    for (const keyword of keywords)
      if (keyword.length === 0 || !/^[\x20-\x7e]+$/.test(keyword) || keyword !== keyword.toLowerCase())
        throw new Error(`keyword ${JSON.stringify(keyword)} must be non-empty printable lower-case ASCII`);
    // Byte classes first, so the automaton is built in class space: every scan compiles the built-in
    // rules (the image configuration is searched too), and rows of 256 bytes cost six times more.
    const classOf = new Uint8Array(256);
    let classes = 1;
    for (const keyword of keywords)
      for (let i = 0; i < keyword.length; i++) {
        const byte = keyword.charCodeAt(i);
        if (classOf[byte] === 0) classOf[byte] = classes++;
      }
    for (let upper = 0x41; upper <= 0x5a; upper++) classOf[upper] = classOf[upper + 0x20] ?? 0;
    // The trie: `next[state * classes + column]`, -1 where it has no child. Class 0 (bytes no keyword
    // holds) never has one, so from every state it leads back to the root.
    const capacity = keywords.reduce((sum, keyword) => sum + keyword.length, 1);
    const next = new Int32Array(capacity * classes).fill(-1);
    const ends: number[][] = [[]];
    keywords.forEach((keyword, index) => {
      let state = 0;
      for (let i = 0; i < keyword.length; i++) {
        const cell = state * classes + (classOf[keyword.charCodeAt(i)] ?? 0);
        if ((next[cell] ?? -1) < 0) {
          next[cell] = ends.length;
          ends.push([]);
        }
        state = next[cell] ?? 0;
      }
      ends[state]?.push(index);
    });
    const states = ends.length;
    // Breadth-first: a state's failure target is shallower, so its row is complete when needed.
    const failure = new Int32Array(states);
    const outputs: number[][] = ends;
    const queue: number[] = [];
    for (let column = 0; column < classes; column++) {
      const child = next[column] ?? -1;
      if (child < 0) next[column] = 0;
      else queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] ?? 0;
      const fail = failure[state] ?? 0;
      if ((outputs[fail]?.length ?? 0) > 0) outputs[state]?.push(...(outputs[fail] ?? []));
      for (let column = 0; column < classes; column++) {
        const cell = state * classes + column;
        const viaFailure = next[fail * classes + column] ?? 0;
        const child = next[cell] ?? -1;
        if (child < 0) next[cell] = viaFailure;
        else {
          failure[child] = viaFailure;
          queue.push(child);
        }
      }
    }
    this.outputs = outputs;
    const table = new Int32Array(states * classes);
    for (let cell = 0; cell < table.length; cell++) {
      const target = next[cell] ?? 0;
      table[cell] = (outputs[target]?.length ?? 0) > 0 ? ~(target * classes) : target * classes;
    }
    this.classOf = classOf;
    this.classes = classes;
    this.overlap = Math.max(...keywords.map((keyword) => keyword.length)) - 1;
    this.table = table;
  }

  /**
   * Calls `onHit(keyword, end)` for every occurrence, in order of `end` (the offset just past the
   * keyword's last byte).
   */
  scan(content: Uint8Array, onHit: (keyword: number, end: number) => void): void {
    const found =
      content.length < twoLaneBytes
        ? acceptingSteps(content, this.table, this.classOf)
        : acceptingStepsTwoLanes(content, this.table, this.classOf, this.overlap);
    for (let i = 0; i < found.length; i += 2) {
      for (const keyword of this.outputs[(found[i] as number) / this.classes] ?? [])
        onHit(keyword, found[i + 1] as number);
    }
  }

  /** Whether any keyword occurs at all (stops at the first). */
  test(content: Uint8Array): boolean {
    const table = this.table;
    const classOf = this.classOf;
    const length = content.length;
    let row = 0;
    for (let i = 0; i < length; i++) {
      row = table[row + (classOf[content[i] as number] as number)] as number;
      if (row < 0) return true;
    }
    return false;
  }
}

/**
 * The automaton's hot loop, a plain function over plain arguments so V8 optimises it as one tight
 * loop: the (row, end) pairs of every step into a state where keywords end, flattened.
 */
function acceptingSteps(content: Uint8Array, table: Int32Array, classOf: Uint8Array): number[] {
  const found: number[] = [];
  const length = content.length;
  let row = 0;
  for (let i = 0; i < length; i++) {
    row = table[row + (classOf[content[i] as number] as number)] as number;
    if (row < 0) {
      row = ~row;
      found.push(row, i + 1);
    }
  }
  return found;
}

/** Files from this size are scanned in two lanes; below it the second lane's setup is not worth it. */
const twoLaneBytes = 1024;

/**
 * `acceptingSteps` over two halves at once. One lane is bound by the latency of its table loads (each
 * step needs the row the previous one loaded), so two independent lanes in one loop nearly double
 * the throughput (bench/secret-malware.ts's files: 540 -> 870 MB/s; four lanes were no faster). The
 * second lane starts `overlap` bytes before the middle from the root state, so it finds every keyword
 * that ends past the middle; the first lane finds the rest. Its hits that end at or before the middle
 * are the first lane's and are dropped, so the pairs stay in order of `end`, each once.
 */
function acceptingStepsTwoLanes(
  content: Uint8Array,
  table: Int32Array,
  classOf: Uint8Array,
  overlap: number,
): number[] {
  const length = content.length;
  const middle = length >>> 1;
  const secondStart = Math.max(0, middle - overlap);
  const first: number[] = [];
  const second: number[] = [];
  let row = 0;
  let secondRow = 0;
  // Both lanes step `middle` times; the second lane then has its overlap and any odd byte left.
  for (let i = 0; i < middle; i++) {
    row = table[row + (classOf[content[i] as number] as number)] as number;
    if (row < 0) {
      row = ~row;
      first.push(row, i + 1);
    }
    const j = secondStart + i;
    secondRow = table[secondRow + (classOf[content[j] as number] as number)] as number;
    if (secondRow < 0) {
      secondRow = ~secondRow;
      if (j >= middle) second.push(secondRow, j + 1);
    }
  }
  // acceptingSteps' loop again, written out: a shared helper for both made the pass 25% slower
  // (870 -> 660 MB/s).
  for (let j = secondStart + middle; j < length; j++) {
    secondRow = table[secondRow + (classOf[content[j] as number] as number)] as number;
    if (secondRow < 0) {
      secondRow = ~secondRow;
      if (j >= middle) second.push(secondRow, j + 1);
    }
  }
  for (let i = 0; i < second.length; i++) first.push(second[i] as number);
  return first;
}
