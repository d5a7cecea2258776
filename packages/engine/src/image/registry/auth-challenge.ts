/**
 * Parser for `WWW-Authenticate` (RFC 7235 section 4.1, RFC 9110 section 11.6.1) as registries
 * send it: `Basic realm="…"` or `Bearer realm="…",service="…",scope="…"`, possibly several
 * challenges in one header or several headers.
 *
 * ```
 * WWW-Authenticate = 1#challenge
 * challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 * auth-param       = token BWS "=" BWS ( token / quoted-string )
 * ```
 *
 * Token authentication: https://distribution.github.io/distribution/spec/auth/token/ and the
 * distribution spec https://github.com/opencontainers/distribution-spec/blob/main/spec.md
 */

export interface AuthChallenge {
  /** Lowercased scheme: `basic`, `bearer`, … */
  readonly scheme: string;
  /** Parameters with lowercased names; values unquoted. */
  readonly params: Readonly<Record<string, string>>;
  /** A token68 credential instead of parameters (rare for challenges). */
  readonly token68?: string;
}

/** What a Bearer challenge asks for (token auth spec, "How to authenticate"). */
export interface BearerChallenge {
  readonly realm: string;
  readonly service: string | undefined;
  /** Space-separated scopes, as given. */
  readonly scope: string | undefined;
  /** `invalid_token`, `insufficient_scope`, … (RFC 6750 section 3). */
  readonly error: string | undefined;
}

const tokenChar = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const token68Char = /[A-Za-z0-9\-._~+/]/;

class Cursor {
  position = 0;
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  get done(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string {
    return this.text[this.position] ?? '';
  }

  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.position += 1;
  }

  skipSpacesAndCommas(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',') this.position += 1;
  }

  token(): string {
    const start = this.position;
    while (!this.done && tokenChar.test(this.peek())) this.position += 1;
    return this.text.slice(start, this.position);
  }

  /** An unquoted value: a token, leniently extended to anything up to a comma or white space. */
  bare(): string {
    const start = this.position;
    while (!this.done && !/[\s,"]/.test(this.peek())) this.position += 1;
    return this.text.slice(start, this.position);
  }

  /** A quoted-string; `\x` escapes any character. An unterminated string runs to the end. */
  quoted(): string {
    this.position += 1;
    let value = '';
    while (!this.done) {
      const char = this.peek();
      this.position += 1;
      if (char === '"') return value;
      if (char === '\\' && !this.done) {
        value += this.peek();
        this.position += 1;
        continue;
      }
      value += char;
    }
    return value;
  }
}

/** After a token: is this `name = value` (a parameter) rather than a token68 or the next scheme? */
function isParameter(cursor: Cursor): boolean {
  const save = cursor.position;
  cursor.skipSpaces();
  let parameter = false;
  if (cursor.peek() === '=') {
    cursor.position += 1;
    cursor.skipSpaces();
    parameter = cursor.peek() === '"' || tokenChar.test(cursor.peek());
  }
  cursor.position = save;
  return parameter;
}

/** Tries to read a token68 that makes up the whole rest of a challenge. */
function readToken68(cursor: Cursor): string | undefined {
  const start = cursor.position;
  while (!cursor.done && token68Char.test(cursor.peek())) cursor.position += 1;
  if (cursor.position === start) return undefined;
  while (cursor.peek() === '=') cursor.position += 1;
  const end = cursor.position;
  cursor.skipSpaces();
  if (cursor.done || cursor.peek() === ',') return cursor.text.slice(start, end);
  cursor.position = start;
  return undefined;
}

function parseOne(text: string, into: AuthChallenge[]): void {
  const cursor = new Cursor(text);
  for (;;) {
    cursor.skipSpacesAndCommas();
    if (cursor.done) return;
    const scheme = cursor.token();
    if (scheme === '') return; // garbage: keep what was understood so far
    cursor.skipSpaces();
    const afterScheme = cursor.position;
    cursor.token();
    const startsWithParameter = isParameter(cursor);
    cursor.position = afterScheme;
    if (!startsWithParameter) {
      const token68 = readToken68(cursor);
      if (token68 !== undefined) {
        into.push({ scheme: scheme.toLowerCase(), params: {}, token68 });
        continue;
      }
    }
    const params: Record<string, string> = {};
    for (;;) {
      cursor.skipSpacesAndCommas();
      const start = cursor.position;
      const key = cursor.token();
      if (key === '' || !isParameter(cursor)) {
        cursor.position = start;
        break;
      }
      cursor.skipSpaces();
      cursor.position += 1; // '='
      cursor.skipSpaces();
      const value = cursor.peek() === '"' ? cursor.quoted() : cursor.bare();
      params[key.toLowerCase()] = value;
      cursor.skipSpaces();
      if (cursor.peek() !== ',') break;
    }
    into.push({ scheme: scheme.toLowerCase(), params });
  }
}

/** Parses one or more `WWW-Authenticate` header values; never throws, unknown bits are skipped. */
export function parseAuthChallenges(header: string | readonly string[] | undefined): AuthChallenge[] {
  if (header === undefined) return [];
  const values = typeof header === 'string' ? [header] : header;
  const challenges: AuthChallenge[] = [];
  for (const value of values) parseOne(value, challenges);
  return challenges;
}

/** The Bearer challenge among `challenges`, when it names a realm. */
export function findBearerChallenge(challenges: readonly AuthChallenge[]): BearerChallenge | undefined {
  const bearer = challenges.find((challenge) => challenge.scheme === 'bearer' && challenge.params['realm']);
  if (!bearer) return undefined;
  return {
    realm: bearer.params['realm'] ?? '',
    service: bearer.params['service'],
    scope: bearer.params['scope'],
    error: bearer.params['error'],
  };
}

export function hasBasicChallenge(challenges: readonly AuthChallenge[]): boolean {
  return challenges.some((challenge) => challenge.scheme === 'basic');
}
