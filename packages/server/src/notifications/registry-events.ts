import type { Kysely } from 'kysely';
import type { AuditChange } from '../access/principal.ts';
import type { SyncService } from '../inventory/sync-service.ts';
import { getProjectScanSettings } from '../results/project-scan-settings.ts';
import type { Database } from '../store/schema.ts';
import type { ScanTaskService } from '../tasks/scan-task-service.ts';
import type { EventConnection } from './registry-event-tokens.ts';
import type { PushTarget } from './registry-event-payload.ts';

/**
 * What a registry push notification starts, after the receiver answered 202: a sync of that
 * connection (the inventory then holds the pushed image with the registry's metadata), then, when
 * the project turned `scanOnPush` on, a scan task of the pushed images (type `manual`, creator
 * `push`, every risk type, billed like any scan; the registry is the one who accepts the fee, as
 * the project's administrators decided by turning the setting on). Both are audited as done by the
 * registry.
 *
 * The work runs in this process, one connection at a time: pushes that arrive while a connection's
 * sync runs are gathered and handled by one more sync afterwards, so a burst of pushes (every tag
 * of a release) costs two syncs, not one per tag. A failure is reported and the next batch goes
 * on; the sync task records its own registry errors. `settle` waits for the work before the
 * database closes. Lost on a crash: the registry's next push, or the daily sync, brings the
 * inventory up to date.
 */

/** Who a registry's actions are audited as. */
export type AuditAsRegistry = (change: AuditChange) => Promise<void>;

interface Batch {
  readonly connection: EventConnection;
  readonly pushes: PushTarget[];
  readonly audit: AuditAsRegistry;
}

/** Distinct pushes a waiting batch gathers at most (more of them change nothing: one sync reads all). */
const maxWaitingPushes = 1000;

export class RegistryEvents {
  readonly #waiting = new Map<string, Batch>();
  readonly #active = new Map<string, Promise<void>>();
  #closed = false;

  private readonly db: Kysely<Database>;
  private readonly sync: SyncService;
  private readonly tasks: ScanTaskService;
  private readonly onError: (error: unknown) => void;

  constructor(
    db: Kysely<Database>,
    sync: SyncService,
    tasks: ScanTaskService,
    onError: (error: unknown) => void = (error) =>
      process.emitWarning('registry push notification not handled', {
        code: 'DRYDOCK_REGISTRY_EVENT',
        detail: error instanceof Error ? error.message : String(error),
      }),
  ) {
    this.db = db;
    this.sync = sync;
    this.tasks = tasks;
    this.onError = onError;
  }

  /** Queues the pushes of one notification; returns at once. Nothing is queued once closed. */
  enqueue(connection: EventConnection, pushes: readonly PushTarget[], audit: AuditAsRegistry): void {
    if (this.#closed || pushes.length === 0) return;
    const id = connection.connectionId;
    const waiting = this.#waiting.get(id);
    if (waiting) {
      for (const push of pushes) {
        if (waiting.pushes.length >= maxWaitingPushes) break;
        if (!waiting.pushes.some((known) => samePush(known, push))) waiting.pushes.push(push);
      }
      return;
    }
    this.#waiting.set(id, { connection, pushes: pushes.slice(0, maxWaitingPushes), audit });
    if (!this.#active.has(id)) this.#active.set(id, this.#drain(id));
  }

  /** Waits until the work queued so far (and any gathered meanwhile) is done. */
  async idle(): Promise<void> {
    while (this.#active.size > 0) await Promise.all([...this.#active.values()]);
  }

  /** Waits for the queued work (before the database closes); later notifications are dropped. */
  async settle(): Promise<void> {
    this.#closed = true;
    await this.idle();
  }

  async #drain(id: string): Promise<void> {
    // Yield first, so `#active` holds this promise before the loop can end and remove it.
    await Promise.resolve();
    for (;;) {
      const batch = this.#waiting.get(id);
      if (!batch) {
        // Removed in the same turn as the check: a push enqueued after it starts a new drain.
        this.#active.delete(id);
        return;
      }
      this.#waiting.delete(id);
      try {
        await this.#handle(batch);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  async #handle(batch: Batch): Promise<void> {
    const { connection, pushes, audit } = batch;
    const { projectId, connectionId } = connection;
    const synced = await this.sync.sync(projectId, { trigger: 'push', connectionIds: [connectionId] });
    await audit({
      projectId,
      action: 'sync_task.start',
      objectType: 'sync_task',
      objectId: synced.id,
      details: { trigger: 'push', connectionIds: [connectionId], status: synced.status },
    });
    if (synced.status === 'failed') return;
    const settings = await getProjectScanSettings(this.db, projectId);
    if (!settings.scanOnPush) return;
    const imageIds = await this.#imagesOf(connectionId, pushes);
    // Pushes the connection's include/exclude patterns leave out are not in the inventory.
    if (imageIds.length === 0) return;
    const named = pushes.map((push) => `${push.repository}:${push.tag ?? push.digest ?? ''}`);
    const name = `Push ${named.slice(0, 3).join(', ')}${named.length > 3 ? ` and ${named.length - 3} more` : ''}`;
    const task = await this.tasks.start(
      projectId,
      { name: name.slice(0, 200), scope: { kind: 'images', imageIds }, acceptFee: true },
      'push',
    );
    await audit({
      projectId,
      action: 'scan_task.start',
      objectType: 'scan_task',
      objectId: task.id,
      details: {
        name: task.name,
        scope: 'images',
        images: imageIds.length,
        riskTypes: task.riskTypes,
        trigger: 'push',
      },
    });
  }

  /** The live inventory rows of the pushes: by tag when one was named, else every tag of the digest. */
  async #imagesOf(connectionId: string, pushes: readonly PushTarget[]): Promise<string[]> {
    const ids = new Set<string>();
    for (const push of pushes) {
      let query = this.db
        .selectFrom('repositoryImage')
        .select('id')
        .where('connectionId', '=', connectionId)
        .where('deletedAt', 'is', null)
        .where((eb) =>
          eb.or([eb('repository', '=', push.repository), eb('pullRepository', '=', push.repository)]),
        );
      if (push.tag !== undefined) query = query.where('tag', '=', push.tag);
      else if (push.digest !== undefined) query = query.where('digest', '=', push.digest);
      else continue;
      for (const row of await query.execute()) ids.add(row.id);
    }
    return [...ids];
  }
}

function samePush(a: PushTarget, b: PushTarget): boolean {
  return a.repository === b.repository && a.tag === b.tag && a.digest === b.digest;
}
