/** One top-level entry of a yarn v1 lock file: the descriptors it resolves and its scalar fields. */
export interface YarnV1Entry {
  readonly descriptors: readonly string[];
  /** `version`, `resolved`, `integrity` ...: the entry's own `key value` lines; nested blocks are skipped. */
  readonly fields: ReadonlyMap<string, string>;
}

/**
 * The yarn v1 lock file format (https://classic.yarnpkg.com/lang/en/docs/yarn-lock/): not YAML but
 * yarn's own indentation syntax. An entry starts at column 0 with one or more comma-separated
 * descriptors ending in `:` (`"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.12.13":`); its fields
 * are indented by two spaces as `key value` or `key "value"` (keys may be quoted too), and blocks such
 * as `dependencies:` nest deeper. `#` starts a comment line. Strings are double-quoted with JSON escapes.
 */
export function parseYarnV1Entries(text: string): YarnV1Entry[] {
  const entries: YarnV1Entry[] = [];
  let fields: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    if (indent === 0) {
      fields = undefined;
      if (!line.endsWith(':')) continue;
      fields = new Map();
      entries.push({ descriptors: splitDescriptors(line.slice(0, -1)), fields });
      continue;
    }
    if (fields === undefined || indent !== 2 || line.endsWith(':')) continue;
    const [key, rest] = readToken(line);
    if (key !== '' && !fields.has(key)) fields.set(key, unquote(rest.trim()));
  }
  return entries;
}

function splitDescriptors(header: string): string[] {
  const descriptors: string[] = [];
  let rest = header.trim();
  while (rest !== '') {
    const [token, after] = readToken(rest, ',');
    if (token !== '') descriptors.push(token);
    rest = after.trimStart();
    if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
  }
  return descriptors;
}

/** Reads one quoted or bare token; returns it and the text after it. */
function readToken(text: string, stop = ''): [string, string] {
  if (text.startsWith('"')) {
    let end = 1;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    return [unquote(text.slice(0, end + 1)), text.slice(end + 1)];
  }
  let end = 0;
  while (end < text.length && !/\s/.test(text.charAt(end)) && !stop.includes(text.charAt(end))) end++;
  return [text.slice(0, end), text.slice(end)];
}

function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'string' ? parsed : value.slice(1, -1);
  } catch {
    return value.slice(1, -1);
  }
}
