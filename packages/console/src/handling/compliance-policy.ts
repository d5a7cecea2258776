import {
  complianceSeverities,
  licenseCategories,
  packageEcosystems,
  prohibitedCategories,
  type CompliancePolicyDocument,
  type ComplianceSeverity,
  type LicenseCategory,
  type PackageEcosystem,
  type ProhibitedCategory,
  type ProhibitedSoftware,
} from '../api/handling-types.ts';
import { isRecord } from '../api/is-record.ts';

/**
 * The compliance policy in the console: reading the API's document (opaque in its schema, so it
 * is narrowed here field by field), the form's values, and the document the form sends back. The
 * form always sends every field, so a saved policy states all its choices.
 */

/**
 * What an absent field means: the engine's built-in policy (engine check/compliance/
 * compliance-policy.ts `defaultPolicy`; the console test compares the two).
 */
export const builtInCompliancePolicy = {
  forbiddenCategories: ['forbidden'],
  restrictedCategories: ['restricted'],
  restrictedScope: 'application',
  allowIds: [],
  denyIds: [],
  reportUnknown: true,
  reportUndeclared: false,
  prohibitedSoftware: [],
  allowSoftware: [],
  endOfLifeNoticeDays: 90,
} as const satisfies Required<CompliancePolicyDocument>;

export interface PackageNamesForm {
  readonly ecosystem: PackageEcosystem;
  readonly names: readonly string[];
}

export interface ProhibitedSoftwareForm {
  readonly id: string;
  readonly category: ProhibitedCategory;
  readonly severity: ComplianceSeverity;
  readonly reason: string;
  readonly binaries: readonly string[];
  readonly sha256: readonly string[];
  readonly packages: readonly PackageNamesForm[];
}

export interface CompliancePolicyFormValues {
  readonly forbiddenCategories: readonly LicenseCategory[];
  readonly restrictedCategories: readonly LicenseCategory[];
  readonly restrictedScope: 'all' | 'application';
  readonly allowIds: readonly string[];
  readonly denyIds: readonly string[];
  readonly reportUnknown: boolean;
  readonly reportUndeclared: boolean;
  readonly allowSoftware: readonly string[];
  readonly endOfLifeNoticeDays: number | null;
  readonly prohibitedSoftware: readonly ProhibitedSoftwareForm[];
}

function strings(value: unknown): readonly string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

function oneOf<T extends string>(allowed: readonly T[], value: unknown): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

function listOf<T extends string>(allowed: readonly T[], value: unknown): readonly T[] | undefined {
  const items = strings(value);
  return items?.flatMap((item) => {
    const known = oneOf(allowed, item);
    return known === undefined ? [] : [known];
  });
}

function prohibitedOf(value: unknown): ProhibitedSoftware | undefined {
  if (!isRecord(value)) return undefined;
  const category = oneOf(prohibitedCategories, value['category']);
  const severity = oneOf(complianceSeverities, value['severity']);
  if (typeof value['id'] !== 'string' || !category || !severity) return undefined;
  const packages: Partial<Record<PackageEcosystem, readonly string[]>> = {};
  const listed = isRecord(value['packages']) ? value['packages'] : {};
  for (const ecosystem of packageEcosystems) {
    const names = strings(listed[ecosystem]);
    if (names) packages[ecosystem] = names;
  }
  const sha256 = strings(value['sha256']);
  return {
    id: value['id'],
    category,
    severity,
    reason: typeof value['reason'] === 'string' ? value['reason'] : '',
    packages,
    binaries: strings(value['binaries']) ?? [],
    ...(sha256 ? { sha256 } : {}),
  };
}

/** The stored policy document, or null for the built-in policy (or anything not a document). */
export function readCompliancePolicy(value: unknown): CompliancePolicyDocument | null {
  if (!isRecord(value)) return null;
  const forbiddenCategories = listOf(licenseCategories, value['forbiddenCategories']);
  const restrictedCategories = listOf(licenseCategories, value['restrictedCategories']);
  const restrictedScope = oneOf(['all', 'application'] as const, value['restrictedScope']);
  const allowIds = strings(value['allowIds']);
  const denyIds = strings(value['denyIds']);
  const allowSoftware = strings(value['allowSoftware']);
  const prohibited = Array.isArray(value['prohibitedSoftware'])
    ? value['prohibitedSoftware'].flatMap((entry) => {
        const read = prohibitedOf(entry);
        return read ? [read] : [];
      })
    : undefined;
  const notice = value['endOfLifeNoticeDays'];
  return {
    ...(forbiddenCategories ? { forbiddenCategories } : {}),
    ...(restrictedCategories ? { restrictedCategories } : {}),
    ...(restrictedScope ? { restrictedScope } : {}),
    ...(allowIds ? { allowIds } : {}),
    ...(denyIds ? { denyIds } : {}),
    ...(typeof value['reportUnknown'] === 'boolean' ? { reportUnknown: value['reportUnknown'] } : {}),
    ...(typeof value['reportUndeclared'] === 'boolean'
      ? { reportUndeclared: value['reportUndeclared'] }
      : {}),
    ...(prohibited ? { prohibitedSoftware: prohibited } : {}),
    ...(allowSoftware ? { allowSoftware } : {}),
    ...(typeof notice === 'number' ? { endOfLifeNoticeDays: notice } : {}),
  };
}

/** The form's starting values: each field of the document, or its built-in default. */
export function complianceFormValuesOf(policy: CompliancePolicyDocument | null): CompliancePolicyFormValues {
  const defaults = builtInCompliancePolicy;
  return {
    forbiddenCategories: policy?.forbiddenCategories ?? defaults.forbiddenCategories,
    restrictedCategories: policy?.restrictedCategories ?? defaults.restrictedCategories,
    restrictedScope: policy?.restrictedScope ?? defaults.restrictedScope,
    allowIds: policy?.allowIds ?? defaults.allowIds,
    denyIds: policy?.denyIds ?? defaults.denyIds,
    reportUnknown: policy?.reportUnknown ?? defaults.reportUnknown,
    reportUndeclared: policy?.reportUndeclared ?? defaults.reportUndeclared,
    allowSoftware: policy?.allowSoftware ?? defaults.allowSoftware,
    endOfLifeNoticeDays: policy?.endOfLifeNoticeDays ?? defaults.endOfLifeNoticeDays,
    prohibitedSoftware: (policy?.prohibitedSoftware ?? []).map((entry) => ({
      id: entry.id,
      category: entry.category,
      severity: entry.severity,
      reason: entry.reason,
      binaries: entry.binaries,
      sha256: entry.sha256 ?? [],
      packages: packageEcosystems.flatMap((ecosystem) => {
        const names = entry.packages[ecosystem];
        return names ? [{ ecosystem, names }] : [];
      }),
    })),
  };
}

function trimmed(values: readonly string[] | undefined): readonly string[] {
  return (values ?? []).map((value) => value.trim()).filter((value) => value !== '');
}

/** The document the form's values stand for (every field stated). */
export function compliancePolicyOf(values: CompliancePolicyFormValues): CompliancePolicyDocument {
  return {
    forbiddenCategories: values.forbiddenCategories ?? [],
    restrictedCategories: values.restrictedCategories ?? [],
    restrictedScope: values.restrictedScope,
    allowIds: trimmed(values.allowIds),
    denyIds: trimmed(values.denyIds),
    reportUnknown: values.reportUnknown,
    reportUndeclared: values.reportUndeclared,
    allowSoftware: trimmed(values.allowSoftware),
    endOfLifeNoticeDays: values.endOfLifeNoticeDays ?? builtInCompliancePolicy.endOfLifeNoticeDays,
    prohibitedSoftware: (values.prohibitedSoftware ?? []).map((entry) => {
      const packages: Partial<Record<PackageEcosystem, readonly string[]>> = {};
      for (const row of entry.packages ?? [])
        packages[row.ecosystem] = [...(packages[row.ecosystem] ?? []), ...trimmed(row.names)];
      const sha256 = trimmed(entry.sha256);
      return {
        id: (entry.id ?? '').trim(),
        category: entry.category,
        severity: entry.severity,
        reason: (entry.reason ?? '').trim(),
        packages,
        binaries: trimmed(entry.binaries),
        ...(sha256.length > 0 ? { sha256 } : {}),
      };
    }),
  };
}
