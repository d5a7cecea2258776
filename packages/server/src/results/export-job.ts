import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { ServiceError, isServiceError } from '../service-error.ts';
import { toJson } from '../store/json.ts';
import type { Database, ExportJobTable, ExportStatus } from '../store/schema.ts';
import { imageResults, riskView } from './current-results.ts';
import type { RiskViewKind } from './finding-keys.ts';
import {
  exportFormats,
  exportKinds,
  imageToCsv,
  imageToJson,
  riskRowsToCsv,
  riskRowsToJson,
  type ExportFormat,
  type ExportKind,
  type ExportOutput,
} from './export-rows.ts';
import { handlingStates } from './vulnerability-handling.ts';

/**
 * Exports as asynchronous jobs (PRODUCT.md 4.1): a large selection is written by a worker while
 * the user waits on the job, not on the HTTP request. A job goes `queued` → `running` →
 * `finished` (content and row count) or `failed` (error message); its content stays in the row
 * for download.
 */

const exportFilterSchema = z.strictObject({
  severities: z.array(z.enum(['critical', 'high', 'medium', 'low', 'unknown'])).optional(),
  handling: z.array(z.enum(handlingStates)).optional(),
  imageIds: z.array(z.string().min(1)).max(10_000).optional(),
  /** The image of an `image` export. */
  imageId: z.string().min(1).optional(),
});

/** Which findings to export; absent fields do not filter. */
export type ExportFilter = z.infer<typeof exportFilterSchema>;

export interface ExportRequest {
  readonly projectId: string;
  readonly kind: ExportKind;
  readonly format: ExportFormat;
  readonly filter?: ExportFilter;
}

export interface ExportJob {
  readonly id: string;
  readonly projectId: string;
  readonly kind: ExportKind;
  readonly format: ExportFormat;
  readonly filter: ExportFilter;
  readonly status: ExportStatus;
  /** Findings written (reports, for an image's JSON); 0 until finished. */
  readonly rows: number;
  /** The exported file; null until finished. */
  readonly content: string | null;
  /** Why it failed; null otherwise. */
  readonly error: string | null;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
}

function isExportKind(value: string): value is ExportKind {
  return (exportKinds as readonly string[]).includes(value);
}

function isExportFormat(value: string): value is ExportFormat {
  return (exportFormats as readonly string[]).includes(value);
}

function parseFilter(kind: ExportKind, value: unknown): ExportFilter {
  const parsed = exportFilterSchema.safeParse(value ?? {});
  if (!parsed.success)
    throw new ServiceError('invalid_request', 'invalid export filter', {
      field: 'filter',
      issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'filter'}: ${issue.message}`),
    });
  if (kind === 'image' && parsed.data.imageId === undefined)
    throw new ServiceError('invalid_request', 'an image export names its image', { field: 'filter.imageId' });
  if (kind !== 'image' && parsed.data.imageId !== undefined)
    throw new ServiceError('invalid_request', 'imageId is for image exports; use imageIds', {
      field: 'filter.imageId',
    });
  return parsed.data;
}

/** A job as lists show it: everything but the exported file. */
export type ExportJobSummary = Omit<ExportJob, 'content'>;

function toSummary(row: Omit<Selectable<ExportJobTable>, 'content' | 'claimedAt'>): ExportJobSummary {
  if (!isExportKind(row.kind)) throw new Error(`export job ${row.id} has an unknown kind ${row.kind}`);
  if (!isExportFormat(row.format))
    throw new Error(`export job ${row.id} has an unknown format ${row.format}`);
  return {
    id: row.id,
    projectId: row.projectId,
    kind: row.kind,
    format: row.format,
    filter: parseFilter(row.kind, row.filter),
    status: row.status,
    rows: row.rows,
    error: row.error,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

function toJob(row: Selectable<ExportJobTable>): ExportJob {
  return { ...toSummary(row), content: row.content };
}

/** Validates the request and queues the job; returns its id. */
export async function createExportJob(
  db: Kysely<Database>,
  request: ExportRequest,
  now: Date,
): Promise<string> {
  if (!isExportKind(request.kind))
    throw new ServiceError('invalid_request', `unknown export kind ${request.kind}`, { field: 'kind' });
  if (!isExportFormat(request.format))
    throw new ServiceError('invalid_request', `unknown export format ${request.format}`, { field: 'format' });
  const filter = parseFilter(request.kind, request.filter);
  const project = await db
    .selectFrom('project')
    .select('id')
    .where('id', '=', request.projectId)
    .executeTakeFirst();
  if (!project) throw new ServiceError('not_found', `project ${request.projectId} does not exist`);
  const id = randomUUID();
  await db
    .insertInto('exportJob')
    .values({
      id,
      projectId: request.projectId,
      kind: request.kind,
      format: request.format,
      filter: toJson<unknown>(filter),
      status: 'queued',
      rows: 0,
      content: null,
      error: null,
      createdAt: now,
      finishedAt: null,
    })
    .execute();
  return id;
}

/** A job of the project; `not_found` for an unknown id or another project's job. */
export async function getExportJob(db: Kysely<Database>, projectId: string, id: string): Promise<ExportJob> {
  const row = await db
    .selectFrom('exportJob')
    .selectAll()
    .where('id', '=', id)
    .where('projectId', '=', projectId)
    .executeTakeFirst();
  if (!row)
    throw new ServiceError('not_found', `export job ${id} does not exist`, { what: 'export job', id });
  return toJob(row);
}

export interface ExportJobListQuery {
  /** Absent or empty: every status. */
  readonly status?: readonly ExportStatus[];
  readonly offset?: number;
  /** At most 1000 (default 50). */
  readonly limit?: number;
}

export interface ExportJobPage {
  readonly total: number;
  readonly jobs: readonly ExportJobSummary[];
}

/**
 * The project's export jobs, newest first (ties by id, so pages never repeat or skip a job),
 * without their files: a finished job's content is only read by its download.
 */
export async function listExportJobs(
  db: Kysely<Database>,
  projectId: string,
  query: ExportJobListQuery = {},
): Promise<ExportJobPage> {
  let base = db.selectFrom('exportJob').where('projectId', '=', projectId);
  if (query.status?.length) base = base.where('status', 'in', query.status);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select([
      'id',
      'projectId',
      'kind',
      'format',
      'filter',
      'status',
      'rows',
      'error',
      'createdAt',
      'finishedAt',
    ])
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .offset(query.offset ?? 0)
    .limit(Math.min(query.limit ?? 50, 1000))
    .execute();
  return { total: Number(total.n), jobs: rows.map(toSummary) };
}

async function riskExport<K extends RiskViewKind>(
  db: Kysely<Database>,
  job: ExportJob,
  kind: K,
  now: Date,
): Promise<ExportOutput> {
  const rows = await riskView(db, {
    projectId: job.projectId,
    kind,
    now,
    filter: {
      ...(job.filter.severities === undefined ? {} : { severities: job.filter.severities }),
      ...(job.filter.handling === undefined ? {} : { handling: job.filter.handling }),
      ...(job.filter.imageIds === undefined ? {} : { imageIds: job.filter.imageIds }),
    },
  });
  return job.format === 'csv' ? riskRowsToCsv(kind, rows) : riskRowsToJson(kind, rows);
}

async function produce(db: Kysely<Database>, job: ExportJob, now: Date): Promise<ExportOutput> {
  if (job.kind === 'image') {
    const imageId = job.filter.imageId;
    if (imageId === undefined) throw new ServiceError('invalid_request', 'an image export names its image');
    const results = await imageResults(db, job.projectId, imageId, now);
    return job.format === 'csv' ? imageToCsv(results) : imageToJson(results);
  }
  return riskExport(db, job, job.kind, now);
}

/**
 * Runs a queued job: claims it (`queued` → `running`, so two workers cannot both run it), writes
 * the export, and stores the outcome. A failure of the export is stored on the job, not thrown;
 * `conflict` is thrown for a job that is not queued, `not_found` for an unknown one.
 */
export async function runExportJob(db: Kysely<Database>, id: string, clock: Clock): Promise<ExportJob> {
  const claimed = await db
    .updateTable('exportJob')
    .set({ status: 'running', claimedAt: clock.now() })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst();
  if (!claimed) {
    const existing = await db
      .selectFrom('exportJob')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!existing)
      throw new ServiceError('not_found', `export job ${id} does not exist`, { what: 'export job', id });
    throw new ServiceError('conflict', `export job ${id} is ${existing.status}, not queued`);
  }
  let outcome:
    { readonly ok: true; readonly output: ExportOutput } | { readonly ok: false; readonly error: string };
  try {
    outcome = { ok: true, output: await produce(db, toJob(claimed), clock.now()) };
  } catch (error) {
    // A service error's message is written for users; anything else is marked as the export's own failure.
    outcome = {
      ok: false,
      error: isServiceError(error)
        ? error.message
        : `export failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const finished = await db
    .updateTable('exportJob')
    .set(
      outcome.ok
        ? {
            status: 'finished',
            rows: outcome.output.rows,
            content: outcome.output.content,
            finishedAt: clock.now(),
          }
        : { status: 'failed', error: outcome.error, finishedAt: clock.now() },
    )
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toJob(finished);
}

/**
 * How long a `running` export may go without finishing before another round may take it over: its
 * process is then taken for dead. Exports take seconds; a live one outrunning this is only run twice.
 */
export const exportLeaseMs = 30 * 60_000;

/**
 * The jobs that need a run: `queued` ones no process took (it died between queueing and running)
 * and `running` ones whose claim is older than `leaseMs` (or every `running` one when `leaseMs` is
 * 0, for a process that knows it is alone), which go back to `queued` here.
 */
export async function orphanedExportJobs(
  db: Kysely<Database>,
  now: Date,
  leaseMs: number = exportLeaseMs,
): Promise<string[]> {
  await db
    .updateTable('exportJob')
    .set({ status: 'queued', claimedAt: null })
    .where('status', '=', 'running')
    .where((eb) =>
      eb.or([eb('claimedAt', 'is', null), eb('claimedAt', '<=', new Date(now.getTime() - leaseMs))]),
    )
    .execute();
  const queued = await db
    .selectFrom('exportJob')
    .select('id')
    .where('status', '=', 'queued')
    .orderBy('createdAt')
    .execute();
  return queued.map((row) => row.id);
}
