import type { SystemFileFact } from '../analyzer/fact.ts';
import type { SecretRuleSet } from '../analyzer/secret/rule-set.ts';
import { accountChecks } from '../check/baseline/accounts-checks.ts';
import type { BaselineCheckResult } from '../check/baseline/check-result.ts';
import { imageBaselineChecks } from '../check/baseline/image-baseline-checks.ts';
import { passwordPolicyChecks } from '../check/baseline/password-policy-checks.ts';
import { sshdChecks } from '../check/baseline/sshd-checks.ts';
import type { SystemFiles } from '../check/baseline/system-files.ts';
import { findWeakPasswords } from '../check/weak-password/find-weak-passwords.ts';
import type { WeakPasswordOptions } from '../check/weak-password/find-weak-passwords.ts';
import { weakPasswordCheck } from '../check/weak-password/weak-password-check.ts';
import type { ImageConfig } from '../image/types.ts';
import type { SurvivingFiles } from '../inventory/surviving-files.ts';
import type { BaselineReport } from './result.ts';

export interface BaselineScanOptions {
  /** How the user named the image (for the `latest` tag check); absent for local sources. */
  readonly reference?: { readonly tag?: string; readonly digest?: string };
  /** The weak-password search (budget, the project's words, threads); `false` leaves it out. */
  readonly weakPasswords?: Omit<WeakPasswordOptions, 'signal'> | false;
  /** The moment dates are judged at (password change dates); default now. */
  readonly now?: Date;
}

/** The final filesystem's copy of each collected system file. */
function finalSystemFiles(
  facts: readonly SystemFileFact[],
  survivingLayer: SurvivingFiles['layerOf'],
): SystemFiles {
  const files = new Map<string, string>();
  for (const fact of facts)
    if (survivingLayer(fact.path) === fact.layer.index) files.set(fact.path, fact.content);
  return files;
}

/**
 * Every baseline check over one image: its configuration and history, the accounts, password
 * policy and SSH server files of the final filesystem, and the weak-password search over
 * /etc/shadow (in worker threads, within its budget).
 */
export async function baselineReport(input: {
  readonly config: ImageConfig;
  readonly facts: readonly SystemFileFact[];
  readonly survivingLayer: SurvivingFiles['layerOf'];
  readonly setuid: readonly string[];
  readonly setgid: readonly string[];
  readonly secretRules: SecretRuleSet;
  readonly options: BaselineScanOptions;
  readonly signal: AbortSignal;
}): Promise<BaselineReport> {
  const { options } = input;
  const now = options.now ?? new Date();
  const files = finalSystemFiles(input.facts, input.survivingLayer);
  const checks: BaselineCheckResult[] = [
    ...imageBaselineChecks({
      config: input.config,
      ...(options.reference ? { reference: options.reference } : {}),
      setuid: input.setuid,
      setgid: input.setgid,
      secretRules: input.secretRules,
    }),
    ...accountChecks(files, now),
    ...passwordPolicyChecks(files),
    ...sshdChecks(files),
  ];
  const shadow = files.get('etc/shadow');
  if (options.weakPasswords === false || shadow === undefined) return { checks, weakPasswords: undefined };
  const result = await findWeakPasswords(shadow, { ...options.weakPasswords, signal: input.signal });
  checks.push(weakPasswordCheck(result));
  return {
    checks,
    weakPasswords: { tried: result.tried, exhausted: result.exhausted, unsupported: result.unsupported },
  };
}
