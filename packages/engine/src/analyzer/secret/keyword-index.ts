/**
 * One pass over a buffer that finds every occurrence of many keywords at once, case ignored: an
 * Aho–Corasick automaton (Aho and Corasick, "Efficient string matching", CACM 18(6), 1975) compiled
 * into a full transition table, so the scan is one table lookup per byte. Keywords are ASCII; upper-
 * case input bytes take the same transitions as lower case, so the content is never copied or lowered.
 */
export class KeywordIndex {
  readonly keywords: readonly string[];
  /** transitions[state * 256 + byte] = next state. */
  private readonly transitions: Int32Array;
  /** For each state, the keywords (indices) that end there, failure chain included; empty for most. */
  private readonly outputs: readonly (readonly number[])[];
  private readonly hasOutput: Uint8Array;

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
    this.transitions = transitions;
    this.outputs = outputs;
    this.hasOutput = Uint8Array.from(outputs, (list) => (list.length > 0 ? 1 : 0));
  }

  /**
   * Calls `onHit(keyword, end)` for every occurrence, in order of `end` (the offset just past the
   * keyword's last byte).
   */
  scan(content: Uint8Array, onHit: (keyword: number, end: number) => void): void {
    const transitions = this.transitions;
    const hasOutput = this.hasOutput;
    let state = 0;
    for (let i = 0; i < content.length; i++) {
      state = transitions[(state << 8) | (content[i] as number)] as number;
      if (hasOutput[state] === 1) for (const keyword of this.outputs[state] ?? []) onHit(keyword, i + 1);
    }
  }

  /** Whether any keyword occurs at all (stops at the first). */
  test(content: Uint8Array): boolean {
    const transitions = this.transitions;
    const hasOutput = this.hasOutput;
    let state = 0;
    for (let i = 0; i < content.length; i++) {
      state = transitions[(state << 8) | (content[i] as number)] as number;
      if (hasOutput[state] === 1) return true;
    }
    return false;
  }
}
