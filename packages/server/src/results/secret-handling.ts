import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { isSecretConfigError, parseSecretConfig, type SecretFinding } from '@drydock/engine';
import { ServiceError } from '../service-error.ts';
import type { Database, SecretIgnoreTable } from '../store/schema.ts';

/**
 * Handling of sensitive-information findings (PRODUCT.md 4.1): a finding (rule id + path) can be
 * ignored in one image or in all of them, and the project keeps a list of path globs whose files
 * are not searched by the next scans and whose existing findings count as ignored at read time.
 * Ignores are never deleted: un-ignoring sets `removedAt`, so the history stays.
 */
export interface SecretIgnore {
  readonly id: string;
  readonly projectId: string;
  /** null = the finding is ignored in every image of the project. */
  readonly imageId: string | null;
  readonly ruleId: string;
  readonly path: string;
  readonly reason: string;
  readonly userName: string;
  readonly at: Date;
  /** When it was un-ignored; null while it applies. */
  readonly removedAt: Date | null;
}

export interface SecretIgnoreInput {
  readonly projectId: string;
  readonly imageId?: string | null;
  readonly ruleId: string;
  readonly path: string;
  readonly reason: string;
  readonly userName: string;
}

/** Why a secret finding does not count: an ignore entry, or a glob of the project's path allowlist. */
export type SecretIgnoredBy =
  | {
      readonly by: 'ignore';
      readonly ignoreId: string;
      readonly reason: string;
      readonly userName: string;
      readonly at: Date;
    }
  | { readonly by: 'path_allowlist'; readonly glob: string };

/** The project's path allowlist, compiled. */
export interface SecretPathAllowlist {
  readonly globs: readonly string[];
  /** The first glob that matches the image-relative path, or undefined. */
  match(path: string): string | undefined;
}

export const maxSecretPathGlobs = 1_000;
const maxGlobLength = 1_000;
const maxReasonLength = 4_000;

function invalid(
  field: string,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): ServiceError {
  return new ServiceError('invalid_request', message, { field, ...details });
}

/**
 * Validates and compiles path globs with the engine's own glob rules (the ones the secret scan
 * applies to `allowPaths`), so the read-time filter and the next scans agree on every path.
 */
export function compileSecretPathAllowlist(globs: readonly string[]): SecretPathAllowlist {
  if (globs.length > maxSecretPathGlobs)
    throw invalid('secretPathAllowlist', `at most ${maxSecretPathGlobs} path globs`);
  const cleaned = globs.map((glob) => glob.trim());
  cleaned.forEach((glob, index) => {
    if (glob === '') throw invalid('secretPathAllowlist', `glob ${index + 1} is empty`, { index });
    if (glob.length > maxGlobLength)
      throw invalid('secretPathAllowlist', `glob ${index + 1} is longer than ${maxGlobLength} characters`, {
        index,
      });
  });
  let sources: readonly string[];
  try {
    // JSON is YAML: the engine's configuration reader validates the globs and turns them into patterns.
    sources =
      parseSecretConfig(JSON.stringify({ allowPaths: cleaned }), 'secretPathAllowlist').allowPaths ?? [];
  } catch (error) {
    if (isSecretConfigError(error))
      throw invalid('secretPathAllowlist', 'invalid path glob', { issues: error.issues });
    throw error;
  }
  const patterns = sources.map((source) => new RegExp(source));
  return {
    globs: cleaned,
    match(path) {
      const index = patterns.findIndex((pattern) => pattern.test(path));
      return index < 0 ? undefined : cleaned[index];
    },
  };
}

/** What `secretIgnoredBy` needs: the active ignores and the compiled path allowlist. */
export interface SecretHandlingRules {
  readonly ignores: readonly SecretIgnore[];
  readonly allowlist: SecretPathAllowlist;
}

/**
 * Why `finding` of `imageId` is ignored, or undefined when it counts. An ignore entry must name
 * the same rule and path, and the image or all images; the path allowlist applies to findings in
 * files only (`config:` locations are not paths a glob could mean).
 */
export function secretIgnoredBy(
  rules: SecretHandlingRules,
  imageId: string,
  finding: Pick<SecretFinding, 'ruleId' | 'path' | 'location'>,
): SecretIgnoredBy | undefined {
  const ignore = rules.ignores.find(
    (entry) =>
      entry.removedAt === null &&
      entry.ruleId === finding.ruleId &&
      entry.path === finding.path &&
      (entry.imageId === null || entry.imageId === imageId),
  );
  if (ignore)
    return {
      by: 'ignore',
      ignoreId: ignore.id,
      reason: ignore.reason,
      userName: ignore.userName,
      at: ignore.at,
    };
  if (finding.location !== 'file') return undefined;
  const glob = rules.allowlist.match(finding.path);
  return glob === undefined ? undefined : { by: 'path_allowlist', glob };
}

function toIgnore(row: Selectable<SecretIgnoreTable>): SecretIgnore {
  return {
    id: row.id,
    projectId: row.projectId,
    imageId: row.imageId,
    ruleId: row.ruleId,
    path: row.path,
    reason: row.reason,
    userName: row.userName,
    at: row.at,
    removedAt: row.removedAt,
  };
}

/**
 * Ignores one finding (rule id + path) in one image, or in all images when `imageId` is null.
 * Fails with `conflict` when the same ignore is already active. Stored risk counts follow after
 * `recountImages` (current-results.ts).
 */
export async function ignoreSecret(
  db: Kysely<Database>,
  input: SecretIgnoreInput,
  now: Date,
): Promise<SecretIgnore> {
  const ruleId = input.ruleId.trim();
  const path = input.path;
  const reason = input.reason.trim();
  const userName = input.userName.trim();
  const imageId = input.imageId ?? null;
  if (ruleId === '') throw invalid('ruleId', 'a rule id is required');
  if (path === '') throw invalid('path', 'a path is required');
  if (reason === '') throw invalid('reason', 'a reason is required');
  if (reason.length > maxReasonLength)
    throw invalid('reason', `a reason has at most ${maxReasonLength} characters`);
  if (userName === '') throw invalid('userName', 'the user is required');
  return db.transaction().execute(async (trx) => {
    const project = await trx
      .selectFrom('project')
      .select('id')
      .where('id', '=', input.projectId)
      .executeTakeFirst();
    if (!project) throw new ServiceError('not_found', `project ${input.projectId} does not exist`);
    if (imageId !== null) {
      const image = await trx
        .selectFrom('repositoryImage')
        .select('id')
        .where('id', '=', imageId)
        .where('projectId', '=', input.projectId)
        .executeTakeFirst();
      if (!image)
        throw new ServiceError('not_found', `image ${imageId} does not exist`, {
          what: 'image',
          id: imageId,
        });
    }
    let existing = trx
      .selectFrom('secretIgnore')
      .select('id')
      .where('projectId', '=', input.projectId)
      .where('ruleId', '=', ruleId)
      .where('path', '=', path)
      .where('removedAt', 'is', null);
    existing =
      imageId === null ? existing.where('imageId', 'is', null) : existing.where('imageId', '=', imageId);
    const active = await existing.executeTakeFirst();
    if (active)
      throw new ServiceError('conflict', 'this secret finding is already ignored', { ignoreId: active.id });
    const row = {
      id: randomUUID(),
      projectId: input.projectId,
      imageId,
      ruleId,
      path,
      reason,
      userName,
      at: now,
      removedAt: null,
    };
    await trx.insertInto('secretIgnore').values(row).execute();
    return row;
  });
}

/** Ends an ignore (the entry stays, with `removedAt`). `conflict` when it had already ended. */
export async function unignoreSecret(
  db: Kysely<Database>,
  projectId: string,
  ignoreId: string,
  now: Date,
): Promise<SecretIgnore> {
  const updated = await db
    .updateTable('secretIgnore')
    .set({ removedAt: now })
    .where('id', '=', ignoreId)
    .where('projectId', '=', projectId)
    .where('removedAt', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (updated) return toIgnore(updated);
  const exists = await db
    .selectFrom('secretIgnore')
    .select('id')
    .where('id', '=', ignoreId)
    .where('projectId', '=', projectId)
    .executeTakeFirst();
  if (!exists)
    throw new ServiceError('not_found', `secret ignore ${ignoreId} does not exist`, {
      what: 'secret ignore',
      id: ignoreId,
    });
  throw new ServiceError('conflict', `secret ignore ${ignoreId} was already removed`);
}

/**
 * The project's secret ignores, newest first; with `includeRemoved`, the ended ones too (history);
 * with `imageId`, those that apply to that image (its own and the project-wide ones).
 */
export async function listSecretIgnores(
  db: Kysely<Database>,
  projectId: string,
  options: { readonly includeRemoved?: boolean; readonly imageId?: string } = {},
): Promise<SecretIgnore[]> {
  let query = db.selectFrom('secretIgnore').selectAll().where('projectId', '=', projectId);
  if (!options.includeRemoved) query = query.where('removedAt', 'is', null);
  if (options.imageId !== undefined) {
    const imageId = options.imageId;
    query = query.where((eb) => eb.or([eb('imageId', '=', imageId), eb('imageId', 'is', null)]));
  }
  const rows = await query.orderBy('at', 'desc').orderBy('id').execute();
  return rows.map(toIgnore);
}

/** The active ignores and the path allowlist of the project, for filtering at read time. */
export async function loadSecretHandling(
  db: Kysely<Database>,
  projectId: string,
): Promise<SecretHandlingRules> {
  const [ignores, settings] = await Promise.all([
    listSecretIgnores(db, projectId),
    db
      .selectFrom('projectScanSettings')
      .select('secretPathAllowlist')
      .where('projectId', '=', projectId)
      .executeTakeFirst(),
  ]);
  return { ignores, allowlist: compileSecretPathAllowlist(settings?.secretPathAllowlist ?? []) };
}
