/**
 * Parses a Java `.properties` file (https://docs.oracle.com/javase/8/docs/api/java/util/Properties.html#load-java.io.Reader-):
 * `key=value`, `key:value` or `key value`; `#` and `!` comments; a trailing backslash continues the
 * line; `\t`, `\n`, `\uXXXX` and escaped separators are unescaped. Later keys win.
 */
export function parseJavaProperties(text: string): ReadonlyMap<string, string> {
  const properties = new Map<string, string>();
  const physical = text.split(/\r\n|\r|\n/);
  for (let index = 0; index < physical.length; index++) {
    let part = (physical[index] ?? '').replace(/^[ \t\f]+/, '');
    if (part === '' || part.startsWith('#') || part.startsWith('!')) continue;
    const parts: string[] = [];
    while (endsWithContinuation(part) && index + 1 < physical.length) {
      parts.push(part.slice(0, -1));
      index++;
      part = (physical[index] ?? '').replace(/^[ \t\f]+/, '');
    }
    parts.push(part);
    const { key, value } = splitKeyValue(parts.join(''));
    properties.set(unescape(key), unescape(value));
  }
  return properties;
}

/** An odd number of trailing backslashes continues the line. */
function endsWithContinuation(line: string): boolean {
  let count = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) count++;
  return count % 2 === 1;
}

function splitKeyValue(line: string): { readonly key: string; readonly value: string } {
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
    i++;
  }
  const key = line.slice(0, i);
  let rest = line.slice(i).replace(/^[ \t\f]+/, '');
  if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]+/, '');
  return { key, value: rest };
}

function unescape(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_match, escape: string) => {
    if (escape.length === 5) return String.fromCharCode(parseInt(escape.slice(1), 16));
    switch (escape) {
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 'f':
        return '\f';
      default:
        return escape;
    }
  });
}
