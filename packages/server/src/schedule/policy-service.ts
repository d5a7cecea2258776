import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { ServiceError, parseRequest } from '../service-error.ts';
import { toJson } from '../store/json.ts';
import { riskTypes, type Database, type RiskType } from '../store/schema.ts';
import { maxSpeedLimit } from '../tasks/scan-task-service.ts';
import type { ScanTaskService } from '../tasks/scan-task-service.ts';
import { dueRun, nextRunAt, updatedWithinCutoff } from './policy-due.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time of day as HH:MM');

export const policyInputSchema = z.object({
  enabled: z.boolean(),
  periodDays: z.number().int().min(1).max(30),
  windowStart: hhmm.default('00:00'),
  windowEnd: hhmm.default('07:00'),
  riskTypes: z
    .array(z.enum(riskTypes))
    .min(1)
    .default([...riskTypes]),
  speedLimit: z.number().int().min(0).max(maxSpeedLimit).default(0),
  /** Only images pushed in the last N days; 0 = all. */
  updatedWithinDays: z.number().int().min(0).max(365).default(0),
  /** The connections it covers; empty = all of the project's. */
  connectionIds: z.array(z.string()).default([]),
});
export type PolicyInput = z.input<typeof policyInputSchema>;

export interface ScanPolicy {
  readonly projectId: string;
  readonly enabled: boolean;
  readonly periodDays: number;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly timeZone: string;
  readonly riskTypes: readonly RiskType[];
  readonly speedLimit: number;
  readonly updatedWithinDays: number;
  readonly connectionIds: readonly string[];
  readonly lastRunAt: Date | null;
  readonly nextRunAt: Date | undefined;
}

/**
 * The scheduled scan policy, one per project (PRODUCT.md section 5), and the scheduler step that
 * starts its runs: a `scheduled` task whose images are dispatched only inside the window.
 */
export class PolicyService {
  private readonly db: Kysely<Database>;
  private readonly tasks: ScanTaskService;
  private readonly clock: Clock;

  constructor(db: Kysely<Database>, tasks: ScanTaskService, clock: Clock) {
    this.db = db;
    this.tasks = tasks;
    this.clock = clock;
  }

  /** Policies with their project's time zone, which their window is read in. */
  #withTimeZone() {
    return this.db
      .selectFrom('scanPolicy')
      .innerJoin('project', 'project.id', 'scanPolicy.projectId')
      .selectAll('scanPolicy')
      .select('project.timeZone');
  }

  async get(projectId: string): Promise<ScanPolicy | undefined> {
    const row = await this.#withTimeZone().where('scanPolicy.projectId', '=', projectId).executeTakeFirst();
    if (!row) return undefined;
    return {
      projectId,
      enabled: row.enabled,
      periodDays: row.periodDays,
      windowStart: row.windowStart,
      windowEnd: row.windowEnd,
      timeZone: row.timeZone,
      riskTypes: row.riskTypes,
      speedLimit: row.speedLimit,
      updatedWithinDays: row.updatedWithinDays,
      connectionIds: row.connectionIds,
      lastRunAt: row.lastRunAt,
      nextRunAt: nextRunAt(
        {
          enabled: row.enabled,
          periodDays: row.periodDays,
          window: { start: row.windowStart, end: row.windowEnd, timeZone: row.timeZone },
        },
        row.lastRunAt,
        this.clock.now(),
      ),
    };
  }

  async set(projectId: string, input: unknown): Promise<ScanPolicy> {
    const data = parseRequest(policyInputSchema, input, 'scan policy');
    if (data.connectionIds.length > 0) {
      const known = await this.db
        .selectFrom('registryConnection')
        .select('id')
        .where('projectId', '=', projectId)
        .where('id', 'in', data.connectionIds)
        .execute();
      const missing = data.connectionIds.filter((id) => !known.some((row) => row.id === id));
      if (missing.length > 0)
        throw new ServiceError('invalid_request', 'unknown registry connections', { missing });
    }
    const values = {
      enabled: data.enabled,
      periodDays: data.periodDays,
      windowStart: data.windowStart,
      windowEnd: data.windowEnd,
      riskTypes: toJson<readonly RiskType[]>(data.riskTypes),
      speedLimit: data.speedLimit,
      updatedWithinDays: data.updatedWithinDays,
      connectionIds: toJson<readonly string[]>(data.connectionIds),
      updatedAt: this.clock.now(),
    };
    await this.db
      .insertInto('scanPolicy')
      .values({ projectId, ...values, lastRunAt: null })
      .onConflict((oc) => oc.column('projectId').doUpdateSet(values))
      .execute();
    const policy = await this.get(projectId);
    if (!policy) throw new Error('the policy was not stored');
    return policy;
  }

  /**
   * Starts the runs that are due now. The run key (project and window start) is unique, so two
   * processes ticking at once start one task; a run is skipped while the previous scheduled task
   * still runs (its leftovers continue in this window instead).
   */
  async startDueRuns(): Promise<string[]> {
    const now = this.clock.now();
    const policies = await this.#withTimeZone().where('scanPolicy.enabled', '=', true).execute();
    const started: string[] = [];
    for (const policy of policies) {
      const window = { start: policy.windowStart, end: policy.windowEnd, timeZone: policy.timeZone };
      const occurrence = dueRun(
        { enabled: true, periodDays: policy.periodDays, window },
        policy.lastRunAt,
        now,
      );
      if (!occurrence) continue;
      const claimed = await this.db
        .updateTable('scanPolicy')
        .set({ lastRunAt: occurrence.start })
        .where('projectId', '=', policy.projectId)
        .where((eb) => eb.or([eb('lastRunAt', 'is', null), eb('lastRunAt', '!=', occurrence.start)]))
        .executeTakeFirst();
      if (claimed.numUpdatedRows === 0n) continue;
      const previous = await this.db
        .selectFrom('scanTask')
        .select('id')
        .where('projectId', '=', policy.projectId)
        .where('type', '=', 'scheduled')
        .where('status', 'in', ['running', 'stopping'])
        .executeTakeFirst();
      if (previous) continue;
      const cutoff = updatedWithinCutoff(policy.updatedWithinDays, now);
      try {
        const task = await this.tasks.create({
          projectId: policy.projectId,
          type: 'scheduled',
          name: `Scheduled scan ${occurrence.start.toISOString().slice(0, 10)}`,
          scope:
            policy.connectionIds.length > 0
              ? { kind: 'registries', connectionIds: [...policy.connectionIds] }
              : { kind: 'all' },
          riskTypes: policy.riskTypes,
          speedLimit: policy.speedLimit,
          creator: 'scheduler',
          estimateId: null,
          window,
          policyRunKey: `${policy.projectId}:${occurrence.start.toISOString()}`,
          ...(cutoff ? { updatedAfter: cutoff } : {}),
        });
        started.push(task.id);
      } catch (error) {
        // Another process created this run between our claim and insert: the unique key held.
        if (!(error instanceof Error && /duplicate key|unique/i.test(error.message))) throw error;
      }
    }
    return started;
  }
}
