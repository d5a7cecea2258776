import { createHash } from 'node:crypto';
import { shannonEntropy } from './entropy.ts';
import { maskedExcerpt, maskSecret, secretFingerprint } from './mask.ts';
import { placeholderReason } from './placeholder.ts';
import type { CompiledContentRule, SecretRuleSet } from './rule-set.ts';
import type { FileRule } from './rule.ts';
import type { SecretFileResult, SecretMatch } from './secret-match.ts';

/** Bytes looked at for a NUL to call a file binary. */
const binarySniffBytes = 8192;
/**
 * How far around a keyword a single-line pattern looks, at most: one regular expression run per
 * keyword and rule stays small on minified files whose one line is megabytes long.
 */
const lineReach = 512;

interface Candidate {
  readonly entry: CompiledContentRule;
  readonly start: number;
  readonly end: number;
  readonly secret: string;
}

/** A [start, end) slice of the file to run one rule's pattern over. */
type Window = [number, number];

function lineStartOf(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function lineEndOf(text: string, at: number): number {
  const newline = text.indexOf('\n', at);
  return newline === -1 ? text.length : newline;
}

/** The end of the line `extra` lines after the one holding `at`. */
function lineEndAfter(text: string, at: number, extra: number): number {
  let end = lineEndOf(text, at);
  for (let i = 0; i < extra && end < text.length; i++) end = lineEndOf(text, end + 1);
  return end;
}

const newline = 0x0a;

/** Start of the line holding `at`, looking back at most `reach` bytes. */
function boundedLineStart(content: Uint8Array, at: number, reach: number): number {
  const floor = Math.max(0, at - reach);
  for (let i = at - 1; i >= floor; i--) if (content[i] === newline) return i + 1;
  return floor;
}

/** End of the line holding `at` (the newline's offset), looking ahead at most `reach` bytes. */
function boundedLineEnd(content: Uint8Array, at: number, reach: number): number {
  const ceiling = Math.min(content.length, at + reach);
  for (let i = at; i < ceiling; i++) if (content[i] === newline) return i;
  return ceiling;
}

/**
 * Windows per indexed rule around each keyword hit, merged where they touch. Line bounds are found
 * in the bytes, at most 512 bytes away for one-line rules, so a megabyte-long minified line costs
 * no more than a short one. Rules bound to another path are passed over.
 */
function keywordWindows(
  set: SecretRuleSet,
  path: string,
  content: Buffer,
  text: () => string,
): Map<number, Window[]> | undefined {
  // Created at the first keyword hit: most files have none, and cost no maps.
  let windows: Map<number, Window[]> | undefined;
  let pathAllows: Map<number, boolean> | undefined;
  const applies = (ruleIndex: number): boolean => {
    const rulePath = set.indexedRules[ruleIndex]?.rule.path;
    if (rulePath === undefined) return true;
    let allowed = (pathAllows ??= new Map()).get(ruleIndex);
    if (allowed === undefined) pathAllows.set(ruleIndex, (allowed = rulePath.test(path)));
    return allowed;
  };
  set.index.scan(content, (keyword, end) => {
    const start = end - (set.index.keywords[keyword]?.length ?? 0);
    windows ??= new Map<number, Window[]>();
    for (const ruleIndex of set.rulesOfKeyword[keyword] ?? []) {
      const list = windows.get(ruleIndex);
      const last = list?.[list.length - 1];
      if (last !== undefined && end <= last[1]) continue;
      if (!applies(ruleIndex)) continue;
      const spanLines = set.indexedRules[ruleIndex]?.rule.spanLines;
      let window: Window;
      if (spanLines === undefined) {
        window = [boundedLineStart(content, start, lineReach), boundedLineEnd(content, end, lineReach)];
      } else {
        const full = text();
        window = [lineStartOf(full, start), lineEndAfter(full, end, spanLines)];
      }
      if (last !== undefined && window[0] <= last[1]) last[1] = Math.max(last[1], window[1]);
      else if (list === undefined) windows.set(ruleIndex, [window]);
      else list.push(window);
    }
  });
  return windows;
}

/**
 * Whether a found value is a placeholder. A private key's body is hundreds of random base64
 * characters, where stand-in words turn up by chance (`fake`, `your`, `xxxx` in about one real
 * key in a hundred): only a short body (`...`, `<your key>`) can be a placeholder.
 */
function isPlaceholder(entry: CompiledContentRule, secret: string): boolean {
  if (entry.rule.category === 'private-key' && secret.length >= minimumKeyBody) return false;
  return placeholderReason(secret) !== undefined;
}

/** Characters of the shortest real private key body (an Ed25519 OpenSSH key has about 400). */
const minimumKeyBody = 64;

function collect(
  entry: CompiledContentRule,
  slice: string,
  window: Window,
  set: SecretRuleSet,
  into: Candidate[],
): void {
  const search = entry.search;
  search.lastIndex = 0;
  for (let match = search.exec(slice); match !== null; match = search.exec(slice)) {
    if (match[0].length === 0) search.lastIndex++;
    const span = match.indices?.groups?.['secret'];
    const raw = match.groups?.['secret'];
    if (span === undefined || raw === undefined) continue;
    // PEM bodies and the like begin and end with line breaks; the secret is what lies between.
    const lead = raw.length - raw.trimStart().length;
    const secret = raw.trim();
    if (secret.length === 0) continue;
    const start = window[0] + span[0] + lead;
    if (entry.rule.entropy !== undefined && shannonEntropy(secret) < entry.rule.entropy) continue;
    if (isPlaceholder(entry, secret) || set.isValueAllowed(secret)) continue;
    into.push({ entry, start, end: start + secret.length, secret });
  }
}

/** Keeps, of overlapping candidates, the one of the most specific rule (lowest order); also drops exact repeats. */
function withoutOverlaps(candidates: Candidate[]): Candidate[] {
  const byOrder = [...candidates].sort((a, b) => a.entry.order - b.entry.order || a.start - b.start);
  const kept: Candidate[] = [];
  for (const candidate of byOrder) {
    if (kept.some((other) => candidate.start < other.end && other.start < candidate.end)) continue;
    kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** The content rules' secrets in a text file, overlaps resolved, in file order. */
function contentCandidates(
  set: SecretRuleSet,
  path: string,
  content: Buffer,
  text: () => string,
): Candidate[] {
  const candidates: Candidate[] = [];
  const hits = keywordWindows(set, path, content, text);
  if (hits !== undefined)
    for (const [ruleIndex, windows] of hits) {
      const entry = set.indexedRules[ruleIndex];
      // Each window decoded on its own: most files with keyword hits never need their whole text.
      if (entry !== undefined)
        for (const window of windows)
          collect(entry, content.toString('latin1', window[0], window[1]), window, set, candidates);
    }
  let lower: string | undefined;
  for (const entry of set.pathRules) {
    if (entry.rule.path?.test(path) !== true) continue;
    lower ??= text().toLowerCase();
    const inText = lower;
    if (entry.rule.keywords.some((keyword) => inText.includes(keyword)))
      collect(entry, text(), [0, text().length], set, candidates);
  }
  return candidates.length === 0 ? candidates : withoutOverlaps(candidates);
}

/**
 * Where the content rules find secrets in a text, as [start, end) offsets into `text`, without
 * the allowlists of paths: for masking secrets in text that is shown rather than reported (image
 * configuration, build instructions). `text` is latin1 (one character per byte), as the rules read.
 */
export function secretSpans(set: SecretRuleSet, text: string): [number, number][] {
  return contentCandidates(set, '', Buffer.from(text, 'latin1'), () => text).map(
    (candidate): [number, number] => [candidate.start, candidate.end],
  );
}

/** A file rule's match; `digest` is the file's SHA-256, its "secret". */
function fileRuleMatch(rule: FileRule, path: string, bytes: number, digest: string): SecretMatch {
  return {
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    category: rule.category,
    path,
    line: 1,
    secret: maskSecret(digest),
    excerpt: `binary credential file, ${bytes} bytes`,
    fingerprint: secretFingerprint(rule.id, path, digest),
  };
}

/**
 * Searches one file. `path` is image-relative; `content` the whole file. Order of work: size cap,
 * path allowlist, file rules (by name and magic), binary check, then content rules: one keyword pass
 * over the bytes and each hit rule's pattern on the lines around its hits.
 */
export function scanFile(set: SecretRuleSet, path: string, content: Buffer): SecretFileResult {
  return scanFileKeepingSecrets(set, path, content).result;
}

/**
 * `scanFile`, and the raw secret of each match (for a file rule's match, the file's SHA-256), so the
 * same matches can be told for a hardlink's path (`matchesAt`) without the content. The secrets
 * stay in memory only; they are never reported.
 */
export function scanFileKeepingSecrets(
  set: SecretRuleSet,
  path: string,
  content: Buffer,
): { readonly result: SecretFileResult; readonly secrets: readonly string[] } {
  const none: readonly string[] = [];
  if (content.length > set.maxFileBytes)
    return { result: { path, matches: [], skipped: 'too-large' }, secrets: none };
  if (set.isPathAllowed(path))
    return { result: { path, matches: [], skipped: 'allowed-path' }, secrets: none };
  const named = set.fileRules.filter((rule) => rule.path.test(path) && rule.detect(content));
  const digest = named.length === 0 ? '' : createHash('sha256').update(content).digest('hex');
  const fileMatches = named.map((rule) => fileRuleMatch(rule, path, content.length, digest));
  const fileSecrets = named.map(() => digest);
  if (isBinaryContent(content))
    return { result: { path, matches: fileMatches, skipped: 'binary' }, secrets: fileSecrets };

  let latin1: string | undefined;
  // One character per byte, so offsets in the string are offsets in the file.
  const text = (): string => (latin1 ??= content.toString('latin1'));
  const kept = contentCandidates(set, path, content, text);
  if (kept.length === 0) return { result: { path, matches: fileMatches }, secrets: fileSecrets };

  const spans = kept.map((candidate) => [candidate.start, candidate.end] as const);
  const full = text();
  // Each newline is looked up once, however many secrets a long line holds (searching from each
  // match to the line's end and back to its start made a line of thousands of secrets quadratic).
  let line = 1;
  let lineStart = 0;
  let nextNewline = full.indexOf('\n');
  const matches = kept.map((candidate): SecretMatch => {
    while (nextNewline !== -1 && nextNewline < candidate.start) {
      line++;
      lineStart = nextNewline + 1;
      nextNewline = full.indexOf('\n', lineStart);
    }
    const rule = candidate.entry.rule;
    return {
      ruleId: rule.id,
      title: rule.title,
      severity: rule.severity,
      category: rule.category,
      path,
      line,
      column: candidate.start - lineStart + 1,
      secret: maskSecret(candidate.secret),
      excerpt: maskedExcerpt(full, candidate.start, spans),
      fingerprint: secretFingerprint(rule.id, path, candidate.secret),
    };
  });
  return {
    result: { path, matches: [...fileMatches, ...matches] },
    secrets: [...fileSecrets, ...kept.map((candidate) => candidate.secret)],
  };
}

/** Whether the content rules pass a file over as binary: a NUL among its first 8 KiB. */
export function isBinaryContent(head: Uint8Array): boolean {
  return head.subarray(0, binarySniffBytes).includes(0);
}

/** Bytes of a file's start that tell whether it is binary (`isBinaryContent`). */
export const binaryHeadBytes = binarySniffBytes;

/**
 * A file's matches (from `scanFileKeepingSecrets`, with their raw `secrets`) as they are for the
 * same content at another path where the same path-bound rules apply (`SecretRuleSet.
 * pathBoundRulesAt`): only the path and the fingerprint change.
 */
export function matchesAt(
  matches: readonly SecretMatch[],
  secrets: readonly string[],
  path: string,
): SecretMatch[] {
  return matches.map((match, index) => ({
    ...match,
    path,
    fingerprint: secretFingerprint(match.ruleId, path, secrets[index] ?? ''),
  }));
}
