/**
 * The YAML library parses flow collections (`{…}`, `[…]`) by recursion and only fails when the
 * stack overflows, after a second or more of work: 100 KB of `{"a":` took 1.1-1.2 s alone and
 * 5.9 s on a busy machine. No real configuration or lock file nests flow collections deeply, so
 * a text that does is refused before it is parsed, in linear time.
 */
export const maxYamlFlowNesting = 1000;

/**
 * A message when `text` opens flow collections more than `limit` deep, else undefined. Brackets
 * are counted without regard to quoting: brackets inside quoted strings can only raise the count,
 * and only for strings with many more openings than closings, far below the limit in real files.
 */
export function yamlNestingProblem(text: string, limit = maxYamlFlowNesting): string | undefined {
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x7b || code === 0x5b) {
      if (++depth > limit) return `collections nested deeper than ${limit} levels`;
    } else if ((code === 0x7d || code === 0x5d) && depth > 0) depth--;
  }
  return undefined;
}
