/**
 * Built-in allow rules for values: a secret that is a documented example, a placeholder or a
 * template reference is not a secret. Each check returns a short reason, used in tests and logs.
 */

/**
 * Words that mark a value as written for documentation or as a stand-in (case ignored). A value that
 * names itself a password (`challengePassword`, `dataStorePassword`) is an identifier, not a password.
 */
const placeholderWords =
  /example|sample|dummy|placeholder|fake|redacted|change[_-]?me|your[_-]?|xxxx|\*{3}|\.{3}|<[^>]*>|insert[_-]?here|replace[_-]?me|not[_-]?a[_-]?(?:real|secret)|lorem|password|passwd|anonymous|^--?[a-z]/i;

/**
 * Example credentials of specifications, quoted verbatim by the libraries that implement them:
 * RFC 6749's access and refresh tokens and its client credentials (s6BhdRkqt3:gX1fBat3bV, Basic-encoded).
 */
const specificationExamples = new Set([
  '2YotnFZFEjr1zCsicMWpAA',
  'tGzv3JOkF0XG5Qx2TlKWIA',
  'czZCaGRSa3F0MzpnWDFmQmF0M2JW',
]);

/** References that a template engine, the shell or the code fills in at run time. */
const templateReference =
  /\$\{|\$\(|^\$[A-Za-z_]\w*$|\{\{|\}\}|%\(\w+\)s|%s|^%[A-Z_]+%$|process\.env|os\.environ|getenv|ENV\[|\bvault:|^@@|^__[A-Z_]+__$/;

/** Whole values commonly written where a password goes in documentation and defaults. */
const placeholderValues = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'api_key',
  'admin',
  'root',
  'test',
  'testing',
  'guest',
  'user',
  'username',
  'foo',
  'bar',
  'foobar',
  'baz',
  'null',
  'none',
  'nil',
  'true',
  'false',
  'undefined',
  'empty',
  'default',
  'string',
  'value',
  'required',
  'optional',
  'todo',
  'tbd',
  'unset',
  'hunter2',
  'mypassword',
  'mysecret',
  'secretpassword',
  'letmein',
  'qwerty',
  'xyzzy',
  // Perl's Configure records features as define/undef (d_pwpasswd='define').
  'define',
  'undef',
]);

const ascending = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Whether the value contains a run of 8 characters in ascending or descending order (`12345678`, `abcdefgh`). */
function hasSequentialRun(value: string): boolean {
  const lower = value.toLowerCase();
  let up = 1;
  let down = 1;
  for (let i = 1; i < lower.length; i++) {
    const previous = ascending.indexOf(lower[i - 1] ?? '');
    const current = ascending.indexOf(lower[i] ?? '');
    up = previous !== -1 && current === previous + 1 ? up + 1 : 1;
    down = previous !== -1 && current === previous - 1 ? down + 1 : 1;
    if (up >= 8 || down >= 8) return true;
  }
  return false;
}

/** The longest run of one repeated character. */
function longestRun(value: string): number {
  let longest = value.length > 0 ? 1 : 0;
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    run = value[i] === value[i - 1] ? run + 1 : 1;
    if (run > longest) longest = run;
  }
  return longest;
}

/**
 * Why a value is a placeholder rather than a secret, or undefined when it may be real:
 * `specification-example`, `placeholder-basic-credentials`, `placeholder-word`, `template-reference`, `placeholder-value`, `repeated-character`,
 * `repeated-pattern` or `sequential`.
 */
export function placeholderReason(secret: string): string | undefined {
  if (specificationExamples.has(secret)) return 'specification-example';
  if (placeholderWords.test(secret)) return 'placeholder-word';
  if (templateReference.test(secret)) return 'template-reference';
  const bare = secret.toLowerCase().replace(/^["']|["']$/g, '');
  if (placeholderValues.has(bare) || /^(?:password|passwd|secret|pass|admin|test)[_-]?\d{0,4}!?$/.test(bare))
    return 'placeholder-value';
  if (secret.length >= 8 && longestRun(secret) * 2 >= secret.length) return 'repeated-character';
  if (/^(.{1,4})\1{3,}$/s.test(secret)) return 'repeated-pattern';
  if (hasSequentialRun(secret)) return 'sequential';
  // HTTP Basic credentials (base64 of user:password) whose password is a placeholder.
  const basic = basicPassword(secret);
  if (basic !== undefined && placeholderReason(basic) !== undefined) return 'placeholder-basic-credentials';
  return undefined;
}

/** The password of base64-encoded `user:password` (RFC 7617), when the value is exactly that. */
function basicPassword(value: string): string | undefined {
  if (value.length < 8 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || !/^[\x20-\x7e]+$/.test(decoded)) return undefined;
  return decoded.slice(colon + 1);
}
