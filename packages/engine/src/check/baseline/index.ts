/**
 * The baseline checks' public surface, for the engine index to re-export.
 */
export type {
  BaselineArea,
  BaselineCheckResult,
  BaselineEvidence,
  BaselineOutcome,
  BaselineSeverity,
} from './check-result.ts';
export { accountChecks } from './accounts-checks.ts';
export { passwordPolicyChecks } from './password-policy-checks.ts';
export { sshdChecks } from './sshd-checks.ts';
export { imageBaselineChecks } from './image-baseline-checks.ts';
export type { ImageBaselineInput } from './image-baseline-input.ts';
export type { SystemFiles } from './system-files.ts';
