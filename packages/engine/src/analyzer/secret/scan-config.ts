import type { SecretCategory, SecretSeverity } from './rule.ts';

/** A project's own content rule, in plain data (regular expressions as source text). */
export interface CustomRuleSpec {
  readonly id: string;
  readonly title: string;
  readonly severity: SecretSeverity;
  /** Defaults to `generic`. */
  readonly category?: SecretCategory;
  readonly keywords: readonly string[];
  /** Regular-expression source with a named group `secret`. */
  readonly pattern: string;
  /** Any of `i`, `m`, `s`, `u`. */
  readonly flags?: string;
  readonly entropy?: number;
  /** Regular-expression source over the image-relative path; the rule runs only on matching files. */
  readonly path?: string;
  readonly formats?: string;
  readonly spanLines?: number;
}

/**
 * Everything that shapes a secret scan, as plain data: worker threads receive this and compile the
 * same rule set (regular expressions do not cross threads). Empty means the built-in rules with the
 * default allowlist and a 10 MiB cap.
 */
export interface SecretScanConfig {
  readonly customRules?: readonly CustomRuleSpec[];
  /** Ids of built-in rules not to run. */
  readonly disabledRules?: readonly string[];
  /** Regular-expression sources over image-relative paths; matching files are not searched. */
  readonly allowPaths?: readonly string[];
  /** Regular-expression sources; a secret any of them matches (searched within it) is not reported. */
  readonly allowValues?: readonly string[];
  /** Turns off the default allowlist of system and vendor paths (the placeholder value rules stay). */
  readonly skipDefaultAllowlist?: boolean;
  /** Files larger than this are not searched (`too-large`). */
  readonly maxFileBytes?: number;
}

export const defaultMaxFileBytes = 10 * 1024 * 1024;
