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
  /** For each state, the keywords (indices) that end there, failure chain included; empty for most. */
  private readonly outputs: readonly (readonly number[])[];

  constructor(keywords: readonly string[]) {
    this.keywords = keywords;
    const children: Map<number, number>[] = [new Map()];
    const ends: number[][] = [[]];
    keywords.forEach((keyword, index) => {
      if (keyword.length === 0 || !/^[\x20-\x7e]+$/.test(keyword) || keyword !== keyword.toLowerCase())
        throw new Error(`keyword ${JSON.stringify(keyword)} must be non-empty printable lower-case ASCII`);
      let state = 0;
      for (let i = 0; i < keyword.length; i++) {
        const byte = keyword.charCodeAt(i);
        const node = children[state] ?? new Map<number, number>();
        let next = node.get(byte);
        if (next === undefined) {
          next = children.length;
          node.set(byte, next);
          children.push(new Map());
          ends.push([]);
        }
        state = next;
      }
      ends[state]?.push(index);
    });
    const states = children.length;
    const transitions = new Int32Array(states * 256);
    const failure = new Int32Array(states);
    const outputs: number[][] = ends.map((list) => [...list]);
    // Breadth-first: a state's failure target is shallower, so its row is complete when needed.
    const queue: number[] = [];
    for (let byte = 0; byte < 256; byte++) {
      const next = children[0]?.get(byte);
      if (next !== undefined) {
        transitions[byte] = next;
        queue.push(next);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] ?? 0;
      const fail = failure[state] ?? 0;
      outputs[state]?.push(...(outputs[fail] ?? []));
      for (let byte = 0; byte < 256; byte++) {
        const next = children[state]?.get(byte);
        if (next === undefined) {
          transitions[state * 256 + byte] = transitions[fail * 256 + byte] ?? 0;
        } else {
          transitions[state * 256 + byte] = next;
          failure[next] = transitions[fail * 256 + byte] ?? 0;
          queue.push(next);
        }
      }
    }
    // Case folding: an upper-case letter goes wherever its lower-case letter goes.
    for (let state = 0; state < states; state++)
      for (let upper = 0x41; upper <= 0x5a; upper++)
        transitions[state * 256 + upper] = transitions[state * 256 + upper + 0x20] ?? 0;
    this.outputs = outputs;
    const classOf = new Uint8Array(256);
    let classes = 1;
    for (const keyword of keywords)
      for (let i = 0; i < keyword.length; i++) {
        const byte = keyword.charCodeAt(i);
        if (classOf[byte] === 0) classOf[byte] = classes++;
      }
    for (let upper = 0x41; upper <= 0x5a; upper++) classOf[upper] = classOf[upper + 0x20] ?? 0;
    // A byte of class 0 (no keyword holds it) may stand for any of them: take one such byte's column.
    const outside = classOf.findIndex((value, byte) => value === 0 && (byte < 0x41 || byte > 0x5a));
    const byteOfClass = new Int32Array(classes).fill(outside);
    classOf.forEach((value, byte) => {
      if (value !== 0 && !(byte >= 0x41 && byte <= 0x5a)) byteOfClass[value] = byte;
    });
    const table = new Int32Array(states * classes);
    for (let state = 0; state < states; state++)
      for (let column = 0; column < classes; column++) {
        const next = transitions[state * 256 + (byteOfClass[column] ?? 0)] ?? 0;
        table[state * classes + column] =
          (outputs[next]?.length ?? 0) > 0 ? ~(next * classes) : next * classes;
      }
    this.classOf = classOf;
    this.classes = classes;
    this.table = table;
  }

  /**
   * Calls `onHit(keyword, end)` for every occurrence, in order of `end` (the offset just past the
   * keyword's last byte).
   */
  scan(content: Uint8Array, onHit: (keyword: number, end: number) => void): void {
    const found = acceptingSteps(content, this.table, this.classOf);
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
