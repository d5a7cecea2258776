/**
 * The tokenizer of apk-tools' version.c (apk-tools 3, `token_first` / `token_next`;
 * https://gitlab.alpinelinux.org/alpine/apk-tools/-/blob/master/src/version.c). An Alpine version
 * is `digit{.digit}...{letter}{_suffix{digits}}...{~hash}{-r#}`: each token may only follow the
 * kinds before it in `tokenKinds` order, anything else makes the token `invalid`, which ends the walk.
 */
export const tokenKinds = [
  'initial-digit',
  'digit',
  'letter',
  'suffix',
  'suffix-number',
  'commit-hash',
  'revision',
  'end',
  'invalid',
] as const;

export type TokenKind = (typeof tokenKinds)[number];

/** Suffixes in apk's order; `none` (a version without suffix) is the pivot between pre and post. */
const suffixRanks: ReadonlyMap<string, number> = new Map([
  ['alpha', 1],
  ['beta', 2],
  ['pre', 3],
  ['rc', 4],
  ['cvs', 6],
  ['svn', 7],
  ['git', 8],
  ['hg', 9],
  ['p', 10],
]);
export const noSuffixRank = 5;

export interface Token {
  readonly kind: TokenKind;
  /** The token's text: digits, the letter, the suffix name or the hash (empty for end/invalid). */
  readonly text: string;
  /** The suffix rank for `suffix` tokens, 0 otherwise. */
  readonly suffix: number;
}

/** A cursor over one version string. */
export class TokenReader {
  private position = 0;
  private last: TokenKind = 'initial-digit';

  private readonly version: string;

  constructor(version: string) {
    this.version = version;
  }

  /** The first token: digits (`token_first`). */
  first(): Token {
    return this.digits('initial-digit');
  }

  /** The next token (`token_next`), checked against the kind of the one before it. */
  next(): Token {
    const v = this.version;
    if (this.position >= v.length) return this.emit('end', '');
    const char = v.charAt(this.position);
    const rank = tokenKinds.indexOf(this.last);
    if (char >= 'a' && char <= 'z') {
      if (rank > tokenKinds.indexOf('digit')) return this.invalid();
      this.position++;
      return this.emit('letter', char);
    }
    if (char === '.' || (char >= '0' && char <= '9')) {
      if (char === '.') {
        if (rank > tokenKinds.indexOf('digit')) return this.invalid();
        this.position++;
      }
      if (this.last === 'initial-digit' || this.last === 'digit') return this.digits('digit');
      if (this.last === 'suffix') return this.digits('suffix-number');
      return this.invalid();
    }
    if (char === '_') {
      if (rank > tokenKinds.indexOf('suffix-number')) return this.invalid();
      this.position++;
      const name = this.span(isSuffixChar);
      const suffix = suffixRanks.get(name);
      if (suffix === undefined) return this.invalid();
      return this.emit('suffix', name, suffix);
    }
    if (char === '~') {
      if (rank >= tokenKinds.indexOf('commit-hash')) return this.invalid();
      this.position++;
      const hash = this.span(isHexChar);
      if (hash === '') return this.invalid();
      return this.emit('commit-hash', hash);
    }
    if (char === '-') {
      if (rank >= tokenKinds.indexOf('revision')) return this.invalid();
      if (v.charAt(this.position + 1) !== 'r') return this.invalid();
      this.position += 2;
      return this.digits('revision');
    }
    return this.invalid();
  }

  private digits(kind: TokenKind): Token {
    const text = this.span(isDigitChar);
    if (text === '') return this.invalid();
    return this.emit(kind, text);
  }

  private span(accepts: (code: number) => boolean): string {
    const start = this.position;
    while (this.position < this.version.length && accepts(this.version.charCodeAt(this.position)))
      this.position++;
    return this.version.slice(start, this.position);
  }

  private invalid(): Token {
    return this.emit('invalid', '');
  }

  private emit(kind: TokenKind, text: string, suffix = 0): Token {
    this.last = kind;
    return { kind, text, suffix };
  }
}

function isDigitChar(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** `APK_CTYPE_VERSION_SUFFIX`: a-z; bytes outside ASCII do not stop apk's span either. */
function isSuffixChar(code: number): boolean {
  return (code >= 97 && code <= 122) || code >= 128;
}

/** `APK_CTYPE_HEXDIGIT`: 0-9 and lower-case a-f; bytes outside ASCII do not stop apk's span either. */
function isHexChar(code: number): boolean {
  return isDigitChar(code) || (code >= 97 && code <= 102) || code >= 128;
}
