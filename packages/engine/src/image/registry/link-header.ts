/**
 * Parser for the `Link` header (RFC 8288 section 3) that registries use to paginate `_catalog`
 * and `tags/list`: `Link: </v2/_catalog?last=b&n=2>; rel="next"`. See "Listing Tags" in
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags
 */

export interface LinkValue {
  /** The target as written (a URI reference, often relative). */
  readonly target: string;
  /** Parameters with lowercased names; values unquoted. */
  readonly params: Readonly<Record<string, string>>;
}

/** Parses one or more `Link` header values; never throws, malformed links are skipped. */
export function parseLinkHeader(header: string | readonly string[] | undefined): LinkValue[] {
  if (header === undefined) return [];
  const text = typeof header === 'string' ? header : header.join(', ');
  const links: LinkValue[] = [];
  let position = 0;
  while (position < text.length) {
    const open = text.indexOf('<', position);
    if (open === -1) break;
    const close = text.indexOf('>', open + 1);
    if (close === -1) break;
    const target = text.slice(open + 1, close).trim();
    position = close + 1;
    const params: Record<string, string> = {};
    // Parameters: ; name [= token | quoted-string], up to the next comma outside quotes.
    for (;;) {
      while (text[position] === ' ' || text[position] === '\t') position += 1;
      if (text[position] !== ';') break;
      position += 1;
      const nameMatch = /^\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*/.exec(text.slice(position));
      if (!nameMatch?.[1]) break;
      position += nameMatch[0].length;
      const name = nameMatch[1].toLowerCase();
      let value = '';
      if (text[position] === '=') {
        position += 1;
        while (text[position] === ' ' || text[position] === '\t') position += 1;
        if (text[position] === '"') {
          position += 1;
          while (position < text.length && text[position] !== '"') {
            if (text[position] === '\\') position += 1;
            value += text[position] ?? '';
            position += 1;
          }
          position += 1;
        } else {
          const start = position;
          while (position < text.length && !/[;,\s]/.test(text[position] ?? '')) position += 1;
          value = text.slice(start, position);
        }
      }
      if (!(name in params)) params[name] = value;
    }
    links.push({ target, params });
    const comma = text.indexOf(',', position);
    if (comma === -1) break;
    position = comma + 1;
  }
  return links;
}

/** The `rel="next"` target resolved against the URL of the response that carried it. */
export function nextLink(header: string | readonly string[] | undefined, base: URL): URL | undefined {
  for (const link of parseLinkHeader(header)) {
    const relations = (link.params['rel'] ?? '').toLowerCase().split(/\s+/);
    if (!relations.includes('next')) continue;
    try {
      return new URL(link.target, base);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
