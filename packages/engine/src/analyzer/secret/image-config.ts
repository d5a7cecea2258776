import { shannonEntropy } from './entropy.ts';
import { maskedExcerpt, maskSecret, secretFingerprint } from './mask.ts';
import { placeholderReason } from './placeholder.ts';
import type { SecretRuleSet } from './rule-set.ts';
import type { SecretCategory, SecretSeverity } from './rule.ts';
import { scanFile, secretSpans } from './scan-file.ts';
import type { SecretMatch } from './secret-match.ts';

/** The parts of an OCI image configuration that can carry secrets (image-spec config.md). */
export interface ImageConfigInput {
  /** `config.Env`: `NAME=value` entries. */
  readonly env?: readonly string[];
  /** `config.Labels`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** `history[].created_by`, in order; entries without it are skipped but keep their index. */
  readonly history?: readonly { readonly createdBy?: string | undefined }[];
}

/** The rule of the name heuristic: a variable named like a secret holding a value that is not a placeholder. */
export const secretNameRule = {
  id: 'image-config-secret-name',
  title: 'Secret-like value in an image ENV, label or build argument',
  severity: 'high' as SecretSeverity,
  category: 'password' as SecretCategory,
  formats:
    'NAME=value where NAME contains PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, ACCESS_KEY or CREDENTIALS',
} as const;

/** Names that say their value is a secret (case ignored; `-` and `.` count as `_`). */
const secretName =
  /(?:^|_)(?:[A-Z0-9]*PASSWORD|PASSWD|PASSPHRASE|PWD|SECRET|SECRET_KEY|TOKEN|API_?KEY|APIKEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|AUTH_KEY)(?:_|$)/;
/** Names whose value points at a secret instead of being one. */
const referenceName =
  /_(?:FILE|PATH|DIR|URL|URI|ENDPOINT|NAME|ID|TYPE|LENGTH|MODE|HOST|PORT|USER|USERNAME|HEADER|EXPIRY|TTL)$/;
/** Values that are not secrets even under a secret's name: paths, booleans, numbers, references. */
const notSecretValue = /^(?:\/|~\/|\.\.?\/|\d+$|(?:true|false|yes|no|on|off|none|null)$)/i;

function looksSecretByName(name: string, value: string): boolean {
  const normal = name.toUpperCase().replace(/[-.]/g, '_');
  if (!secretName.test(normal) || referenceName.test(normal)) return false;
  if (value.length < 6 || notSecretValue.test(value)) return false;
  // A one-word lower-case value under a TOKEN or KEY name is a setting (`TOKEN_MODE=strict`), not a secret.
  if (!/PASSWORD|PASSWD|PASSPHRASE|PWD/.test(normal) && shannonEntropy(value) < 3) return false;
  return placeholderReason(value) === undefined;
}

/**
 * `NAME=value` pairs written in a build instruction: ENV (Docker records `ENV NAME=value` in this form
 * whichever form the Dockerfile used), ARG defaults, build arguments (`|1 NAME=value /bin/sh -c ...`),
 * shell assignments and exports.
 */
function assignmentsIn(instruction: string): { name: string; value: string; at: number }[] {
  const found: { name: string; value: string; at: number }[] = [];
  const assignment = /(?<![\w$])([A-Za-z_][A-Za-z0-9_.-]*)=("[^"]*"|'[^']*'|[^\s"';&|]+)/g;
  for (const match of instruction.matchAll(assignment)) {
    const [, name = '', quoted = ''] = match;
    const value = /^["']/.test(quoted) ? quoted.slice(1, -1) : quoted;
    found.push({ name, value, at: match.index + name.length + 1 + (quoted === value ? 0 : 1) });
  }
  return found;
}

/** The assignments of an instruction, and a password piped to `docker login --password-stdin`. */
function instructionPairs(instruction: string): { name: string; value: string; at: number }[] {
  const pairs = assignmentsIn(instruction.replace(/\r?\n/g, ' '));
  const stdin = /\becho\s+(["']?)([^\s"'|]{6,})\1\s*\|\s*[^|]*--password-stdin/.exec(instruction);
  if (stdin?.[2] !== undefined)
    pairs.push({ name: 'PASSWORD', value: stdin[2], at: stdin.index + stdin[0].indexOf(stdin[2]) });
  return pairs;
}

function nameMatch(path: string, text: string, at: number, value: string): SecretMatch {
  return {
    ruleId: secretNameRule.id,
    title: secretNameRule.title,
    severity: secretNameRule.severity,
    category: secretNameRule.category,
    path,
    line: 1,
    column: at + 1,
    secret: maskSecret(value),
    excerpt: maskedExcerpt(text, at, [[at, at + value.length]]),
    fingerprint: secretFingerprint(secretNameRule.id, path, value),
  };
}

/** One entry: the rules over its text, then the name heuristic for the pairs no rule reported. */
function scanEntry(
  rules: SecretRuleSet,
  path: string,
  text: string,
  pairs: { name: string; value: string; at: number }[],
): SecretMatch[] {
  // Buffer in latin1 as scanFile reads it; entries are single lines (newlines in history become spaces).
  const flat = text.replace(/\r?\n/g, ' ');
  const found = [...scanFile(rules, path, Buffer.from(flat, 'latin1')).matches];
  for (const pair of pairs) {
    const end = pair.at + pair.value.length;
    // A rule already reported something inside this value (a URL's password, a known token).
    const covered = found.some(
      (match) => match.column !== undefined && match.column - 1 >= pair.at - 1 && match.column - 1 < end,
    );
    if (!covered && looksSecretByName(pair.name, pair.value))
      found.push(nameMatch(path, flat, pair.at, pair.value));
  }
  return found;
}

/**
 * Secrets in an image's configuration: ENV entries, labels and the build history's `created_by`
 * strings (ENV and ARG instructions, `--build-arg` values Docker records as `|N NAME=value`, tokens in
 * `curl -H` headers, `echo TOKEN | docker login --password-stdin`). Each entry is searched with the same
 * rules as files, plus a name heuristic for variables named like secrets. Paths are `config:env/NAME`,
 * `config:label/NAME` and `config:history/N` (N counts from 0).
 */
export function scanImageConfig(rules: SecretRuleSet, config: ImageConfigInput): SecretMatch[] {
  const matches: SecretMatch[] = [];
  for (const entry of config.env ?? []) {
    const equals = entry.indexOf('=');
    if (equals <= 0) continue;
    const name = entry.slice(0, equals);
    matches.push(
      ...scanEntry(rules, `config:env/${name}`, entry, [
        { name, value: entry.slice(equals + 1), at: equals + 1 },
      ]),
    );
  }
  for (const [name, value] of Object.entries(config.labels ?? {})) {
    const text = `${name}=${value}`;
    matches.push(...scanEntry(rules, `config:label/${name}`, text, [{ name, value, at: name.length + 1 }]));
  }
  (config.history ?? []).forEach((step, index) => {
    const instruction = step.createdBy;
    if (instruction === undefined || instruction.length === 0) return;
    matches.push(...scanEntry(rules, `config:history/${index}`, instruction, instructionPairs(instruction)));
  });
  return matches;
}

/** `text` with each [start, end) span replaced by its masked form (spans sorted, not overlapping). */
function maskSpans(text: string, spans: readonly (readonly [number, number])[]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at) continue;
    out += text.slice(at, start) + maskSecret(text.slice(start, end));
    at = end;
  }
  return out + text.slice(at);
}

type Pair = { name: string; value: string; at: number };

/**
 * One configuration string with every secret `scanImageConfig` would report in it masked the way
 * findings mask them. `pairsOf` gets the text as latin1 (UTF-8 bytes one character each, as the
 * rules read it) so every offset agrees.
 */
function redactEntry(rules: SecretRuleSet, text: string, pairsOf: (latin1: string) => Pair[]): string {
  const latin1 = Buffer.from(text.replace(/\r?\n/g, ' '), 'utf8').toString('latin1');
  const spans: [number, number][] = secretSpans(rules, latin1);
  for (const pair of pairsOf(latin1)) {
    const end = pair.at + pair.value.length;
    if (spans.some(([start, stop]) => start < end && pair.at < stop)) continue;
    if (looksSecretByName(pair.name, pair.value)) spans.push([pair.at, end]);
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  return Buffer.from(maskSpans(latin1, spans), 'latin1').toString('utf8');
}

/** A build instruction (a layer's `created_by`) with its secrets masked. */
export function redactInstruction(rules: SecretRuleSet, instruction: string): string {
  return redactEntry(rules, instruction, instructionPairs);
}

/** An ENV entry (`NAME=value`) with its secrets masked. */
export function redactEnvEntry(rules: SecretRuleSet, entry: string): string {
  const equals = entry.indexOf('=');
  if (equals <= 0) return entry;
  return redactEntry(rules, entry, (latin1) => [
    {
      name: latin1.slice(0, latin1.indexOf('=')),
      value: latin1.slice(latin1.indexOf('=') + 1),
      at: latin1.indexOf('=') + 1,
    },
  ]);
}

/** Labels with the secrets in their values masked. */
export function redactLabels(
  rules: SecretRuleSet,
  labels: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).map(([name, value]) => {
      const redacted = redactEnvEntry(rules, `${name}=${value}`);
      return [name, redacted.slice(redacted.indexOf('=') + 1)];
    }),
  );
}
