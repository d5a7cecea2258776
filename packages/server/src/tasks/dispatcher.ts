import { sql, type Kysely } from 'kysely';
import { ActivityCounters, holdReasons, type HoldReason } from '../activity.ts';
import type { Clock } from '../clock.ts';
import type { JobQueue } from '../queue/job-queue.ts';
import { pausedConnections } from '../ratelimit/registry-pause.ts';
import { takeToken } from '../ratelimit/token-bucket.ts';
import { isInsideWindow } from '../schedule/time-window.ts';
import type { Database } from '../store/schema.ts';

/** Queued images looked at per task and round; the rest wait for the next round. */
const candidatesPerTask = 200;

/**
 * Moves queued images of running tasks into the job queue as far as the rules allow: a scheduled
 * task only inside its time window, no registry that asked to pause (429), at most the
 * connection's concurrent pulls in flight (scheduled tasks one fewer, so a manual scan always finds
 * a slot), and the task's images-per-hour limit per connection. Manual tasks go first. One dispatcher at a time across all processes (an advisory lock), and a
 * dispatch commits together with its job.
 */
export class Dispatcher {
  private readonly db: Kysely<Database>;
  private readonly queue: JobQueue;
  private readonly clock: Clock;
  private readonly activity: ActivityCounters;

  constructor(
    db: Kysely<Database>,
    queue: JobQueue,
    clock: Clock,
    activity: ActivityCounters = new ActivityCounters(),
  ) {
    this.db = db;
    this.queue = queue;
    this.clock = clock;
    this.activity = activity;
  }

  /** One round; returns how many image scans it dispatched. */
  async dispatch(): Promise<number> {
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      const lock = await sql<{
        locked: boolean;
      }>`select pg_try_advisory_xact_lock(hashtext('drydock:dispatch')) as locked`.execute(trx);
      if (!lock.rows[0]?.locked) return 0;
      const tasks = await trx
        .selectFrom('scanTask')
        .select(['id', 'type', 'speedLimit', 'window'])
        .where('status', '=', 'running')
        .orderBy(sql`case when type = 'manual' then 0 else 1 end`)
        .orderBy('createdAt')
        .execute();
      if (tasks.length === 0) return 0;
      const paused = await pausedConnections(trx, now);
      const connections = await trx
        .selectFrom('registryConnection')
        .select(['id', 'maxConcurrentPulls'])
        .execute();
      const capacity = new Map(connections.map((row) => [row.id, row.maxConcurrentPulls]));
      const inFlightRows = await trx
        .selectFrom('scanTaskImage')
        .innerJoin('scanTask', 'scanTask.id', 'scanTaskImage.taskId')
        .select((eb) => ['scanTaskImage.connectionId', 'scanTask.type', eb.fn.countAll<number>().as('n')])
        .where('scanTaskImage.status', 'in', ['dispatched', 'scanning'])
        .groupBy(['scanTaskImage.connectionId', 'scanTask.type'])
        .execute();
      const inFlight = new Map<string, number>();
      const scheduledInFlight = new Map<string, number>();
      for (const row of inFlightRows) {
        inFlight.set(row.connectionId, (inFlight.get(row.connectionId) ?? 0) + Number(row.n));
        if (row.type === 'scheduled') scheduledInFlight.set(row.connectionId, Number(row.n));
      }
      let dispatched = 0;
      const held = new Map<HoldReason, Set<string>>(holdReasons.map((reason) => [reason, new Set<string>()]));
      const hold = (reason: HoldReason, connectionId: string) => held.get(reason)?.add(connectionId);
      for (const task of tasks) {
        if (task.window && !isInsideWindow(task.window, now)) {
          hold('window', task.id);
          continue;
        }
        const candidates = await trx
          .selectFrom('scanTaskImage')
          .select(['imageId', 'platform', 'connectionId'])
          .where('taskId', '=', task.id)
          .where('status', '=', 'queued')
          .where((eb) => eb.or([eb('notBefore', 'is', null), eb('notBefore', '<=', now)]))
          .orderBy('imageId')
          .orderBy('platform')
          .limit(candidatesPerTask)
          .execute();
        const limitReached = new Set<string>();
        for (const candidate of candidates) {
          const connectionId = candidate.connectionId;
          if (paused.has(connectionId)) {
            hold('registry_paused', connectionId);
            continue;
          }
          if (limitReached.has(connectionId)) continue;
          const busy = inFlight.get(connectionId) ?? 0;
          const slots = capacity.get(connectionId) ?? 1;
          // A scheduled scan leaves one pull slot free, so a manual scan never waits behind it.
          const scheduledBusy = scheduledInFlight.get(connectionId) ?? 0;
          if (busy >= slots || (task.type === 'scheduled' && scheduledBusy >= Math.max(1, slots - 1))) {
            hold('concurrency', connectionId);
            continue;
          }
          if (!(await takeToken(trx, task.id, connectionId, task.speedLimit, now))) {
            limitReached.add(connectionId);
            hold('speed_limit', connectionId);
            continue;
          }
          const jobId = await this.queue.send(trx, task.type, {
            taskId: task.id,
            imageId: candidate.imageId,
            platform: candidate.platform,
          });
          await trx
            .updateTable('scanTaskImage')
            .set({ status: 'dispatched', jobId, dispatchedAt: now })
            .where('taskId', '=', task.id)
            .where('imageId', '=', candidate.imageId)
            .where('platform', '=', candidate.platform)
            .execute();
          inFlight.set(connectionId, busy + 1);
          if (task.type === 'scheduled') scheduledInFlight.set(connectionId, scheduledBusy + 1);
          dispatched += 1;
        }
      }
      for (const [reason, connections] of held) this.activity.countHolds(reason, connections.size);
      return dispatched;
    });
  }
}
