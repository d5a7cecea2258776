import type { DetectedOs } from '../../inventory/coalesce-os.ts';
import type { InventoryPackage } from '../../inventory/coalesce-packages.ts';
import type { ComplianceFinding } from './compliance-finding.ts';
import { resolvePolicy, type CompliancePolicy } from './compliance-policy.ts';
import { endOfLifeFindings } from './end-of-life.ts';
import { licenseCompliance, type LicenseSummary } from './license-findings.ts';
import { prohibitedSoftwareFindings, type ImageExecutable } from './prohibited-software.ts';

export interface ComplianceInput {
  readonly packages: readonly InventoryPackage[];
  readonly os?: DetectedOs | undefined;
  /** Executable regular files of the final filesystem; without them only packages are checked for prohibited software. */
  readonly executables?: readonly ImageExecutable[];
  readonly policy?: CompliancePolicy;
  /** The moment end of life is judged at (a parameter so results are reproducible). */
  readonly now: Date;
}

export interface ComplianceResult {
  /** Licence, then prohibited-software, then end-of-life findings, each in inventory order. */
  readonly findings: ComplianceFinding[];
  readonly licenses: LicenseSummary;
}

/** The software compliance checks of one image (risk type `compliance`). */
export function complianceChecks(input: ComplianceInput): ComplianceResult {
  const policy = resolvePolicy(input.policy);
  const licenses = licenseCompliance(input.packages, policy);
  return {
    findings: [
      ...licenses.findings,
      ...prohibitedSoftwareFindings(input.packages, input.executables ?? [], policy),
      ...endOfLifeFindings(input.os, input.packages, input.now, policy),
    ],
    licenses: licenses.summary,
  };
}
