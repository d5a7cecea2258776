import { access } from 'node:fs/promises';
import { accessSync } from 'node:fs';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { DrydockError } from '../util/errors.ts';
import type { DatabaseStatus, FeedProvenance, VulnerabilityDatabase } from './database.ts';
import type { OsvRecord } from './osv-record.ts';
import { normalizePackageName } from './package-name.ts';
import { schemaVersion } from './schema.ts';

/** One ecosystem present in the database, with its counts. */
export interface EcosystemSummary {
  readonly ecosystem: string;
  readonly packages: number;
  readonly advisories: number;
}

/**
 * The database file opened read-only (schema.ts). Beyond the `VulnerabilityDatabase` contract it
 * offers lookups by id and by alias, and the ecosystems present.
 *
 * Release rule of `recordsFor(ecosystem, ...)`: a stored ecosystem matches when it equals the
 * query or extends it by a `:`-separated suffix. So `Debian:12` matches only `Debian:12` (never
 * `Debian:12.1` or `Debian:1`), `Ubuntu:22.04` also matches `Ubuntu:22.04:LTS`, and a bare
 * `Alpine` matches every `Alpine:vX.Y`. Names are normalised as the importer stored them
 * (package-name.ts); withdrawn records are never returned.
 */
export interface VulnerabilityDatabaseFile extends VulnerabilityDatabase {
  /** The record with this id, withdrawn or not (undefined when absent). */
  recordById(id: string): OsvRecord | undefined;
  /** Ids of the advisories (not withdrawn) that list `alias` (a CVE id, a GHSA id) among their aliases. */
  advisoriesForAlias(alias: string): readonly string[];
  ecosystems(): readonly EcosystemSummary[];
}

function missing(path: string, cause?: unknown): DrydockError {
  return new DrydockError(
    'not_found',
    `no vulnerability database at ${path}: run \`drydock db update\` or \`drydock db import\``,
    { reason: 'database_missing', details: { path }, ...(cause === undefined ? {} : { cause }) },
  );
}

const slimCacheSize = 32_768;

class SqliteVulnerabilityDatabase implements VulnerabilityDatabaseFile {
  readonly #path: string;
  readonly #db: DatabaseSync;
  readonly #byPackage: StatementSync;
  readonly #slimById: StatementSync;
  readonly #byId: StatementSync;
  readonly #byAlias: StatementSync;
  #ecosystems: readonly EcosystemSummary[] | undefined;

  constructor(path: string, db: DatabaseSync) {
    this.#path = path;
    this.#db = db;
    this.#byPackage = db.prepare(
      // Withdrawn advisories have no lookup rows (builder.ts), so no join with advisories is needed.
      'SELECT advisory_id AS id, entries_json AS entries FROM affected WHERE ecosystem = ? AND package = ?',
    );
    this.#slimById = db.prepare('SELECT slim_json AS slim FROM advisories WHERE id = ?');
    this.#byId = db.prepare(
      'SELECT r.json AS json FROM advisories a JOIN records r ON r.digest = a.record_digest WHERE a.id = ?',
    );
    this.#byAlias = db.prepare(
      `SELECT s.advisory_id AS id FROM aliases s JOIN advisories a ON a.id = s.advisory_id
       WHERE s.alias = ? AND a.withdrawn IS NULL ORDER BY s.advisory_id`,
    );
  }

  ecosystems(): readonly EcosystemSummary[] {
    this.#ecosystems ??= this.#db
      .prepare('SELECT ecosystem, packages, advisories FROM ecosystems ORDER BY ecosystem')
      .all()
      .map((row) => ({
        ecosystem: String(row['ecosystem']),
        packages: Number(row['packages']),
        advisories: Number(row['advisories']),
      }));
    return this.#ecosystems;
  }

  readonly #ecosystemMatches = new Map<string, readonly string[]>();

  #matchingEcosystems(query: string): readonly string[] {
    let matches = this.#ecosystemMatches.get(query);
    if (matches === undefined) {
      matches = this.ecosystems()
        .map((summary) => summary.ecosystem)
        .filter((stored) => stored === query || stored.startsWith(`${query}:`));
      this.#ecosystemMatches.set(query, matches);
    }
    return matches;
  }

  /** Parsed records without `affected`, by advisory id; bounded, oldest dropped first. */
  readonly #slimCache = new Map<string, Omit<OsvRecord, 'affected'>>();

  #slim(id: string): Omit<OsvRecord, 'affected'> {
    const cached = this.#slimCache.get(id);
    if (cached) return cached;
    const parsed = JSON.parse(String(this.#slimById.get(id)?.['slim'] ?? '{}')) as Omit<
      OsvRecord,
      'affected'
    >;
    if (this.#slimCache.size >= slimCacheSize) {
      const oldest = this.#slimCache.keys().next().value;
      if (oldest !== undefined) this.#slimCache.delete(oldest);
    }
    this.#slimCache.set(id, parsed);
    return parsed;
  }

  // Stored records were validated against osv-schema.ts at ingest: their shape is OsvRecord's.
  // Each returned record's `affected` holds only the entries naming this package (database.ts).
  recordsFor(ecosystem: string, packageName: string): readonly OsvRecord[] {
    const found = new Map<string, OsvRecord>();
    for (const stored of this.#matchingEcosystems(ecosystem)) {
      for (const row of this.#byPackage.all(stored, normalizePackageName(stored, packageName))) {
        const id = String(row['id']);
        const entries = JSON.parse(String(row['entries'])) as OsvRecord['affected'];
        const previous = found.get(id);
        if (previous) {
          found.set(id, { ...previous, affected: [...(previous.affected ?? []), ...(entries ?? [])] });
          continue;
        }
        found.set(id, { ...this.#slim(id), affected: entries ?? [] });
      }
    }
    return [...found.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  recordById(id: string): OsvRecord | undefined {
    const row = this.#byId.get(id);
    return row === undefined ? undefined : (JSON.parse(String(row['json'])) as OsvRecord);
  }

  advisoriesForAlias(alias: string): readonly string[] {
    return this.#byAlias.all(alias).map((row) => String(row['id']));
  }

  status(): DatabaseStatus {
    const meta = new Map(
      this.#db
        .prepare('SELECT key, value FROM meta')
        .all()
        .map((row) => [String(row['key']), String(row['value'])]),
    );
    const records = Number(this.#db.prepare('SELECT COUNT(*) AS n FROM advisories').get()?.['n'] ?? 0);
    const feeds: FeedProvenance[] = this.#db
      .prepare(
        'SELECT feed, source, fingerprint, records, invalid, withdrawn, imported_at FROM provenance ORDER BY feed',
      )
      .all()
      .map((row) => ({
        feed: String(row['feed']),
        source: String(row['source']),
        fingerprint: String(row['fingerprint']),
        records: Number(row['records']),
        invalid: Number(row['invalid']),
        withdrawn: Number(row['withdrawn']),
        importedAt: String(row['imported_at']),
      }));
    return {
      path: this.#path,
      schemaVersion: Number(meta.get('schema_version') ?? 0),
      builtAt: meta.get('built_at') ?? '',
      records,
      feeds,
    };
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}

/**
 * Opens the database file read-only. Fails with `not_found` (reason `database_missing`) when
 * there is none, and `malformed_image` (reason `database_schema`) when the file is not a
 * Drydock database of this schema version.
 */
export function openVulnerabilityDatabase(path: string): VulnerabilityDatabaseFile {
  try {
    accessSync(path);
  } catch (error) {
    throw missing(path, error);
  }
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { readOnly: true });
  } catch (error) {
    throw new DrydockError('malformed_image', `${path} is not a SQLite database`, {
      reason: 'database_schema',
      cause: error,
    });
  }
  let version: number;
  try {
    version = Number(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()?.['value'] ?? 0);
  } catch (error) {
    db.close();
    throw new DrydockError('malformed_image', `${path} is not a Drydock vulnerability database`, {
      reason: 'database_schema',
      cause: error,
    });
  }
  if (version !== schemaVersion) {
    db.close();
    throw new DrydockError(
      'malformed_image',
      `${path} has schema version ${version}; this Drydock reads ${schemaVersion}: rebuild it`,
      {
        reason: 'database_schema',
        details: { path, version, expected: schemaVersion },
      },
    );
  }
  return new SqliteVulnerabilityDatabase(path, db);
}

/** True when a database file exists at `path`. */
export async function databaseExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
