/** The characters PHP's trim() strips: space, tab, newline, carriage return, NUL and vertical tab. */
function blank(c: string | undefined): boolean {
  return c !== undefined && ' \t\n\r\0\x0B'.includes(c);
}

/** PHP's trim() (a loop: a regex here is quadratic). */
function phpTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && blank(text[start])) start++;
  while (end > start && blank(text[end - 1])) end--;
  return text.slice(start, end);
}

/** VersionParser::$modifierRegex: `-pre.release` (sort of), then an optional `-dev`. */
// PHP writes the numbers after a stability as a possessive `((?:[.-]?\d+)*+)?`; JavaScript has no
// possessive quantifier, and the plain one backtracks exponentially on long digit runs. A lookahead
// is atomic, so `(?=(X))\k` matches X once and never gives it back: the same language, linear time.
const modifier = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)(?=((?:[.-]?\\d+)*))\\N)?([.-]?dev)?';
const classical = new RegExp(
  `^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${modifier.replace('\\N', '\\6')}$`,
  'i',
);
const dateBased = new RegExp(
  `^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3})?)${modifier.replace('\\N', '\\3')}$`,
  'i',
);
// PCRE's `\s` (no UTF flag) is [ \t\n\v\f\r]; its `.` is anything but \n.
const alias = /^([^, \t\n\v\f\r]+) +as +([^, \t\n\v\f\r]+)$/;
const stabilityFlag = /@(?:stable|RC|beta|alpha|dev)$/i;
const buildMetadata = /^([^, \t\n\v\f\r+]+)\+[^ \t\n\v\f\r]+$/;
const numericBranch = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$/i;

/**
 * The name before a `dev` suffix, as PHP's unanchored `{(.*?)[.-]?dev$}i` captures it: from just
 * after the last newline (PCRE's `.` stops at one) to the `dev`, minus one `.` or `-` before it.
 * Written out because the lazy, unanchored pattern takes quadratic time in JavaScript.
 */
function devBranchName(version: string): string | undefined {
  if (version.length < 3 || version.slice(-3).toLowerCase() !== 'dev') return undefined;
  const body = version.slice(version.lastIndexOf('\n', version.length - 4) + 1, -3);
  return /[.-]$/.test(body) ? body.slice(0, -1) : body;
}

/** VersionParser::expandStability. */
function expandStability(stability: string): string {
  const lower = stability.toLowerCase();
  switch (lower) {
    case 'a':
      return 'alpha';
    case 'b':
      return 'beta';
    case 'p':
    case 'pl':
      return 'patch';
    case 'rc':
      return 'RC';
    default:
      return lower;
  }
}

/** VersionParser::normalizeBranch: `1.x` → `1.9999999.9999999.9999999-dev`; other names → `dev-NAME`. */
function normalizeBranch(name: string): string {
  const trimmed = phpTrim(name);
  const match = numericBranch.exec(trimmed);
  if (match === null) return `dev-${trimmed}`;
  let version = '';
  for (let i = 1; i < 5; i++) version += match[i] === undefined ? '.x' : match[i]?.replace(/[*X]/g, 'x');
  return `${version.replaceAll('x', '9999999')}-dev`;
}

/** Appends the stability modifier found at `index` (and a following `-dev`) as Composer writes them. */
function withModifiers(version: string, match: RegExpExecArray, index: number): string {
  let result = version;
  const stability = match[index];
  if (stability !== undefined && stability !== '') {
    if (stability === 'stable') return result;
    const number = match[index + 1] ?? '';
    result += `-${expandStability(stability)}${number.replace(/^[.-]+/, '')}`;
  }
  const dev = match[index + 2];
  if (dev !== undefined && dev !== '') result += '-dev';
  return result;
}

/**
 * Composer's `VersionParser::normalize` (https://getcomposer.org/doc/articles/versions.md;
 * source: https://github.com/composer/semver/blob/main/src/VersionParser.php): `v1.2` →
 * `1.2.0.0`, `1.0-beta.2` → `1.0.0.0-beta2`, `1.0.0RC1` → `1.0.0.0-RC1`, `2.1.x-dev` →
 * `2.1.9999999.9999999-dev`, date versions `20240115` kept as numbers, `dev-main` kept as a
 * branch; aliases (`1.0 as 2.0`), `@stability` flags and `+build` metadata stripped. Returns
 * undefined where Composer throws "Invalid version string".
 */
export function normalizeComposerVersion(input: string): string | undefined {
  let version = phpTrim(input);
  const aliased = alias.exec(version);
  if (aliased !== null) version = aliased[1] ?? version;
  const flag = stabilityFlag.exec(version);
  if (flag !== null) version = version.slice(0, version.length - flag[0].length);
  if (version === 'master' || version === 'trunk' || version === 'default') version = `dev-${version}`;
  if (version.slice(0, 4).toLowerCase() === 'dev-') return `dev-${version.slice(4)}`;
  const built = buildMetadata.exec(version);
  if (built !== null) version = built[1] ?? version;

  const match = classical.exec(version);
  if (match !== null) {
    const [, major = '', minor, patch, revision] = match;
    return withModifiers(`${major}${minor || '.0'}${patch || '.0'}${revision || '.0'}`, match, 5);
  }
  const dated = dateBased.exec(version);
  if (dated !== null) return withModifiers((dated[1] ?? '').replace(/\D/g, '.'), dated, 2);

  const branch = devBranchName(version);
  if (branch !== undefined) {
    const normalized = normalizeBranch(branch);
    if (!normalized.includes('dev-')) return normalized;
  }
  return undefined;
}
