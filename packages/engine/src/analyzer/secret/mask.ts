import { createHash } from 'node:crypto';

/** The longest run of `*` a masked secret shows: a 3 KB key body need not print 3 KB of stars. */
const maxStars = 32;
/** Secrets shorter than this keep no prefix at all. */
const minLengthForPrefix = 8;

/** How many leading characters of a secret may be shown: at most 4, at most a quarter, none when short. */
export function visiblePrefixLength(length: number): number {
  if (length < minLengthForPrefix) return 0;
  return Math.min(4, Math.floor(length / 4));
}

/**
 * The secret as it may be shown: a short prefix (which often names the token type, `ghp_`), the
 * rest replaced by `*` (capped at 32 stars, so the length of long secrets is not shown exactly).
 */
export function maskSecret(secret: string): string {
  const shown = visiblePrefixLength(secret.length);
  return secret.slice(0, shown) + '*'.repeat(Math.max(1, Math.min(maxStars, secret.length - shown)));
}

/**
 * A stable identifier for ignoring one finding: SHA-256 over rule id, path and the secret. The same
 * secret in the same file under the same rule keeps its fingerprint across scans and layers; the
 * secret cannot be recovered from it (the hash of a low-entropy password could be guessed, so the
 * fingerprint is, like the masked value, for the ones who may see the finding).
 */
export function secretFingerprint(ruleId: string, path: string, secret: string): string {
  return createHash('sha256').update(`${ruleId}\0${path}\0${secret}`).digest('hex');
}

/** Longest excerpt kept of a line, and how much of it may come before the secret. */
const excerptWidth = 120;
const excerptLead = 40;

/** The distinct secrets of a file's spans (four characters or more), worked out once per spans list. */
const secretsOfSpans = new WeakMap<readonly (readonly [number, number])[], readonly string[]>();

function distinctSecrets(text: string, spans: readonly (readonly [number, number])[]): readonly string[] {
  let secrets = secretsOfSpans.get(spans);
  if (secrets === undefined) {
    const found = new Set(spans.map(([spanStart, spanEnd]) => text.slice(spanStart, spanEnd)));
    secrets = [...found].filter((secret) => secret.length >= 4);
    secretsOfSpans.set(spans, secrets);
  }
  return secrets;
}

/**
 * The line around a secret with every secret span on it masked. `text` is the file as latin1 (one
 * character per byte), `spans` are [start, end) offsets of secrets in it (the reported one and any
 * other on the same line); the excerpt is cut to about 120 characters around `at`, then decoded
 * as UTF-8. Masking keeps the prefix `maskSecret` keeps, so the excerpt and the secret agree.
 */
export function maskedExcerpt(
  text: string,
  at: number,
  spans: readonly (readonly [number, number])[],
): string {
  // Newlines are looked for only as far as the excerpt reaches: a line may be megabytes long.
  const leadFrom = Math.max(0, at - excerptLead);
  const lastNewline = text.slice(leadFrom, at).lastIndexOf('\n');
  const start = leadFrom + lastNewline + 1;
  const cutAtStart = lastNewline === -1 && leadFrom > 0 && text[leadFrom - 1] !== '\n';
  const newline = text.slice(at, start + excerptWidth + 1).indexOf('\n');
  const lineEnd = newline === -1 ? Math.min(text.length, start + excerptWidth + 1) : at + newline;
  const end = Math.min(lineEnd, start + excerptWidth);
  const chars = text.slice(start, end).split('');
  const mask = (spanStart: number, spanEnd: number) => {
    const shown = visiblePrefixLength(spanEnd - spanStart);
    for (let i = Math.max(spanStart + shown, start); i < Math.min(spanEnd, end); i++) chars[i - start] = '*';
  };
  for (const [spanStart, spanEnd] of spans) if (spanStart < end && spanEnd > start) mask(spanStart, spanEnd);
  // The same secret written again on the line (a comment repeating it) is masked too: each distinct
  // secret is looked for in the excerpt's own stretch only. Searching on from the excerpt for every
  // span of the file, for every match, made a line of thousands of secrets take minutes.
  for (const secret of distinctSecrets(text, spans)) {
    const regionStart = Math.max(0, start - secret.length + 1);
    const region = text.slice(regionStart, end + secret.length - 1);
    for (let i = region.indexOf(secret); i !== -1; i = region.indexOf(secret, i + 1)) {
      mask(regionStart + i, regionStart + i + secret.length);
    }
  }
  const excerpt = Buffer.from(chars.join(''), 'latin1').toString('utf8').replace(/\r$/, '').trim();
  return (cutAtStart ? '…' : '') + excerpt + (end < lineEnd ? '…' : '');
}
