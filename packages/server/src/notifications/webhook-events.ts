import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Severity } from '@drydock/engine';
import type { Database, FindingChange } from '../store/schema.ts';
import type { WebhookEvent } from '../store/schema-webhooks.ts';

/**
 * Where events become deliveries. Each function writes one `queued` delivery per enabled webhook
 * of the project that asked for the event, on the connection or transaction it is given, so a
 * delivery commits with the change that caused it (or not at all). A round of the service
 * (WebhookService.dispatchQueued) hands queued deliveries to the job queue. The lead's files call
 * these with one line each: tasks/scan-task-service.ts, worker/scan-job.ts, results/rematch.ts.
 */

/** The body every delivery has; `id` is also the `X-Drydock-Delivery` header. */
export interface WebhookPayload {
  readonly id: string;
  readonly event: WebhookEvent;
  /** RFC 3339: when the change happened, not when this attempt was sent. */
  readonly occurredAt: string;
  readonly project: { readonly id: string; readonly name: string };
  readonly data: Readonly<Record<string, unknown>>;
}

export interface EnqueueOptions {
  readonly at: Date;
  /**
   * The event's identity for deduplication (a task id, a result id): an event enqueued twice with
   * one key is one delivery per webhook. Absent: every call is a new delivery.
   */
  readonly key?: string;
  /** Only this webhook (pings), enabled or not. */
  readonly webhookId?: string;
}

/** Queues `event` for the project's webhooks that want it; returns the new deliveries' ids. */
export async function enqueueWebhookEvent(
  db: Kysely<Database>,
  projectId: string,
  event: WebhookEvent,
  data: Readonly<Record<string, unknown>>,
  options: EnqueueOptions,
): Promise<string[]> {
  let hooks = db.selectFrom('webhook').select('id').where('projectId', '=', projectId);
  hooks = options.webhookId
    ? hooks.where('id', '=', options.webhookId)
    : hooks.where('enabled', '=', true).where(sql<boolean>`events @> ${JSON.stringify([event])}::jsonb`);
  const targets = await hooks.execute();
  if (targets.length === 0) return [];
  const project = await db
    .selectFrom('project')
    .select(['id', 'name'])
    .where('id', '=', projectId)
    .executeTakeFirst();
  if (!project) return [];
  const ids: string[] = [];
  for (const target of targets) {
    const id = randomUUID();
    const payload: WebhookPayload = {
      id,
      event,
      occurredAt: options.at.toISOString(),
      project: { id: project.id, name: project.name },
      data,
    };
    const inserted = await db
      .insertInto('webhookDelivery')
      .values({
        id,
        webhookId: target.id,
        projectId,
        event,
        eventKey: options.key ?? null,
        body: JSON.stringify(payload),
        status: 'queued',
        responseCode: null,
        error: null,
        createdAt: options.at,
      })
      .onConflict((oc) => oc.columns(['webhookId', 'eventKey']).where('eventKey', 'is not', null).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) ids.push(inserted.id);
  }
  return ids;
}

const endedTaskStatuses: readonly string[] = ['finished', 'failed', 'stopped', 'timed_out'];

/**
 * `task.finished` once a scan task has ended (finished, failed, stopped or timed out), with its
 * image counts by status. ScanTaskService.finishIfDone calls it in the transaction that ends the
 * task; calling it again for the same task (or for a task still running) adds nothing.
 */
export async function enqueueTaskFinished(db: Kysely<Database>, taskId: string, at: Date): Promise<void> {
  const task = await db
    .selectFrom('scanTask')
    .select(['id', 'projectId', 'name', 'type', 'creator', 'status', 'stopReason', 'createdAt', 'finishedAt'])
    .where('id', '=', taskId)
    .executeTakeFirst();
  if (!task || !endedTaskStatuses.includes(task.status)) return;
  const groups = await db
    .selectFrom('scanTaskImage')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('taskId', '=', taskId)
    .groupBy('status')
    .execute();
  const images = Object.fromEntries(groups.map((group) => [group.status, Number(group.n)]));
  await enqueueWebhookEvent(
    db,
    task.projectId,
    'task.finished',
    {
      task: {
        id: task.id,
        name: task.name,
        type: task.type,
        creator: task.creator,
        status: task.status,
        stopReason: task.stopReason,
        createdAt: task.createdAt.toISOString(),
        finishedAt: task.finishedAt?.toISOString() ?? null,
      },
      images,
    },
    { at: task.finishedAt ?? at, key: `task:${task.id}` },
  );
}

/** What worker/scan-job.ts knows of a scan that ended `failed`. */
export interface FailedScan {
  readonly taskId: string;
  readonly imageId: string;
  readonly platform: string;
  readonly code: string;
  readonly message: string;
}

/** `scan.failed` for one image platform of a task, in the transaction that recorded the failure. */
export async function enqueueScanFailed(db: Kysely<Database>, scan: FailedScan, at: Date): Promise<void> {
  const image = await db
    .selectFrom('repositoryImage')
    .select(['id', 'projectId', 'connectionId', 'repository', 'tag', 'digest'])
    .where('id', '=', scan.imageId)
    .executeTakeFirst();
  if (!image) return;
  await enqueueWebhookEvent(
    db,
    image.projectId,
    'scan.failed',
    {
      taskId: scan.taskId,
      image: {
        id: image.id,
        connectionId: image.connectionId,
        repository: image.repository,
        tag: image.tag,
        digest: image.digest,
        platform: scan.platform,
      },
      failure: { code: scan.code, message: scan.message },
    },
    { at, key: `scan:${scan.taskId}:${scan.imageId}:${scan.platform}` },
  );
}

/** What results/rematch.ts knows of one re-matched result. */
export interface RematchedResult {
  readonly projectId: string;
  readonly imageId: string;
  readonly resultId: string;
  readonly databaseBuiltAt: string;
  /** The findings the re-match added. */
  readonly added: readonly FindingChange[];
  /** Every finding of the re-matched report, for the severities of the added ones. */
  readonly findings: readonly {
    readonly id: string;
    readonly severity: Severity;
    readonly installedVersion: string;
    readonly package: { readonly name: string };
  }[];
}

/**
 * `findings.new_critical` when a re-match after a vulnerability database update added critical
 * findings to a result; nothing when it added none.
 */
export async function enqueueNewCriticalFindings(
  db: Kysely<Database>,
  result: RematchedResult,
  at: Date,
): Promise<void> {
  const critical = new Set(
    result.findings
      .filter((finding) => finding.severity === 'critical')
      .map((finding) => `${finding.id}\u0000${finding.package.name}\u0000${finding.installedVersion}`),
  );
  const added = result.added.filter((change) =>
    critical.has(`${change.advisoryId}\u0000${change.packageName}\u0000${change.version}`),
  );
  if (added.length === 0) return;
  const image = await db
    .selectFrom('repositoryImage')
    .select(['id', 'connectionId', 'repository', 'tag', 'digest'])
    .where('id', '=', result.imageId)
    .executeTakeFirst();
  if (!image) return;
  await enqueueWebhookEvent(
    db,
    result.projectId,
    'findings.new_critical',
    {
      image: {
        id: image.id,
        connectionId: image.connectionId,
        repository: image.repository,
        tag: image.tag,
        digest: image.digest,
      },
      resultId: result.resultId,
      databaseBuiltAt: result.databaseBuiltAt,
      findings: added,
    },
    { at, key: `rematch:${result.resultId}:${result.databaseBuiltAt}` },
  );
}
