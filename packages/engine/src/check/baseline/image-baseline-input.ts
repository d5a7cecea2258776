import type { SecretRuleSet } from '../../analyzer/secret/rule-set.ts';
import type { ImageConfig } from '../../image/types.ts';

/** What the image-configuration and build-history checks read: no files, only facts about the image. */
export interface ImageBaselineInput {
  readonly config: ImageConfig;
  /** How the user named the image; absent when it was not named by a reference (a directory, an archive). */
  readonly reference?: { readonly tag?: string; readonly digest?: string };
  /** Image-relative paths (no leading `/`) of setuid files in the final filesystem. */
  readonly setuid: readonly string[];
  readonly setgid: readonly string[];
  /** The secret rules, to find secrets in ENV, labels and history and to mask them in evidence. */
  readonly secretRules: SecretRuleSet;
}
