import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import { isDrydockError } from '@drydock/engine';
import type { Clock } from '../clock.ts';
import type { ConnectionService } from '../registries/connection-service.ts';
import type { DiscoveredImage } from '../registries/listing/discovered-image.ts';
import type { ListerFactory } from '../registries/lister-factory.ts';
import { notFound } from '../service-error.ts';
import { toJson } from '../store/json.ts';
import type {
  Database,
  RepositoryImageTable,
  SyncConnectionError,
  SyncCounts,
  SyncStatus,
  SyncTrigger,
} from '../store/schema.ts';

export interface SyncTask {
  readonly id: string;
  readonly projectId: string;
  readonly trigger: SyncTrigger;
  readonly status: Database['syncTask']['status'];
  readonly connectionIds: readonly string[];
  readonly counts: SyncCounts;
  readonly errors: readonly SyncConnectionError[];
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
}

export interface SyncTaskFilter {
  readonly trigger?: SyncTrigger;
  readonly status?: readonly SyncStatus[];
  readonly from?: Date;
  readonly to?: Date;
  readonly limit?: number;
}

const insertBatch = 500;

/** An image's identity within a connection (Artifactory has the same path in several repository keys). */
function imageKey(image: {
  readonly namespace: string;
  readonly repository: string;
  readonly tag: string;
}): string {
  return `${image.namespace}\u0000${image.repository}:${image.tag}`;
}

/**
 * Refreshes the image inventory from the registries: metadata only (tags, digests, media types,
 * sizes, platforms, push times), nothing is pulled. A tag that moved to a new digest is `changed`
 * and waits for a new scan; a tag the registry no longer lists is marked deleted (kept for its
 * history, out of every scope). A registry that fails is recorded and the others go on.
 */
export class SyncService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly connections: ConnectionService,
    private readonly listers: ListerFactory,
    private readonly clock: Clock,
  ) {}

  async sync(
    projectId: string,
    options: {
      readonly trigger: SyncTrigger;
      readonly connectionIds?: readonly string[];
      readonly signal?: AbortSignal;
    },
  ): Promise<SyncTask> {
    const all = await this.connections.list(projectId);
    const chosen = options.connectionIds
      ? all.filter((connection) => options.connectionIds?.includes(connection.id))
      : all;
    for (const id of options.connectionIds ?? []) {
      if (!chosen.some((connection) => connection.id === id)) throw notFound('registry connection', id);
    }
    const id = randomUUID();
    const startedAt = this.clock.now();
    const counts = { added: 0, changed: 0, deleted: 0, unchanged: 0 };
    const errors: SyncConnectionError[] = [];
    await this.db
      .insertInto('syncTask')
      .values({
        id,
        projectId,
        trigger: options.trigger,
        status: 'running',
        connectionIds: toJson(chosen.map((connection) => connection.id)),
        counts: toJson(counts),
        errors: toJson(errors),
        startedAt,
        finishedAt: null,
      })
      .execute();
    const signal = options.signal ?? new AbortController().signal;
    for (const connection of chosen) {
      try {
        const result = await this.#syncConnection(projectId, connection.id, signal);
        counts.added += result.added;
        counts.changed += result.changed;
        counts.deleted += result.deleted;
        counts.unchanged += result.unchanged;
      } catch (error) {
        errors.push({
          connectionId: connection.id,
          code: isDrydockError(error) ? error.code : 'internal_error',
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }
    const status = errors.length === 0 ? 'finished' : errors.length === chosen.length ? 'failed' : 'partial';
    await this.db
      .updateTable('syncTask')
      .set({ status, counts: toJson(counts), errors: toJson(errors), finishedAt: this.clock.now() })
      .where('id', '=', id)
      .execute();
    return this.get(projectId, id);
  }

  async get(projectId: string, id: string): Promise<SyncTask> {
    const row = await this.db
      .selectFrom('syncTask')
      .selectAll()
      .where('projectId', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('sync task', id);
    return row;
  }

  /** The task manager's sync tab: newest first, filtered by trigger, status and start time. */
  list(projectId: string, filter: SyncTaskFilter = {}): Promise<SyncTask[]> {
    let query = this.db.selectFrom('syncTask').selectAll().where('projectId', '=', projectId);
    if (filter.trigger) query = query.where('trigger', '=', filter.trigger);
    if (filter.status?.length) query = query.where('status', 'in', filter.status);
    if (filter.from) query = query.where('startedAt', '>=', filter.from);
    if (filter.to) query = query.where('startedAt', '<', filter.to);
    return query
      .orderBy('startedAt', 'desc')
      .limit(filter.limit ?? 50)
      .execute();
  }

  async #syncConnection(projectId: string, connectionId: string, signal: AbortSignal): Promise<SyncCounts> {
    const config = await this.connections.openConfig(connectionId);
    const lister = this.listers.create(config);
    // The whole listing is read before anything is written: a listing that breaks halfway must
    // not mark the images it did not reach as deleted.
    const discovered = new Map<string, DiscoveredImage>();
    for await (const image of lister.list(signal)) discovered.set(imageKey(image), image);
    const existing = await this.db
      .selectFrom('repositoryImage')
      .select(['id', 'namespace', 'repository', 'tag', 'digest', 'deletedAt'])
      .where('connectionId', '=', connectionId)
      .execute();
    const now = this.clock.now();
    const byKey = new Map(existing.map((row) => [imageKey(row), row]));
    const counts = { added: 0, changed: 0, deleted: 0, unchanged: 0 };
    const additions: Insertable<RepositoryImageTable>[] = [];
    await this.db.transaction().execute(async (trx) => {
      for (const [key, image] of discovered) {
        const row = byKey.get(key);
        const metadata = {
          namespace: image.namespace,
          pullRegistry: image.pull.registry,
          pullRepository: image.pull.repository,
          digest: image.digest,
          mediaType: image.mediaType,
          size: image.size,
          platforms: toJson(image.platforms),
          pushedAt: image.pushedAt,
          syncedAt: now,
          deletedAt: null,
        };
        if (!row) {
          counts.added += 1;
          additions.push({
            id: randomUUID(),
            projectId,
            connectionId,
            repository: image.repository,
            tag: image.tag,
            ...metadata,
            scanStatus: 'not_scanned',
            failureCode: null,
            failureMessage: null,
            lastScanAt: null,
            riskCounts: null,
            riskLevel: null,
            createdAt: now,
          });
          continue;
        }
        const moved = row.digest !== image.digest || row.deletedAt !== null;
        if (moved) counts.changed += 1;
        else counts.unchanged += 1;
        await trx
          .updateTable('repositoryImage')
          .set({
            ...metadata,
            // A tag on new content has no result yet; its old results stay in the history.
            ...(moved
              ? {
                  scanStatus: 'not_scanned',
                  failureCode: null,
                  failureMessage: null,
                  riskCounts: null,
                  riskLevel: null,
                }
              : {}),
          })
          .where('id', '=', row.id)
          .execute();
      }
      for (let start = 0; start < additions.length; start += insertBatch) {
        await trx
          .insertInto('repositoryImage')
          .values(additions.slice(start, start + insertBatch))
          .execute();
      }
      const gone = existing.filter((row) => row.deletedAt === null && !discovered.has(imageKey(row)));
      counts.deleted = gone.length;
      if (gone.length > 0) {
        await trx
          .updateTable('repositoryImage')
          .set({ deletedAt: now })
          .where(
            'id',
            'in',
            gone.map((row) => row.id),
          )
          .execute();
      }
    });
    return counts;
  }
}
