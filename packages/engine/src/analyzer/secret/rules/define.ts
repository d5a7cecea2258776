import type { ContentRule } from '../rule.ts';

/** A content rule from its fields (the `kind` is implied). */
export function contentRule(rule: Omit<ContentRule, 'kind'>): ContentRule {
  return { kind: 'content', ...rule };
}

/** Each ASCII letter outside character classes and escapes as a class of both cases: `key` → `[kK][eE][yY]`. */
function foldLetters(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i] ?? '';
    if (char === '\\') {
      out += char + (source[i + 1] ?? '');
      i++;
    } else if (inClass) {
      out += char;
      if (char === ']') inClass = false;
    } else if (char === '[') {
      out += char;
      inClass = true;
    } else if (/[a-zA-Z]/.test(char)) out += `[${char.toLowerCase()}${char.toUpperCase()}]`;
    else out += char;
  }
  return out;
}

/**
 * A regular expression whose `(?i:...)` groups ignore case while the rest does not. The groups are
 * rewritten into letter classes instead of being left to the engine's modifier support: V8 (Node 24)
 * misses matches of some modifier groups with an optional group after an alternation, for example
 * `(?i:(?:admin|write)_?(?:api_?)?key)` against `ADMIN_API_KEY`. Character classes inside the groups
 * must already list both cases.
 */
export function caselessGroups(source: string, flags = ''): RegExp {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    if (!source.startsWith('(?i:', i)) {
      out += source[i] ?? '';
      continue;
    }
    let depth = 1;
    let inClass = false;
    let j = i + 4;
    for (; j < source.length && depth > 0; j++) {
      const char = source[j];
      if (char === '\\') j++;
      else if (inClass) inClass = char !== ']';
      else if (char === '[') inClass = true;
      else if (char === '(') depth++;
      else if (char === ')') depth--;
    }
    out += `(?:${foldLetters(source.slice(i + 4, j - 1))})`;
    i = j - 1;
  }
  return new RegExp(out, flags);
}

/** Characters that may neither precede nor follow a token: it must not be part of a longer word. */
const tokenChar = 'A-Za-z0-9_';

/** A token with a distinctive shape (`body` is a regular-expression source), standing alone. */
export function standaloneToken(body: string): RegExp {
  return new RegExp(`(?<![${tokenChar}])(?<secret>${body})(?![${tokenChar}])`);
}

/**
 * A value assigned to a name that says what it is: `NAME=value`, `name: "value"`, `"name": "value"`,
 * `name := value`, `name => 'value'`. `name` (case ignored) may be surrounded by more of the
 * identifier (`LINODE_CLI_TOKEN`); `value` is a regular-expression source for the secret.
 */
export function assignedTo(name: string, value: string): RegExp {
  return caselessGroups(
    `(?i:${name})[A-Za-z0-9_.-]*["'\\]]?\\s*(?:=|:=|:|=>)\\s*["'\`]?(?<secret>${value})(?![A-Za-z0-9_+/=-])`,
  );
}

/** A PEM block (RFC 7468) with the given label; the secret is its body, headers included. */
export function pemBlock(label: string): RegExp {
  return new RegExp(
    `-----BEGIN ${label}-----(?<secret>[A-Za-z0-9+/=\\s:,\\\\-]{64,}?)-----END ${label}-----`,
  );
}
