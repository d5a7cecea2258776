import type { Kysely } from 'kysely';
import { isCompliancePolicyError, parseCompliancePolicy, type CompliancePolicy } from '@drydock/engine';
import { ServiceError } from '../service-error.ts';
import { toJson } from '../store/json.ts';
import type { Database } from '../store/schema.ts';
import { compileSecretPathAllowlist } from './secret-handling.ts';

/**
 * The project's own inputs to its next scans (PRODUCT.md 4.1): words the weak-password check
 * tries besides its built-in dictionary, path globs the secret scan leaves alone, and the
 * compliance policy. A project without a row has the defaults: no words, no globs, the built-in
 * policy. Results already stored are not changed by these settings, except that secret findings
 * on allowlisted paths count as ignored when read (secret-handling.ts).
 */
export interface ProjectScanSettings {
  readonly projectId: string;
  readonly weakPasswords: readonly string[];
  readonly secretPathAllowlist: readonly string[];
  /** The validated policy document; undefined = the engine's built-in defaults. */
  readonly compliancePolicy: CompliancePolicy | undefined;
  /**
   * Whether a registry push notification starts a scan of the pushed image (off by default: a push
   * always refreshes the inventory, but a scan is billed, so the project opts in).
   */
  readonly scanOnPush: boolean;
  /** null while the project has never changed its settings. */
  readonly updatedAt: Date | null;
}

/** Fields to change; absent ones keep their value. `compliancePolicy: null` returns to the defaults. */
export interface ProjectScanSettingsChange {
  readonly weakPasswords?: readonly string[];
  readonly secretPathAllowlist?: readonly string[];
  /** The policy as YAML or JSON text (the format of the engine's policy file). */
  readonly compliancePolicy?: string | null;
  readonly scanOnPush?: boolean;
}

export const maxWeakPasswords = 100_000;
/** Longer "passwords" are not typed by anyone; crypt(3) schemes also cut or hash them down. */
const maxWeakPasswordLength = 256;
const maxPolicyBytes = 1024 * 1024;

function invalid(
  field: string,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): ServiceError {
  return new ServiceError('invalid_request', message, { field, ...details });
}

/** Checks the list and drops repeated words (the check would only try them twice). */
export function validateWeakPasswords(words: readonly string[]): readonly string[] {
  if (words.length > maxWeakPasswords) throw invalid('weakPasswords', `at most ${maxWeakPasswords} words`);
  words.forEach((word, index) => {
    if (typeof word !== 'string' || word === '')
      throw invalid('weakPasswords', `word ${index + 1} is empty`, { index });
    if (word.length > maxWeakPasswordLength)
      throw invalid('weakPasswords', `word ${index + 1} is longer than ${maxWeakPasswordLength} characters`, {
        index,
      });
    if (/[\r\n]/.test(word))
      throw invalid('weakPasswords', `word ${index + 1} holds a line break`, { index });
  });
  return [...new Set(words)];
}

/** Parses a policy document with the engine's reader; issues name the field, never a value. */
export function validateCompliancePolicy(text: string): CompliancePolicy {
  if (Buffer.byteLength(text) > maxPolicyBytes)
    throw invalid('compliancePolicy', `a policy has at most ${maxPolicyBytes} bytes`);
  try {
    return parseCompliancePolicy(text, 'compliancePolicy');
  } catch (error) {
    if (isCompliancePolicyError(error))
      throw invalid('compliancePolicy', 'invalid compliance policy', { issues: error.issues });
    throw error;
  }
}

/** Reads a stored policy back through the same validation, so its type is earned, not asserted. */
function storedPolicy(value: unknown): CompliancePolicy | undefined {
  if (value === null || value === undefined) return undefined;
  return parseCompliancePolicy(JSON.stringify(value), 'stored compliance policy');
}

export async function getProjectScanSettings(
  db: Kysely<Database>,
  projectId: string,
): Promise<ProjectScanSettings> {
  const row = await db
    .selectFrom('projectScanSettings')
    .selectAll()
    .where('projectId', '=', projectId)
    .executeTakeFirst();
  if (!row) {
    const project = await db
      .selectFrom('project')
      .select('id')
      .where('id', '=', projectId)
      .executeTakeFirst();
    if (!project) throw new ServiceError('not_found', `project ${projectId} does not exist`);
    return {
      projectId,
      weakPasswords: [],
      secretPathAllowlist: [],
      compliancePolicy: undefined,
      scanOnPush: false,
      updatedAt: null,
    };
  }
  return {
    projectId,
    weakPasswords: row.weakPasswords,
    secretPathAllowlist: row.secretPathAllowlist,
    compliancePolicy: storedPolicy(row.compliancePolicy),
    scanOnPush: row.scanOnPush,
    updatedAt: row.updatedAt,
  };
}

/** Validates every given field before writing any, then stores them together. */
export async function updateProjectScanSettings(
  db: Kysely<Database>,
  projectId: string,
  change: ProjectScanSettingsChange,
  now: Date,
): Promise<ProjectScanSettings> {
  const weakPasswords =
    change.weakPasswords === undefined ? undefined : validateWeakPasswords(change.weakPasswords);
  const secretPathAllowlist =
    change.secretPathAllowlist === undefined
      ? undefined
      : compileSecretPathAllowlist(change.secretPathAllowlist).globs;
  const compliancePolicy =
    change.compliancePolicy === undefined
      ? undefined
      : change.compliancePolicy === null
        ? null
        : validateCompliancePolicy(change.compliancePolicy);
  await db.transaction().execute(async (trx) => {
    const current = await getProjectScanSettings(trx, projectId);
    const policy = compliancePolicy === undefined ? (current.compliancePolicy ?? null) : compliancePolicy;
    const next = {
      weakPasswords: toJson(weakPasswords ?? current.weakPasswords),
      secretPathAllowlist: toJson(secretPathAllowlist ?? current.secretPathAllowlist),
      compliancePolicy: policy === null ? null : toJson<unknown>(policy),
      scanOnPush: change.scanOnPush ?? current.scanOnPush,
      updatedAt: now,
    };
    await trx
      .insertInto('projectScanSettings')
      .values({ projectId, ...next })
      .onConflict((conflict) => conflict.column('projectId').doUpdateSet(next))
      .execute();
  });
  return getProjectScanSettings(db, projectId);
}
