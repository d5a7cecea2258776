import type { ExecutableFact } from '../analyzer/fact.ts';
import { complianceChecks, type ComplianceResult } from '../check/compliance/compliance-checks.ts';
import type { ImageExecutable } from '../check/compliance/prohibited-software.ts';
import type { CompliancePolicy } from '../check/compliance/compliance-policy.ts';
import { resolvePolicy } from '../check/compliance/compliance-policy.ts';
import { builtinProhibitedSoftware } from '../check/compliance/prohibited-software-list.ts';
import type { DetectedOs } from '../inventory/coalesce-os.ts';
import type { InventoryPackage } from '../inventory/coalesce-packages.ts';
import type { LayeredFile } from '../layer/image-filesystem.ts';
import type { SurvivingFiles } from '../inventory/surviving-files.ts';

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

/** Whether the policy lists programs by digest, so the scan must hash every executable. */
export function policyNamesDigests(policy: CompliancePolicy | undefined): boolean {
  return resolvePolicy(policy).prohibitedSoftware.some((entry) => (entry.sha256?.length ?? 0) > 0);
}

/**
 * Licences, prohibited software (packages; programs by name, and by digest when the policy
 * lists digests) and end of life.
 */
export function complianceReport(input: {
  readonly packages: readonly InventoryPackage[];
  readonly os: DetectedOs | undefined;
  readonly programs: readonly LayeredFile[];
  /** Digests of the final filesystem's executables (only when the policy lists digests). */
  readonly digests: readonly ExecutableFact[];
  readonly survivingLayer: SurvivingFiles['layerOf'];
  readonly options: ComplianceScanOptions;
}): ComplianceResult {
  const byPath = new Map<string, ImageExecutable>();
  for (const file of input.programs) byPath.set(file.path, { path: file.path, layerIndex: file.layer });
  for (const fact of input.digests) {
    if (input.survivingLayer(fact.path) !== fact.layer.index) continue;
    byPath.set(fact.path, { path: fact.path, layerIndex: fact.layer.index, sha256: fact.sha256 });
  }
  return complianceChecks({
    packages: input.packages,
    os: input.os,
    executables: [...byPath.values()],
    ...(input.options.policy ? { policy: input.options.policy } : {}),
    now: input.options.now ?? new Date(),
  });
}
