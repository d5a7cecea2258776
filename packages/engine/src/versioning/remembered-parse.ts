/** Parses a scheme keeps before it starts over: a few MB at most. */
const parsesKept = 16_384;

/**
 * A parser that remembers its answers, `undefined` and `null` included. Matching compares one
 * installed version with every event of every candidate range, and the same event versions recur
 * across records, so most compares parse a string that was parsed moments ago. Parsed forms must
 * be immutable: callers share them. Past `parsesKept` answers the memory starts over rather than
 * growing, which keeps hostile inventories from holding memory.
 */
export function rememberParses<T>(parse: (version: string) => T): (version: string) => T {
  const answers = new Map<string, T>();
  return (version) => {
    if (answers.has(version)) return answers.get(version) as T;
    const answer = parse(version);
    if (answers.size >= parsesKept) answers.clear();
    answers.set(version, answer);
    return answer;
  };
}
