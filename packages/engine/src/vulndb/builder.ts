import { createHash } from 'node:crypto';
import { access } from 'node:fs/promises';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { DrydockError, toDrydockError } from '../util/errors.ts';
import {
  acquireBuildLock,
  type BuildLock,
  commitTemporary,
  discardTemporary,
  removeStaleTemporaries,
  startTemporary,
} from './atomic-replace.ts';
import type { OpenedFeed } from './feed-item.ts';
import type { OsvRecord } from './osv-record.ts';
import { validateOsvRecord } from './osv-schema.ts';
import { normalizePackageName } from './package-name.ts';
import { schemaSql, schemaVersion, storedSchemaVersion, useDatabasePageSize } from './schema.ts';
import { severityOf } from './severity.ts';
import { toAdvisorySummary, toMatchEntry } from './match-entry.ts';

/**
 * Builds the vulnerability database file from feeds (schema.ts), atomically: the current file is
 * copied to `<path>.tmp-<pid>`, the feeds are imported into the copy, and the copy is renamed over
 * the file (atomic-replace.ts). A build that crashes leaves the previous database as it was.
 *
 * Importing a feed replaces what that feed brought before (records it no longer has disappear
 * unless another feed still has them). Each feed is one transaction: a feed that fails midway
 * (a download cut short, a damaged archive) is rolled back and reported, and the other feeds of
 * the same build still land. Records are validated (osv-schema.ts); invalid ones are counted,
 * the first `maxInvalidExamples` kept with their reason, and never stop the import.
 */
export interface FeedToImport {
  /** The feed's name in the database (`PyPI`, `almalinux`, ...): its provenance key. */
  readonly name: string;
  readonly feed: OpenedFeed;
  /** The ETag the feed was downloaded with, kept for the next conditional request. */
  readonly etag?: string | undefined;
}

export interface InvalidRecord {
  readonly location: string;
  readonly reason: string;
}

export type FeedImportResult =
  | {
      readonly status: 'imported';
      readonly feed: string;
      readonly source: string;
      readonly fingerprint: string;
      /** Valid records read (withdrawn ones included). */
      readonly records: number;
      readonly invalid: number;
      readonly withdrawn: number;
      readonly invalidExamples: readonly InvalidRecord[];
    }
  | {
      readonly status: 'failed';
      readonly feed: string;
      readonly source: string;
      readonly error: DrydockError;
    };

export type ImportProgress =
  | { readonly type: 'feed-start'; readonly feed: string; readonly source: string }
  | { readonly type: 'records'; readonly feed: string; readonly records: number; readonly invalid: number }
  | { readonly type: 'feed-done'; readonly result: FeedImportResult }
  | { readonly type: 'finishing' };

export interface ImportOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((event: ImportProgress) => void) | undefined;
  /** How many invalid records to keep with their reason, per feed (default 20). */
  readonly maxInvalidExamples?: number | undefined;
  /** Clock for `imported_at` and `built_at` (tests). */
  readonly now?: (() => Date) | undefined;
}

export interface ImportResult {
  readonly path: string;
  readonly feeds: readonly FeedImportResult[];
  /** False when every feed failed: the database file was left untouched. */
  readonly written: boolean;
  /** True when an existing file had another schema version and was rebuilt from these feeds only. */
  readonly schemaReset: boolean;
  readonly builtAt: string;
  readonly durationMs: number;
}

const progressEvery = 1000;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `modified` as a sortable UTC timestamp (the feeds' own strings may carry offsets). */
function sortableTime(value: string): string {
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The schema version of an existing database file (storedSchemaVersion), or undefined when it is not one. */
function existingSchemaVersion(path: string): number | undefined {
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    return storedSchemaVersion(db);
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}

/** The prepared statements of one build. */
class Statements {
  readonly insertRecord: StatementSync;
  readonly upsertFeedRecord: StatementSync;
  readonly winner: StatementSync;
  readonly currentDigest: StatementSync;
  readonly recordJson: StatementSync;
  readonly deleteAffected: StatementSync;
  readonly deleteAliases: StatementSync;
  readonly deleteAdvisory: StatementSync;
  readonly upsertAdvisory: StatementSync;
  readonly insertAffected: StatementSync;
  readonly insertAlias: StatementSync;
  readonly feedIds: StatementSync;
  readonly deleteFeedRecords: StatementSync;
  readonly upsertProvenance: StatementSync;

  constructor(db: DatabaseSync) {
    this.insertRecord = db.prepare('INSERT OR IGNORE INTO records (digest, json) VALUES (?, ?)');
    this.upsertFeedRecord = db.prepare(
      `INSERT INTO feed_records (feed, advisory_id, record_digest, modified) VALUES (?, ?, ?, ?)
       ON CONFLICT (feed, advisory_id) DO UPDATE SET record_digest = excluded.record_digest, modified = excluded.modified
       WHERE excluded.modified >= feed_records.modified`,
    );
    // The record that represents an advisory: the latest `modified`; on a tie, the feed being imported.
    this.winner = db.prepare(
      `SELECT record_digest FROM feed_records WHERE advisory_id = ?
       ORDER BY modified DESC, (feed = ?) DESC, feed LIMIT 1`,
    );
    this.currentDigest = db.prepare('SELECT record_digest FROM advisories WHERE id = ?');
    this.recordJson = db.prepare('SELECT json FROM records WHERE digest = ?');
    this.deleteAffected = db.prepare('DELETE FROM affected WHERE advisory_id = ?');
    this.deleteAliases = db.prepare('DELETE FROM aliases WHERE advisory_id = ?');
    this.deleteAdvisory = db.prepare('DELETE FROM advisories WHERE id = ?');
    this.upsertAdvisory = db.prepare(
      `INSERT OR REPLACE INTO advisories (id, record_digest, modified, withdrawn, aliases_json, severity, cvss_score, cvss_vector, summary_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertAffected = db.prepare(
      'INSERT OR IGNORE INTO affected (ecosystem, package, advisory_id, entries_json) VALUES (?, ?, ?, ?)',
    );
    this.insertAlias = db.prepare('INSERT OR IGNORE INTO aliases (alias, advisory_id) VALUES (?, ?)');
    this.feedIds = db.prepare('SELECT advisory_id FROM feed_records WHERE feed = ?');
    this.deleteFeedRecords = db.prepare('DELETE FROM feed_records WHERE feed = ?');
    this.upsertProvenance = db.prepare(
      `INSERT OR REPLACE INTO provenance (feed, source, fingerprint, etag, records, invalid, withdrawn, imported_at, invalid_examples_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }
}

/** Writes the advisory row and its lookup rows from the record that represents it. */
function applyAdvisory(statements: Statements, record: OsvRecord, digest: string, fresh: boolean): void {
  if (!fresh) {
    statements.deleteAffected.run(record.id);
    statements.deleteAliases.run(record.id);
  }
  const severity = severityOf(record);
  statements.upsertAdvisory.run(
    record.id,
    digest,
    record.modified,
    record.withdrawn ?? null,
    JSON.stringify(record.aliases ?? []),
    severity.level,
    severity.score ?? null,
    severity.vector ?? null,
    JSON.stringify(toAdvisorySummary(record, severity)),
  );
  const entries = new Map<string, { ecosystem: string; name: string; list: unknown[] }>();
  for (const affected of record.affected ?? []) {
    const { ecosystem, name } = affected.package;
    const normalised = normalizePackageName(ecosystem, name);
    const key = `${ecosystem}\u0000${normalised}`;
    const group = entries.get(key) ?? { ecosystem, name: normalised, list: [] };
    group.list.push(toMatchEntry(record, affected, severity));
    entries.set(key, group);
  }
  // Withdrawn advisories keep their row and record but get no lookup rows: they never match.
  if (record.withdrawn !== undefined) return;
  for (const group of entries.values()) {
    statements.insertAffected.run(group.ecosystem, group.name, record.id, JSON.stringify(group.list));
  }
  for (const alias of record.aliases ?? []) statements.insertAlias.run(alias, record.id);
}

/** Makes the advisory row of `id` follow the record that now wins among the feeds (or go). */
function reconcile(statements: Statements, id: string, feed: string): void {
  const winner = statements.winner.get(id, feed);
  const current = statements.currentDigest.get(id);
  if (winner === undefined) {
    if (current === undefined) return;
    statements.deleteAffected.run(id);
    statements.deleteAliases.run(id);
    statements.deleteAdvisory.run(id);
    return;
  }
  const digest = String(winner['record_digest']);
  if (current !== undefined && current['record_digest'] === digest) return;
  const row = statements.recordJson.get(digest);
  if (row === undefined) return;
  const record = validateOsvRecord(JSON.parse(String(row['json'])));
  if (record.ok) applyAdvisory(statements, record.record, digest, current === undefined);
}

async function importOne(
  db: DatabaseSync,
  statements: Statements,
  input: FeedToImport,
  options: ImportOptions,
  importedAt: string,
): Promise<FeedImportResult> {
  const { name, feed } = input;
  const maxExamples = options.maxInvalidExamples ?? 20;
  const invalidExamples: InvalidRecord[] = [];
  let records = 0;
  let invalid = 0;
  let withdrawn = 0;
  const noteInvalid = (location: string, reason: string): void => {
    invalid++;
    if (invalidExamples.length < maxExamples) invalidExamples.push({ location, reason });
  };
  options.onProgress?.({ type: 'feed-start', feed: name, source: feed.source });
  db.exec('BEGIN');
  try {
    const previous = new Set(statements.feedIds.all(name).map((row) => String(row['advisory_id'])));
    statements.deleteFeedRecords.run(name);
    for await (const item of feed.items(options.signal)) {
      if (item.kind === 'invalid') {
        noteInvalid(item.location, item.reason);
        continue;
      }
      const validation = validateOsvRecord(item.value);
      if (!validation.ok) {
        noteInvalid(item.location, validation.reason);
        continue;
      }
      const record = validation.record;
      records++;
      if (record.withdrawn !== undefined) withdrawn++;
      const json = JSON.stringify(item.value);
      const digest = sha256(json);
      statements.insertRecord.run(digest, json);
      statements.upsertFeedRecord.run(name, record.id, digest, sortableTime(record.modified));
      previous.delete(record.id);
      const winner = statements.winner.get(record.id, name);
      const current = statements.currentDigest.get(record.id);
      if (winner?.['record_digest'] === digest) {
        if (current?.['record_digest'] !== digest)
          applyAdvisory(statements, record, digest, current === undefined);
      } else {
        reconcile(statements, record.id, name);
      }
      if ((records + invalid) % progressEvery === 0) {
        options.onProgress?.({ type: 'records', feed: name, records, invalid });
      }
    }
    // Advisories the feed brought before and no longer has.
    for (const id of previous) reconcile(statements, id, name);
    const fingerprint = feed.fingerprint() ?? 'unknown';
    statements.upsertProvenance.run(
      name,
      feed.source,
      fingerprint,
      input.etag ?? null,
      records,
      invalid,
      withdrawn,
      importedAt,
      JSON.stringify(invalidExamples),
    );
    db.exec('COMMIT');
    return {
      status: 'imported',
      feed: name,
      source: feed.source,
      fingerprint,
      records,
      invalid,
      withdrawn,
      invalidExamples,
    };
  } catch (error) {
    db.exec('ROLLBACK');
    return {
      status: 'failed',
      feed: name,
      source: feed.source,
      error: toDrydockError(error, options.signal),
    };
  }
}

function finish(db: DatabaseSync, builtAt: string): void {
  db.exec('BEGIN');
  db.exec('DELETE FROM records WHERE digest NOT IN (SELECT record_digest FROM feed_records)');
  db.exec('DELETE FROM ecosystems');
  db.exec(
    `INSERT INTO ecosystems (ecosystem, packages, advisories)
     SELECT ecosystem, COUNT(DISTINCT package), COUNT(DISTINCT advisory_id) FROM affected GROUP BY ecosystem`,
  );
  const setMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  setMeta.run('schema_version', String(schemaVersion));
  setMeta.run('built_at', builtAt);
  db.exec('COMMIT');
  db.exec('PRAGMA optimize');
}

/**
 * One build of the database file: `start` takes the lock and prepares the temporary copy,
 * `importFeed` imports one feed into it (one transaction), `commit` renames it over the file,
 * `discard` throws it away. Exactly one of `commit` or `discard` ends a build.
 */
export class DatabaseBuild {
  readonly path: string;
  readonly schemaReset: boolean;
  readonly #options: ImportOptions;
  readonly #lock: BuildLock;
  readonly #temporary: string;
  readonly #db: DatabaseSync;
  readonly #statements: Statements;
  readonly #importedAt: string;
  readonly #results: FeedImportResult[] = [];
  readonly #started: number;
  #ended = false;

  private constructor(
    path: string,
    options: ImportOptions,
    lock: BuildLock,
    temporary: string,
    db: DatabaseSync,
    schemaReset: boolean,
    started: number,
  ) {
    this.path = path;
    this.schemaReset = schemaReset;
    this.#options = options;
    this.#lock = lock;
    this.#temporary = temporary;
    this.#db = db;
    this.#statements = new Statements(db);
    this.#importedAt = (options.now ?? (() => new Date()))().toISOString();
    this.#started = started;
  }

  static async start(path: string, options: ImportOptions = {}): Promise<DatabaseBuild> {
    const started = performance.now();
    const lock = await acquireBuildLock(path);
    let temporary: string | undefined;
    try {
      await removeStaleTemporaries(path);
      const present = await exists(path);
      const current = present ? existingSchemaVersion(path) : undefined;
      temporary = await startTemporary(path, current === schemaVersion);
      const db = new DatabaseSync(temporary);
      try {
        // The temporary file is thrown away on a crash, so durability is only needed at the end
        // (commit syncs it); the in-memory journal still allows a feed's rollback.
        db.exec(
          'PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -131072;',
        );
        useDatabasePageSize(db);
        db.exec(schemaSql);
      } catch (error) {
        db.close();
        throw error;
      }
      return new DatabaseBuild(
        path,
        options,
        lock,
        temporary,
        db,
        present && current !== schemaVersion,
        started,
      );
    } catch (error) {
      if (temporary !== undefined) await discardTemporary(temporary);
      await lock.release();
      throw toDrydockError(error, options.signal);
    }
  }

  elapsedMs(): number {
    return performance.now() - this.#started;
  }

  get results(): readonly FeedImportResult[] {
    return this.#results;
  }

  /** Imports one feed (and closes it). A failure of the feed is in the result, not thrown. */
  async importFeed(input: FeedToImport): Promise<FeedImportResult> {
    if (this.#ended) throw new DrydockError('internal_error', 'this database build has ended');
    let result: FeedImportResult;
    try {
      result = await importOne(this.#db, this.#statements, input, this.#options, this.#importedAt);
    } finally {
      await input.feed.close();
    }
    this.#results.push(result);
    this.#options.onProgress?.({ type: 'feed-done', result });
    return result;
  }

  /** Finishes the database and renames it over the file. */
  async commit(): Promise<ImportResult> {
    if (this.#ended) throw new DrydockError('internal_error', 'this database build has ended');
    this.#ended = true;
    try {
      this.#options.onProgress?.({ type: 'finishing' });
      const builtAt = (this.#options.now ?? (() => new Date()))().toISOString();
      try {
        finish(this.#db, builtAt);
      } finally {
        this.#db.close();
      }
      await commitTemporary(this.#temporary, this.path);
      return {
        path: this.path,
        feeds: this.#results,
        written: true,
        schemaReset: this.schemaReset,
        builtAt,
        durationMs: performance.now() - this.#started,
      };
    } catch (error) {
      await discardTemporary(this.#temporary);
      throw toDrydockError(error, this.#options.signal);
    } finally {
      await this.#lock.release();
    }
  }

  /** Throws the temporary copy away; the database file stays as it was. */
  async discard(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#db.isOpen) this.#db.close();
    await discardTemporary(this.#temporary);
    await this.#lock.release();
  }
}

/**
 * Imports `feeds` into the database at `path` (created when missing) in one build. Feeds are read
 * in order and closed afterwards. When every feed fails, the file is left untouched. Throws only
 * for failures of the build itself (no space, a busy database); a feed's failure is in its result.
 */
export async function importFeeds(
  path: string,
  feeds: readonly FeedToImport[],
  options: ImportOptions = {},
): Promise<ImportResult> {
  const build = await DatabaseBuild.start(path, options);
  try {
    for (const [index, input] of feeds.entries()) {
      if (options.signal?.aborted) {
        await Promise.all(feeds.slice(index).map((rest) => rest.feed.close()));
        throw toDrydockError(options.signal.reason, options.signal);
      }
      await build.importFeed(input);
    }
    if (!build.results.some((result) => result.status === 'imported')) {
      await build.discard();
      return {
        path,
        feeds: build.results,
        written: false,
        schemaReset: false,
        builtAt: '',
        durationMs: build.elapsedMs(),
      };
    }
    return await build.commit();
  } finally {
    await build.discard();
  }
}
