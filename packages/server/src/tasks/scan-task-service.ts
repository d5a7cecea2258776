import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { Meter } from '../metering/meter.ts';
import { ServiceError, notFound, parseRequest } from '../service-error.ts';
import { toJson } from '../store/json.ts';
import {
  riskTypes,
  scanTaskTypes,
  type Database,
  type ImageScanStatus,
  type RiskType,
  type ScanTaskImageTable,
  type ScanTaskTable,
  type ScanTaskStatus,
  type ScanTaskType,
  type ScanWindow,
  type StopReason,
} from '../store/schema.ts';
import type { JobQueue } from '../queue/job-queue.ts';
import { platformsOf, resolveScope, scanScopeSchema, type ScanScope } from './scan-scope.ts';
import type { RunningScans } from '../worker/running-scans.ts';
import { anyOf } from '../store/any-of.ts';
import { enqueueTaskFinished } from '../notifications/webhook-events.ts';
import { containsPattern } from '../store/like-pattern.ts';

export const maxSpeedLimit = 1000;
/**
 * How long a task may run before the dispatcher ends it `timed_out` (default 7 days): long enough
 * for a large scan under a speed limit, short enough that a task stuck on a dead registry ends.
 */
export const defaultTaskDeadlineMs = 7 * 24 * 3_600_000;
/** How long an estimate may be used to start a task. */
export const estimateLifetimeMs = 15 * 60_000;

export const scanRequestSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  scope: scanScopeSchema,
  riskTypes: z.array(z.enum(riskTypes)).min(1).optional(),
  /** Images per hour per registry connection; 0 = unlimited. */
  speedLimit: z.number().int().min(0).max(maxSpeedLimit).optional(),
  estimateId: z.string().optional(),
  /** Start without an estimate: the caller accepts the fee as the estimate would state it. */
  acceptFee: z.boolean().optional(),
});
export type ScanRequest = z.input<typeof scanRequestSchema>;

export interface Estimate {
  readonly id: string;
  readonly images: number;
  readonly units: number;
  readonly freeUnits: number;
  readonly amountMicros: number;
  readonly currency: string;
  readonly expiresAt: Date;
}

export interface TaskCounts {
  readonly total: number;
  readonly queued: number;
  readonly running: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly terminated: number;
  readonly risky: number;
}

export interface ScanTask {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly type: ScanTaskType;
  readonly scope: ScanScope;
  readonly riskTypes: readonly RiskType[];
  readonly speedLimit: number;
  readonly creator: string;
  readonly status: ScanTaskStatus;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
  /** When the task ends `timed_out` if it has not ended by then; null = no deadline. */
  readonly deadlineAt: Date | null;
  readonly counts: TaskCounts;
  /** 0–100: the share of images in a final status. */
  readonly progress: number;
  /** Milliseconds until the rest is done at the pace so far; undefined before the first image ends. */
  readonly remainingMs: number | undefined;
}

export interface TaskImage {
  readonly imageId: string;
  readonly platform: string;
  readonly repository: string;
  readonly tag: string;
  readonly status: ScanTaskImageTable['status'];
  readonly failureCode: string | null;
  readonly failureMessage: string | null;
}

export interface TaskListFilter {
  readonly type?: ScanTaskType;
  readonly status?: readonly ScanTaskStatus[];
  readonly name?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly limit?: number;
}

/** What stopping the scans of one image did. */
export interface ImageStop {
  /** The image scans (one per task and platform) that ended `terminated`. */
  readonly stopped: number;
  /** The tasks they belonged to. */
  readonly taskIds: readonly string[];
}

export const finalTaskImageStatuses = ['succeeded', 'failed', 'terminated'] as const;
/** The task image statuses a stop ends: waiting, sent to a worker, or being scanned. */
const openTaskImageStatuses = ['queued', 'dispatched', 'scanning'] as const;
const insertBatch = 500;

function parseScanRequest(request: unknown) {
  return parseRequest(scanRequestSchema, request, 'scan request');
}

function sameScope(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Scan tasks: the fee estimate, the task with one row per image and platform, stop (of a task, or
 * of one image's scans), and the task manager's views. Jobs are not sent here: the dispatcher
 * sends them as the speed limit, registry pauses and windows allow.
 */
export class ScanTaskService {
  private readonly db: Kysely<Database>;
  private readonly meter: Meter;
  private readonly queue: JobQueue;
  private readonly running: RunningScans;
  private readonly clock: Clock;
  /** How long a task may run; 0 = no deadline. */
  private readonly deadlineMs: number;

  constructor(
    db: Kysely<Database>,
    meter: Meter,
    queue: JobQueue,
    running: RunningScans,
    clock: Clock,
    deadlineMs: number = defaultTaskDeadlineMs,
  ) {
    this.db = db;
    this.meter = meter;
    this.queue = queue;
    this.running = running;
    this.clock = clock;
    this.deadlineMs = deadlineMs;
  }

  /** The number of images in scope and what scanning them would cost; its id starts the task. */
  async estimate(projectId: string, request: unknown): Promise<Estimate> {
    const data = parseScanRequest(request);
    const images = await resolveScope(this.db, projectId, data.scope);
    const units = images.reduce((sum, image) => sum + platformsOf(image).length, 0);
    const now = this.clock.now();
    const price = await this.meter.estimate(this.db, projectId, units, now);
    const estimate = {
      id: randomUUID(),
      images: images.length,
      units,
      freeUnits: price.freeUnits,
      amountMicros: price.amountMicros,
      currency: price.currency,
      expiresAt: new Date(now.getTime() + estimateLifetimeMs),
    };
    await this.db
      .insertInto('estimate')
      .values({
        id: estimate.id,
        projectId,
        scope: toJson(data.scope),
        images: estimate.images,
        units,
        amountMicros: estimate.amountMicros,
        currency: estimate.currency,
        createdAt: now,
        expiresAt: estimate.expiresAt,
        usedByTaskId: null,
      })
      .execute();
    return estimate;
  }

  /** Starts a manual scan task; requires a fresh estimate of the same scope, or `acceptFee`. */
  async start(projectId: string, request: unknown, creator: string): Promise<ScanTask> {
    const data = parseScanRequest(request);
    if (!data.acceptFee) {
      if (!data.estimateId)
        throw new ServiceError(
          'estimate_required',
          'confirm the fee: pass the id of an estimate, or acceptFee',
        );
      const estimate = await this.db
        .selectFrom('estimate')
        .selectAll()
        .where('id', '=', data.estimateId)
        .where('projectId', '=', projectId)
        .executeTakeFirst();
      if (!estimate) throw notFound('estimate', data.estimateId);
      if (estimate.expiresAt <= this.clock.now() || estimate.usedByTaskId)
        throw new ServiceError('estimate_expired', 'the estimate expired or was used; estimate again');
      if (!sameScope(estimate.scope, data.scope))
        throw new ServiceError('estimate_mismatch', 'the estimate was made for another scope');
    }
    return this.create({
      projectId,
      type: 'manual',
      name: data.name ?? `Manual scan ${this.clock.now().toISOString().slice(0, 16).replace('T', ' ')}`,
      scope: data.scope,
      riskTypes: data.riskTypes ?? riskTypes,
      speedLimit: data.speedLimit ?? 0,
      creator,
      estimateId: data.estimateId ?? null,
      window: null,
      policyRunKey: null,
    });
  }

  /**
   * Creates a task and its image rows in one transaction. Scheduled tasks come here from the
   * scheduler with their window and run key (unique, so a run never starts twice).
   */
  async create(input: {
    readonly projectId: string;
    readonly type: ScanTaskType;
    readonly name: string;
    readonly scope: ScanScope;
    readonly riskTypes: readonly RiskType[];
    readonly speedLimit: number;
    readonly creator: string;
    readonly estimateId: string | null;
    readonly window: ScanWindow | null;
    readonly policyRunKey: string | null;
    /** Scheduled tasks: only images pushed at or after this instant. */
    readonly updatedAfter?: Date;
  }): Promise<ScanTask> {
    const images = await resolveScope(this.db, input.projectId, input.scope, input.updatedAfter);
    if (images.length === 0 && input.type === 'manual')
      throw new ServiceError('nothing_to_scan', 'no image is in the scope');
    const id = randomUUID();
    const now = this.clock.now();
    const rows: Insertable<ScanTaskImageTable>[] = images.flatMap((image) =>
      platformsOf(image).map((platform) => ({
        taskId: id,
        imageId: image.id,
        platform,
        connectionId: image.connectionId,
        status: 'queued' as const,
        failureCode: null,
        failureMessage: null,
        jobId: null,
        notBefore: null,
        attempts: 0,
        dispatchedAt: null,
        startedAt: null,
        finishedAt: null,
        resultId: null,
        risky: false,
      })),
    );
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('scanTask')
        .values({
          id,
          projectId: input.projectId,
          name: input.name,
          type: input.type,
          scope: toJson<unknown>(input.scope),
          riskTypes: toJson(input.riskTypes),
          speedLimit: input.speedLimit,
          creator: input.creator,
          status: rows.length === 0 ? 'finished' : 'running',
          policyRunKey: input.policyRunKey,
          window: input.window ? toJson(input.window) : null,
          estimateId: input.estimateId,
          createdAt: now,
          finishedAt: rows.length === 0 ? now : null,
          deadlineAt: this.deadlineMs > 0 ? new Date(now.getTime() + this.deadlineMs) : null,
        })
        .execute();
      for (let start = 0; start < rows.length; start += insertBatch) {
        await trx
          .insertInto('scanTaskImage')
          .values(rows.slice(start, start + insertBatch))
          .execute();
      }
      if (images.length > 0) {
        await trx
          .updateTable('repositoryImage')
          .set({ scanStatus: 'queued' })
          .where('id', '=', anyOf(images.map((image) => image.id)))
          .where('scanStatus', '!=', 'scanning')
          .execute();
      }
      if (input.estimateId) {
        await trx
          .updateTable('estimate')
          .set({ usedByTaskId: id })
          .where('id', '=', input.estimateId)
          .execute();
      }
    });
    return this.get(input.projectId, id);
  }

  /**
   * Stops a task: queued images become `terminated` at once, their jobs are cancelled, running
   * scans are aborted (the worker marks them `terminated`), and the task ends `stopped` when
   * nothing runs any more. Results already stored stay.
   */
  async stop(projectId: string, id: string): Promise<ScanTask> {
    const task = await this.get(projectId, id);
    if (task.status !== 'running' && task.status !== 'stopping') return task;
    await this.#end(task, 'user');
    return this.get(projectId, id);
  }

  /**
   * Stops every scan of one image in the project's live tasks, the other images of those tasks
   * going on: queued and dispatched scans end `terminated` at once (their jobs cancelled), running
   * ones are marked `terminated` and aborted, here through RunningScans and in other processes by
   * the worker's stop poll, which watches its own row. The image's status settles, and a task with
   * nothing left ends (`finished`: it was not stopped, one of its images was). Nothing is billed.
   * A scan that completes in the instant of the stop keeps its result.
   * Throws `not_found` for an image of another project, `conflict` when nothing of it is queued or
   * running.
   */
  async stopImage(projectId: string, imageId: string): Promise<ImageStop> {
    const image = await this.db
      .selectFrom('repositoryImage')
      .select('id')
      .where('projectId', '=', projectId)
      .where('id', '=', imageId)
      .executeTakeFirst();
    if (!image) throw notFound('image', imageId);
    const now = this.clock.now();
    const ended = await this.db.transaction().execute(async (trx) => {
      const open = await trx
        .selectFrom('scanTaskImage')
        .innerJoin('scanTask', 'scanTask.id', 'scanTaskImage.taskId')
        .select(['scanTaskImage.taskId', 'scanTaskImage.status', 'scanTaskImage.jobId', 'scanTask.type'])
        .where('scanTask.projectId', '=', projectId)
        // A stopping task still has running scans; ending them here is what its stop does anyway.
        .where('scanTask.status', 'in', ['running', 'stopping'])
        .where('scanTaskImage.imageId', '=', imageId)
        .where('scanTaskImage.status', 'in', openTaskImageStatuses)
        .forUpdate('scanTaskImage')
        .execute();
      if (open.length === 0) return open;
      await trx
        .updateTable('scanTaskImage')
        .set({ status: 'terminated', finishedAt: now, failureCode: null, failureMessage: null })
        .where('imageId', '=', imageId)
        .where('taskId', '=', anyOf(new Set(open.map((row) => row.taskId))))
        .where('status', 'in', openTaskImageStatuses)
        .execute();
      await this.#settleImageStatuses(trx, [imageId], ['queued', 'scanning']);
      return open;
    });
    if (ended.length === 0)
      throw new ServiceError('conflict', `no scan of image ${imageId} is queued or running`, { imageId });
    for (const type of scanTaskTypes) {
      // Running scans keep their jobs: the worker ends them once its scan is aborted.
      const jobIds = ended.flatMap((row) =>
        row.type === type && row.status !== 'scanning' && row.jobId ? [row.jobId] : [],
      );
      await this.queue.cancel(type, jobIds);
    }
    const taskIds = [...new Set(ended.map((row) => row.taskId))];
    for (const taskId of taskIds) this.running.abortImage(taskId, imageId);
    for (const taskId of taskIds) await this.finishIfDone(taskId);
    return { stopped: ended.length, taskIds };
  }

  /**
   * Ends every running task whose deadline has passed as a stop would, but `timed_out`. The
   * dispatcher's round calls it; returns the ids of the tasks it ended.
   */
  async timeOutOverdue(): Promise<string[]> {
    const overdue = await this.db
      .selectFrom('scanTask')
      .select(['id', 'type'])
      .where('status', '=', 'running')
      .where('deadlineAt', '<=', this.clock.now())
      .execute();
    for (const task of overdue) await this.#end(task, 'timed_out');
    return overdue.map((task) => task.id);
  }

  async #end(task: Pick<ScanTask, 'id' | 'type'>, reason: StopReason): Promise<void> {
    const { id } = task;
    const now = this.clock.now();
    const jobIds = await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('scanTask')
        .set({ status: 'stopping', stopReason: reason })
        .where('id', '=', id)
        // A task already stopping keeps the reason it was stopped for.
        .where('status', '=', 'running')
        .execute();
      const pending = await trx
        .updateTable('scanTaskImage')
        .set({ status: 'terminated', finishedAt: now, failureCode: null, failureMessage: null })
        .where('taskId', '=', id)
        .where('status', 'in', ['queued', 'dispatched'])
        .returning(['imageId', 'jobId'])
        .execute();
      await this.#settleImageStatuses(
        trx,
        pending.map((row) => row.imageId),
      );
      return pending.flatMap((row) => (row.jobId ? [row.jobId] : []));
    });
    await this.queue.cancel(task.type, jobIds);
    this.running.abortTask(id);
    await this.finishIfDone(id);
  }

  /**
   * Ends a task whose images are all final. A stopped task ends `stopped`, or `timed_out` when
   * its deadline stopped it; a task that ran to its end is `finished`, or `failed` (abnormal) when
   * it had images and every one of them failed, since it then produced no result at all.
   */
  async finishIfDone(id: string): Promise<void> {
    const groups = await this.db
      .selectFrom('scanTaskImage')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .where('taskId', '=', id)
      .groupBy('status')
      .execute();
    const count = (status: string) => Number(groups.find((group) => group.status === status)?.n ?? 0);
    const final: readonly string[] = finalTaskImageStatuses;
    if (groups.some((group) => !final.includes(group.status))) return;
    const allFailed = count('failed') > 0 && count('succeeded') === 0 && count('terminated') === 0;
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const ended = await trx
        .updateTable('scanTask')
        .set((eb) => ({
          status: eb
            .case()
            .when(eb.and([eb('status', '=', 'stopping'), eb('stopReason', '=', 'timed_out')]))
            .then(eb.val<ScanTaskStatus>('timed_out'))
            .when('status', '=', 'stopping')
            .then(eb.val<ScanTaskStatus>('stopped'))
            .else(eb.val<ScanTaskStatus>(allFailed ? 'failed' : 'finished'))
            .end(),
          finishedAt: now,
        }))
        .where('id', '=', id)
        .where('status', 'in', ['running', 'stopping'])
        .executeTakeFirst();
      // Only the call that ended the task announces it, with the end in the same commit.
      if (ended.numUpdatedRows > 0n) await enqueueTaskFinished(trx, id, now);
    });
  }

  async get(projectId: string, id: string): Promise<ScanTask> {
    const row = await this.db
      .selectFrom('scanTask')
      .selectAll()
      .where('projectId', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('scan task', id);
    const [task] = await this.#withCounts([row]);
    if (!task) throw notFound('scan task', id);
    return task;
  }

  /** By id or a unique id prefix, for the command line. */
  async find(projectId: string, idOrPrefix: string): Promise<ScanTask> {
    const rows = await this.db
      .selectFrom('scanTask')
      .select('id')
      .where('projectId', '=', projectId)
      .where('id', 'like', `${idOrPrefix.replace(/[\\%_]/g, '')}%`)
      .limit(2)
      .execute();
    const only = rows.length === 1 ? rows[0] : undefined;
    if (!only) throw notFound('scan task', idOrPrefix);
    return this.get(projectId, only.id);
  }

  async list(projectId: string, filter: TaskListFilter = {}): Promise<ScanTask[]> {
    let query = this.db.selectFrom('scanTask').selectAll().where('projectId', '=', projectId);
    if (filter.type) query = query.where('type', '=', filter.type);
    if (filter.status?.length) query = query.where('status', 'in', filter.status);
    if (filter.name) query = query.where('name', 'ilike', containsPattern(filter.name));
    if (filter.from) query = query.where('createdAt', '>=', filter.from);
    if (filter.to) query = query.where('createdAt', '<', filter.to);
    const rows = await query
      .orderBy('createdAt', 'desc')
      .limit(filter.limit ?? 100)
      .execute();
    return this.#withCounts(rows);
  }

  /** The task's images with their status; `failedOnly` gives the failed images with reasons. */
  images(taskId: string, options: { readonly failedOnly?: boolean } = {}): Promise<TaskImage[]> {
    let query = this.db
      .selectFrom('scanTaskImage')
      .innerJoin('repositoryImage', 'repositoryImage.id', 'scanTaskImage.imageId')
      .select([
        'scanTaskImage.imageId',
        'scanTaskImage.platform',
        'repositoryImage.repository',
        'repositoryImage.tag',
        'scanTaskImage.status',
        'scanTaskImage.failureCode',
        'scanTaskImage.failureMessage',
      ])
      .where('scanTaskImage.taskId', '=', taskId);
    if (options.failedOnly) query = query.where('scanTaskImage.status', '=', 'failed');
    return query
      .orderBy('repositoryImage.repository')
      .orderBy('repositoryImage.tag')
      .orderBy('scanTaskImage.platform')
      .execute();
  }

  /**
   * After task images ended without a result (stopped): each image's own status follows its
   * newest task row, so an image stopped in one task but scanned in another keeps its result.
   * `from` is the image statuses that become `terminated`: a task stop settles queued images only
   * (the worker settles the scanning ones as it ends them); an image stop ends its running scans
   * itself, so it settles a scanning image too.
   */
  async #settleImageStatuses(
    trx: Kysely<Database>,
    imageIds: readonly string[],
    from: readonly ImageScanStatus[] = ['queued'],
  ): Promise<void> {
    if (imageIds.length === 0) return;
    await trx
      .updateTable('repositoryImage')
      .set({ scanStatus: 'terminated' })
      .where('id', '=', anyOf(new Set(imageIds)))
      .where('scanStatus', 'in', from)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('scanTaskImage')
              .select('scanTaskImage.imageId')
              .whereRef('scanTaskImage.imageId', '=', 'repositoryImage.id')
              .where('scanTaskImage.status', 'in', ['queued', 'dispatched', 'scanning']),
          ),
        ),
      )
      .execute();
  }

  /** The tasks with their counts, progress and remaining time, from one grouped query. */
  async #withCounts(rows: readonly Selectable<ScanTaskTable>[]): Promise<ScanTask[]> {
    if (rows.length === 0) return [];
    const groups = await this.db
      .selectFrom('scanTaskImage')
      .select((eb) => [
        'taskId',
        'status',
        eb.fn.countAll<number>().as('n'),
        eb.fn.count<number>('risky').filterWhere('risky', '=', true).as('risky'),
        eb.fn.max('finishedAt').as('lastEnd'),
      ])
      .where(
        'taskId',
        'in',
        rows.map((row) => row.id),
      )
      .groupBy(['taskId', 'status'])
      .execute();
    return rows.map((row) =>
      this.#summary(
        row,
        groups.filter((group) => group.taskId === row.id),
      ),
    );
  }

  #summary(
    row: Selectable<ScanTaskTable>,
    counts: readonly {
      readonly status: string;
      readonly n: number;
      readonly risky: number;
      readonly lastEnd: Date | null;
    }[],
  ): ScanTask {
    const by = (status: string) => Number(counts.find((entry) => entry.status === status)?.n ?? 0);
    const total = counts.reduce((sum, entry) => sum + Number(entry.n), 0);
    const succeeded = by('succeeded');
    const failed = by('failed');
    const terminated = by('terminated');
    const done = succeeded + failed + terminated;
    const risky = counts.reduce((sum, entry) => sum + Number(entry.risky), 0);
    const ended = counts.map((entry) => entry.lastEnd).filter((at): at is Date => at instanceof Date);
    let remainingMs: number | undefined;
    if (row.status === 'running' && done > 0 && ended.length > 0) {
      const elapsed = Math.max(...ended.map(Number)) - row.createdAt.getTime();
      remainingMs = Math.round((elapsed / done) * (total - done));
    }
    return {
      id: row.id,
      projectId: row.projectId,
      name: row.name,
      type: row.type,
      scope: row.scope as ScanScope,
      riskTypes: row.riskTypes,
      speedLimit: row.speedLimit,
      creator: row.creator,
      status: row.status,
      createdAt: row.createdAt,
      finishedAt: row.finishedAt,
      deadlineAt: row.deadlineAt,
      counts: {
        total,
        queued: by('queued') + by('dispatched'),
        running: by('scanning'),
        succeeded,
        failed,
        terminated,
        risky,
      },
      progress: total === 0 ? 100 : Math.floor((done / total) * 100),
      remainingMs,
    };
  }
}
