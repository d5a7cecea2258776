import { complianceChecks, type ComplianceResult } from '../check/compliance/compliance-checks.ts';
import type { CompliancePolicy } from '../check/compliance/compliance-policy.ts';
import { resolvePolicy } from '../check/compliance/compliance-policy.ts';
import { builtinProhibitedSoftware } from '../check/compliance/prohibited-software-list.ts';
import type { DetectedOs } from '../inventory/coalesce-os.ts';
import type { InventoryPackage } from '../inventory/coalesce-packages.ts';
import type { ImageFilesystem } from '../layer/image-filesystem.ts';

export interface ComplianceScanOptions {
  readonly policy?: CompliancePolicy;
  /** The moment end of life is judged at; default now. */
  readonly now?: Date;
}

/** The base names of the programs the policy prohibits, to list where they lie in the image. */
export function prohibitedProgramNames(policy: CompliancePolicy | undefined): Set<string> {
  const resolved = resolvePolicy(policy);
  const entries = [
    ...builtinProhibitedSoftware.filter((entry) => !resolved.allowSoftware.includes(entry.id)),
    ...resolved.prohibitedSoftware,
  ];
  return new Set(entries.flatMap((entry) => entry.binaries));
}

/** Licences, prohibited software (packages and unowned programs by name) and end of life. */
export function complianceReport(input: {
  readonly packages: readonly InventoryPackage[];
  readonly os: DetectedOs | undefined;
  readonly programs: ReturnType<ImageFilesystem['totals']>['named'];
  readonly options: ComplianceScanOptions;
}): ComplianceResult {
  return complianceChecks({
    packages: input.packages,
    os: input.os,
    executables: input.programs.map((file) => ({ path: file.path, layerIndex: file.layer })),
    ...(input.options.policy ? { policy: input.options.policy } : {}),
    now: input.options.now ?? new Date(),
  });
}
