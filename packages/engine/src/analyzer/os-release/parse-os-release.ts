/**
 * Parses os-release(5) files: `KEY=value` lines, values optionally in single or double quotes with
 * shell-style backslash escapes inside double quotes, `#` comments, blank lines.
 * https://www.freedesktop.org/software/systemd/man/latest/os-release.html
 */
export function parseOsReleaseFile(text: string): ReadonlyMap<string, string> {
  const fields = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    const key = line.slice(0, equals).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) continue;
    fields.set(key, unquote(line.slice(equals + 1).trim()));
  }
  return fields;
}

function unquote(value: string): string {
  const first = value[0];
  if ((first === '"' || first === "'") && value.length >= 2 && value.endsWith(first)) {
    const inner = value.slice(1, -1);
    return first === '"' ? inner.replace(/\\([\\$"`])/g, '$1') : inner;
  }
  return value;
}
