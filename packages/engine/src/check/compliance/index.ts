export type { ComplianceFinding, ComplianceFindingType, ComplianceSeverity } from './compliance-finding.ts';
export { complianceChecks, type ComplianceInput, type ComplianceResult } from './compliance-checks.ts';
export {
  defaultPolicy,
  resolvePolicy,
  type CompliancePolicy,
  type ResolvedPolicy,
} from './compliance-policy.ts';
export { licenseCategories, type LicenseCategory } from './license-category.ts';
export { normaliseLicense, type NormalisedLicense } from './normalise-license.ts';
export {
  evaluateLicenses,
  type LicenseEvaluation,
  type LicenseTerm,
  type LicenseVerdict,
} from './evaluate-license.ts';
export type { LicenseSummary } from './license-findings.ts';
export type { ImageExecutable } from './prohibited-software.ts';
export type { ProhibitedCategory, ProhibitedSoftware } from './prohibited-software-entry.ts';
export { builtinProhibitedSoftware } from './prohibited-software-list.ts';
export { endOfLifeTable, type EndOfLifeProductId, type EndOfLifeRelease } from './end-of-life-table.ts';
export { CompliancePolicyError, isCompliancePolicyError, parseCompliancePolicy } from './policy-file.ts';
