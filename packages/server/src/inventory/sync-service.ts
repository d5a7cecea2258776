import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import { isDrydockError } from '@drydock/engine';
import type { Clock } from '../clock.ts';
import type { ConnectionService } from '../registries/connection-service.ts';
import type { DiscoveredImage } from '../registries/listing/discovered-image.ts';
import type { ListerFactory } from '../registries/lister-factory.ts';
import type { SkippedEntry } from '../registries/listing/lister-options.ts';
import { indexImages, unindexImages } from '../results/finding-index.ts';
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
import { anyOf } from '../store/any-of.ts';

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

/** Skipped repositories and tags a task lists one by one; `counts.skipped` has them all. */
const skipsListed = 100;

/** A skipped entry as the task reports it. */
function skipError(connectionId: string, entry: SkippedEntry): SyncConnectionError {
  const repository = entry.namespace === '' ? entry.repository : `${entry.namespace}/${entry.repository}`;
  const image = entry.tag === undefined ? repository : `${repository}:${entry.tag}`;
  return { connectionId, code: entry.code, message: entry.message, image };
}

/** One registry's sync: its counts, and what its listing went on without. */
interface ConnectionSync extends Omit<SyncCounts, 'skipped'> {
  readonly skipped: readonly SkippedEntry[];
}

/** An image's identity within a connection (Artifactory has the same path in several repository keys). */
function imageKey(image: {
  readonly namespace: string;
  readonly repository: string;
  readonly tag: string;
}): string {
  return `${image.namespace}\u0000${image.repository}:${image.tag}`;
}

export interface SyncOptions {
  readonly trigger: SyncTrigger;
  /** Absent: every connection of the project. */
  readonly connectionIds?: readonly string[];
  readonly signal?: AbortSignal;
}

/** A task recorded as running, with the connections it goes through. */
interface StartedSync {
  readonly task: SyncTask;
  readonly connectionIds: readonly string[];
}

/**
 * Refreshes the image inventory from the registries: metadata only (tags, digests, media types,
 * sizes, platforms, push times), nothing is pulled. A tag that moved to a new digest is `changed`
 * and waits for a new scan; a tag the registry no longer lists is marked deleted (kept for its
 * history, out of every scope). A registry that fails is recorded and the others go on.
 *
 * `sync` waits for the end (the command line, the daily sync); `start` returns the running task
 * at once and goes on in the background (the API), where `settle` waits for it before the
 * database closes.
 */
export class SyncService {
  readonly #running = new Set<Promise<unknown>>();

  private readonly db: Kysely<Database>;
  private readonly connections: ConnectionService;
  private readonly listers: ListerFactory;
  private readonly clock: Clock;

  constructor(db: Kysely<Database>, connections: ConnectionService, listers: ListerFactory, clock: Clock) {
    this.db = db;
    this.connections = connections;
    this.listers = listers;
    this.clock = clock;
  }

  /** Syncs and answers with the ended task. `not_found` for a connection of another project. */
  async sync(projectId: string, options: SyncOptions): Promise<SyncTask> {
    const started = await this.#begin(projectId, options);
    await this.#run(started, options.signal);
    return this.get(projectId, started.task.id);
  }

  /**
   * Records the task and syncs in the background; answers with the task as started (`running`).
   * Unknown connections fail here, before anything is recorded; what fails later (a registry, the
   * database) is stored on the task, whose status ends `finished`, `partial` or `failed`.
   */
  async start(projectId: string, options: SyncOptions): Promise<SyncTask> {
    const started = await this.#begin(projectId, options);
    // #run records its own failures on the task; nothing is left to report to anyone here.
    const running = this.#run(started, options.signal).catch(() => undefined);
    this.#running.add(running);
    void running.finally(() => this.#running.delete(running));
    return started.task;
  }

  /** Waits for the syncs `start` left running (before the database closes). */
  async settle(): Promise<void> {
    await Promise.all([...this.#running]);
  }

  async #begin(projectId: string, options: SyncOptions): Promise<StartedSync> {
    const all = await this.connections.list(projectId);
    const chosen = options.connectionIds
      ? all.filter((connection) => options.connectionIds?.includes(connection.id))
      : all;
    for (const id of options.connectionIds ?? []) {
      if (!chosen.some((connection) => connection.id === id)) throw notFound('registry connection', id);
    }
    const connectionIds = chosen.map((connection) => connection.id);
    const task: SyncTask = {
      id: randomUUID(),
      projectId,
      trigger: options.trigger,
      status: 'running',
      connectionIds,
      counts: { added: 0, changed: 0, deleted: 0, unchanged: 0, skipped: 0 },
      errors: [],
      startedAt: this.clock.now(),
      finishedAt: null,
    };
    await this.db
      .insertInto('syncTask')
      .values({
        ...task,
        connectionIds: toJson(task.connectionIds),
        counts: toJson(task.counts),
        errors: toJson(task.errors),
      })
      .execute();
    return { task, connectionIds };
  }

  /**
   * Goes through the connections and records the end. A failure outside any one registry (the
   * database) ends the task `failed`, with `internal_error` for each connection it did not finish,
   * and is thrown.
   */
  async #run(started: StartedSync, signal = new AbortController().signal): Promise<void> {
    const { task, connectionIds } = started;
    const counts = { added: 0, changed: 0, deleted: 0, unchanged: 0, skipped: 0 };
    const errors: SyncConnectionError[] = [];
    const skips: SyncConnectionError[] = [];
    const done = new Set<string>();
    try {
      for (const connectionId of connectionIds) {
        try {
          const result = await this.#syncConnection(task.projectId, connectionId, signal);
          counts.added += result.added;
          counts.changed += result.changed;
          counts.deleted += result.deleted;
          counts.unchanged += result.unchanged;
          counts.skipped += result.skipped.length;
          for (const entry of result.skipped)
            if (skips.length < skipsListed) skips.push(skipError(connectionId, entry));
        } catch (error) {
          errors.push({
            connectionId,
            code: isDrydockError(error) ? error.code : 'internal_error',
            message: error instanceof Error ? error.message : String(error),
          });
        }
        done.add(connectionId);
      }
      // Partial too when a registry left something out: the list may miss what it could not read.
      const status: SyncStatus =
        errors.length > 0 && errors.length === connectionIds.length
          ? 'failed'
          : errors.length + counts.skipped === 0
            ? 'finished'
            : 'partial';
      await this.#finish(task.id, status, counts, [...errors, ...skips]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const unfinished = connectionIds
        .filter((id) => !done.has(id))
        .map((connectionId) => ({ connectionId, code: 'internal_error', message }));
      await this.#finish(task.id, 'failed', counts, [...errors, ...unfinished]).catch(() => undefined);
      throw error;
    }
  }

  async #finish(
    id: string,
    status: SyncStatus,
    counts: SyncCounts,
    errors: readonly SyncConnectionError[],
  ): Promise<void> {
    await this.db
      .updateTable('syncTask')
      .set({ status, counts: toJson(counts), errors: toJson(errors), finishedAt: this.clock.now() })
      .where('id', '=', id)
      .execute();
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

  async #syncConnection(
    projectId: string,
    connectionId: string,
    signal: AbortSignal,
  ): Promise<ConnectionSync> {
    const config = await this.connections.openConfig(connectionId);
    const skipped: SkippedEntry[] = [];
    const lister = this.listers.create(config, (entry) => skipped.push(entry));
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
    const revived: string[] = [];
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
        if (row.deletedAt !== null) revived.push(row.id);
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
      // A tag that could not be read is kept as it was: it may well still be there.
      const unread = new Set(
        skipped.flatMap((entry) => (entry.tag === undefined ? [] : [imageKey({ ...entry, tag: entry.tag })])),
      );
      const gone = existing.filter(
        (row) => row.deletedAt === null && !discovered.has(imageKey(row)) && !unread.has(imageKey(row)),
      );
      counts.deleted = gone.length;
      if (gone.length > 0) {
        await trx
          .updateTable('repositoryImage')
          .set({ deletedAt: now })
          .where('id', '=', anyOf(gone.map((row) => row.id)))
          .execute();
      }
      // Last: the finding index counts live images only (results/finding-index.ts).
      await unindexImages(
        trx,
        projectId,
        gone.map((row) => row.id),
      );
      await indexImages(trx, projectId, revived);
    });
    return { ...counts, skipped };
  }
}
