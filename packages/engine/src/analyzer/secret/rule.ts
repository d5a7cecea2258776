/**
 * The shape of a secret rule. Content rules find a secret in text with a regular expression whose named
 * group `secret` marks the secret itself; file rules recognise a binary credential file (PKCS#12, Java
 * keystores) by name and magic bytes, where no regular expression can look.
 */
export const secretSeverities = ['critical', 'high', 'medium', 'low'] as const;
export type SecretSeverity = (typeof secretSeverities)[number];

export const secretCategories = [
  'private-key',
  'cloud',
  'saas',
  'database',
  'password',
  'credential-file',
  'generic',
] as const;
export type SecretCategory = (typeof secretCategories)[number];

interface RuleBase {
  /** Stable kebab-case id: findings are ignored and rules disabled by it. */
  readonly id: string;
  readonly title: string;
  readonly severity: SecretSeverity;
  readonly category: SecretCategory;
  /** The token format the rule follows, for people reading a finding ("GitHub classic PAT: ghp_ + 36 base62"). */
  readonly formats: string;
}

export interface ContentRule extends RuleBase {
  readonly kind: 'content';
  /**
   * Lower-case literals; the rule's pattern runs only near a place where one of them occurs (case
   * ignored). At least one; each one should be as rare in ordinary text as the token allows.
   */
  readonly keywords: readonly string[];
  /** Must contain a named group `secret`. Flags other than `i`, `m`, `s` and `u` are ignored. */
  readonly pattern: RegExp;
  /** Lowest Shannon entropy (bits per character) of the secret; lower values are not reported. */
  readonly entropy?: number;
  /** Only files whose image-relative path matches (`.npmrc`, `*.properties`, ...). */
  readonly path?: RegExp;
  /**
   * The pattern needs the whole file, not the lines around a keyword (the keyword and the secret
   * may be far apart: `.pypirc`, `.docker/config.json`); only with `path`, for small named files.
   */
  readonly wholeFile?: boolean;
  /**
   * How many lines after a keyword's line the pattern may reach (PEM blocks span many lines); 0 is
   * the keyword's whole line. By default the pattern sees the keyword's line, but at most 512
   * characters either side of the keyword (minified files have megabyte lines).
   */
  readonly spanLines?: number;
}

export interface FileRule extends RuleBase {
  readonly kind: 'file';
  /** Files whose image-relative path matches are checked with `detect`. */
  readonly path: RegExp;
  /** Whether the content really is such a credential file (magic bytes, a private key entry). */
  detect(content: Buffer): boolean;
}

export type SecretRule = ContentRule | FileRule;
