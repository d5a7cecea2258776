import { noSuffixRank, tokenKinds, TokenReader, type Token } from './tokens.ts';

/**
 * Orders two Alpine versions as apk-tools 3 does (`apk_version_compare_fuzzy` in src/version.c):
 * walk both token streams while the kinds agree, comparing each pair (`token_cmp`); at the first
 * difference in kind, a pre-release suffix (`_alpha` … `_rc`) sorts lower, and otherwise the
 * string whose next token kind comes later (the end, or an invalid token, comes last) is older.
 * With `fuzzy`, `a` also equals `b` when `b` ends where `a` goes on (the `~` dependency operator:
 * `3.6.9 ~ 3.6`). Returns -1, 0 or 1.
 */
export function compareApkVersions(a: string, b: string, fuzzy = false): number {
  const left = new TokenReader(a);
  const right = new TokenReader(b);
  let ta = left.first();
  let tb = right.first();
  while (ta.kind === tb.kind && rank(ta) < rank({ kind: 'end' })) {
    const order = compareTokens(ta, tb);
    if (order !== 0) return order;
    ta = left.next();
    tb = right.next();
  }
  if (ta.kind === tb.kind) return 0;
  if (tb.kind === 'end' && fuzzy) return 0;
  if (ta.kind === 'suffix' && ta.suffix < noSuffixRank) return -1;
  if (tb.kind === 'suffix' && tb.suffix < noSuffixRank) return 1;
  return rank(ta) > rank(tb) ? -1 : 1;
}

function rank(token: Pick<Token, 'kind'>): number {
  return tokenKinds.indexOf(token.kind);
}

/** `token_cmp`: two tokens of the same kind. */
function compareTokens(a: Token, b: Token): number {
  switch (a.kind) {
    case 'digit':
      // A leading zero on either side makes the pair compare as strings (as Gentoo does).
      if (a.text.startsWith('0') || b.text.startsWith('0')) return compareBytes(a.text, b.text);
      return compareNumbers(a.text, b.text);
    case 'initial-digit':
    case 'suffix-number':
    case 'revision':
      return compareNumbers(a.text, b.text);
    case 'letter':
      return Math.sign(a.text.charCodeAt(0) - b.text.charCodeAt(0));
    case 'suffix':
      return Math.sign(a.suffix - b.suffix);
    default:
      return compareBytes(a.text, b.text);
  }
}

/** apk reads numbers into a `uint64_t` (`apk_blob_pull_uint`), so longer ones wrap around. */
function compareNumbers(a: string, b: string): number {
  const left = BigInt.asUintN(64, BigInt(a));
  const right = BigInt.asUintN(64, BigInt(b));
  return left === right ? 0 : left < right ? -1 : 1;
}

/** `apk_blob_sort`: bytewise over the common length, then the shorter first. */
function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
