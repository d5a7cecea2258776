/**
 * Parses the main section of a JAR manifest (https://docs.oracle.com/en/java/javase/21/docs/specs/jar/jar.html#jar-manifest):
 * `Name: value` headers up to the first blank line, a line starting with one space continuing the
 * previous value. Header names are matched case-insensitively, so they are returned lower-cased.
 */
export function parseManifest(text: string): ReadonlyMap<string, string> {
  const headers = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (headers.size > 0) break;
      continue;
    }
    if (line.startsWith(' ')) {
      if (last !== undefined) headers.set(last, (headers.get(last) ?? '') + line.slice(1));
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      last = undefined;
      continue;
    }
    last = line.slice(0, colon).trim().toLowerCase();
    headers.set(last, line.slice(colon + 1).trim());
  }
  return headers;
}
