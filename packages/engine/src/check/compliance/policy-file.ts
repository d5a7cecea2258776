import { parse } from 'yaml';
import { yamlNestingProblem } from '../../util/yaml-nesting.ts';
import { z } from 'zod';
import type { CompliancePolicy } from './compliance-policy.ts';
import { licenseCategories } from './license-category.ts';

/** A compliance policy file that cannot be used; `issues` name the field of each problem. */
export class CompliancePolicyError extends Error {
  readonly code = 'invalid_compliance_policy';
  readonly source: string;
  readonly issues: readonly string[];

  constructor(source: string, issues: readonly string[]) {
    super(`${source}: invalid compliance policy: ${issues.join('; ')}`);
    this.name = 'CompliancePolicyError';
    this.source = source;
    this.issues = issues;
  }
}

export function isCompliancePolicyError(error: unknown): error is CompliancePolicyError {
  return error instanceof CompliancePolicyError;
}

const category = z.enum(licenseCategories);
const severity = z.enum(['critical', 'high', 'medium', 'low']);
const names = z.array(z.string().min(1));
const ecosystem = z.enum([
  'deb',
  'apk',
  'rpm',
  'npm',
  'pypi',
  'golang',
  'maven',
  'gem',
  'cargo',
  'composer',
  'nuget',
]);

const prohibitedEntry = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"'),
  category: z.enum([
    'network-scanner',
    'attack-framework',
    'password-cracker',
    'traffic-interception',
    'crypto-miner',
    'remote-access',
    'network-relay',
  ]),
  severity,
  reason: z.string().min(1),
  packages: z.partialRecord(ecosystem, names).default({}),
  binaries: names.default([]),
  sha256: z.array(z.string().regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 in hex')).optional(),
});

const policySchema = z.strictObject({
  forbiddenCategories: z.array(category).optional(),
  restrictedCategories: z.array(category).optional(),
  restrictedScope: z.enum(['all', 'application']).optional(),
  allowIds: names.optional(),
  denyIds: names.optional(),
  reportUnknown: z.boolean().optional(),
  reportUndeclared: z.boolean().optional(),
  prohibitedSoftware: z.array(prohibitedEntry).optional(),
  allowSoftware: names.optional(),
  endOfLifeNoticeDays: z.number().int().min(0).optional(),
});

/**
 * The project's compliance policy from YAML (or JSON, which is YAML): the fields of
 * `CompliancePolicy`, every one optional. Unknown fields, unknown categories and malformed entries
 * are errors naming the field, so a typo never silently loosens the policy.
 */
export function parseCompliancePolicy(text: string, source: string): CompliancePolicy {
  const tooDeep = yamlNestingProblem(text);
  if (tooDeep !== undefined) throw new CompliancePolicyError(source, [tooDeep]);
  let document: unknown;
  try {
    document = parse(text) ?? {};
  } catch (error) {
    throw new CompliancePolicyError(source, [
      error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error),
    ]);
  }
  const result = policySchema.safeParse(document);
  if (!result.success)
    throw new CompliancePolicyError(
      source,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`),
    );
  return result.data;
}
