import { access } from 'node:fs/promises';
import { accessSync } from 'node:fs';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { DrydockError } from '../util/errors.ts';
import type { DatabaseStatus, FeedProvenance, VulnerabilityDatabase } from './database.ts';
import type { OsvRecord } from './osv-record.ts';
import { normalizePackageName } from './package-name.ts';
import { schemaVersion, storedSchemaVersion } from './schema.ts';
import type { AdvisorySummary, AffectedCandidate, MatchEntry } from './match-entry.ts';
import { CandidateCache, type StoredCandidate } from './candidate-cache.ts';

/** Names or ids per statement: well under SQLite's limits, big enough that round trips vanish. */
const lookupBatchSize = 2_000;

/** Joins adjacent candidates of one advisory (the list is sorted by id). */
function mergeSameIds(
  sorted: readonly { id: string; entries: MatchEntry[] }[],
): { id: string; entries: MatchEntry[] }[] {
  const merged: { id: string; entries: MatchEntry[] }[] = [];
  for (const candidate of sorted) {
    const last = merged.at(-1);
    if (last?.id === candidate.id) last.entries = [...last.entries, ...candidate.entries];
    else merged.push({ id: candidate.id, entries: candidate.entries });
  }
  return merged;
}

function* batches<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

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

const summaryCacheSize = 32_768;

/** Bytes of the file read through the memory map; a larger database reads the rest as usual. */
const mappedBytes = 2 ** 30;

class SqliteVulnerabilityDatabase implements VulnerabilityDatabaseFile {
  readonly #path: string;
  readonly #db: DatabaseSync;
  readonly #byPackages: StatementSync;
  readonly #summariesByIds: StatementSync;
  readonly #byId: StatementSync;
  readonly #byAlias: StatementSync;
  #ecosystems: readonly EcosystemSummary[] | undefined;

  constructor(path: string, db: DatabaseSync) {
    this.#path = path;
    this.#db = db;
    // One statement per ecosystem and batch, not per package: statement round trips dominated.
    // Withdrawn advisories have no lookup rows (builder.ts), so no join with advisories is needed.
    // Ordered by the primary key, which SQLite walks anyway (no sort step): each package's
    // candidates come sorted by advisory id.
    this.#byPackages = db.prepare(
      `SELECT package, advisory_id, entries_json FROM affected
       WHERE ecosystem = ? AND package IN (SELECT value FROM json_each(?))
       ORDER BY package, advisory_id`,
    );
    this.#byPackages.setReturnArrays(true);
    this.#summariesByIds = db.prepare(
      'SELECT summary_json FROM advisories WHERE id IN (SELECT value FROM json_each(?))',
    );
    this.#summariesByIds.setReturnArrays(true);
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

  // Stored entries were validated against osv-schema.ts and compacted at ingest (match-entry.ts).
  readonly #candidateCache = new CandidateCache();

  candidatesFor(
    ecosystem: string,
    packageNames: readonly string[],
  ): ReadonlyMap<string, readonly AffectedCandidate[]> {
    const candidates = new Map<string, StoredCandidate[]>();
    const stores = this.#matchingEcosystems(ecosystem);
    const add = (askedNames: readonly string[], found: readonly StoredCandidate[]): void => {
      if (found.length === 0) return;
      for (let index = 0; index < askedNames.length; index++) {
        const name = askedNames[index] as string;
        const list = candidates.get(name);
        if (list) for (let c = 0; c < found.length; c++) list.push(found[c] as StoredCandidate);
        else candidates.set(name, found.slice());
      }
    };
    for (const stored of stores) {
      // Several asked names may normalise to one stored name (PyPI `Zope_Interface`, `zope-interface`).
      const asked = new Map<string, string[]>();
      for (const name of packageNames) {
        const normalised = normalizePackageName(stored, name);
        const names = asked.get(normalised);
        if (names) names.push(name);
        else asked.set(normalised, [name]);
      }
      const uncached: string[] = [];
      for (const [normalised, askedNames] of asked) {
        const hit = this.#candidateCache.get(stored, normalised);
        if (hit) add(askedNames, hit);
        else uncached.push(normalised);
      }
      for (const batch of batches(uncached, lookupBatchSize)) {
        const found = new Map<string, { candidates: StoredCandidate[]; bytes: number }>();
        for (const name of batch) found.set(name, { candidates: [], bytes: 0 });
        const rows = this.#byPackages.all(stored, JSON.stringify(batch)) as unknown as [
          string,
          string,
          string,
        ][];
        // Indexed, without array destructuring: unoptimised code (a CLI matches once per process)
        // would allocate an iterator result per element.
        for (let index = 0; index < rows.length; index++) {
          const row = rows[index] as [string, string, string];
          const id = row[1];
          const entriesJson = row[2];
          const slot = found.get(row[0]);
          if (!slot) continue;
          slot.candidates.push({ id, entries: JSON.parse(entriesJson) as MatchEntry[] });
          slot.bytes += entriesJson.length;
        }
        for (const [name, slot] of found) {
          this.#candidateCache.set(stored, name, slot.candidates, slot.bytes);
          add(asked.get(name) ?? [], slot.candidates);
        }
      }
    }
    // With one stored ecosystem each list is already in id order (the statement's order); an
    // advisory naming the package in two matching stored ecosystems is one candidate.
    if (stores.length > 1) {
      for (const [name, list] of candidates) {
        list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        candidates.set(name, mergeSameIds(list));
      }
    }
    return candidates;
  }

  /** Parsed summaries by advisory id; bounded, oldest dropped first. */
  readonly #summaryCache = new Map<string, AdvisorySummary>();

  summariesOf(ids: Iterable<string>): ReadonlyMap<string, AdvisorySummary> {
    const summaries = new Map<string, AdvisorySummary>();
    const missing: string[] = [];
    for (const id of ids) {
      const cached = this.#summaryCache.get(id);
      if (cached) summaries.set(id, cached);
      else if (!summaries.has(id)) missing.push(id);
    }
    for (const batch of batches([...new Set(missing)], lookupBatchSize)) {
      const rows = this.#summariesByIds.all(JSON.stringify(batch)) as unknown as [string][];
      for (let index = 0; index < rows.length; index++) {
        const summary = JSON.parse((rows[index] as [string])[0]) as AdvisorySummary;
        summaries.set(summary.id, summary);
        if (this.#summaryCache.size >= summaryCacheSize) {
          const oldest = this.#summaryCache.keys().next().value;
          if (oldest !== undefined) this.#summaryCache.delete(oldest);
        }
        this.#summaryCache.set(summary.id, summary);
      }
    }
    return summaries;
  }

  recordsFor(ecosystem: string, packageName: string): readonly OsvRecord[] {
    const stored = this.#matchingEcosystems(ecosystem);
    const names = new Set(stored.map((name) => `${name}\u0000${normalizePackageName(name, packageName)}`));
    const records: OsvRecord[] = [];
    for (const { id } of this.candidatesFor(ecosystem, [packageName]).get(packageName) ?? []) {
      const record = this.recordById(id);
      if (!record) continue;
      const affected = (record.affected ?? []).filter((entry) =>
        names.has(
          `${entry.package.ecosystem}\u0000${normalizePackageName(entry.package.ecosystem, entry.package.name)}`,
        ),
      );
      records.push({ ...record, affected });
    }
    return records;
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
    version = storedSchemaVersion(db);
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
      `${path} has schema version ${version}; this Drydock reads ${schemaVersion}: rebuild it with \`drydock db update\` or \`drydock db import\``,
      {
        reason: 'database_schema',
        details: { path, version, expected: schemaVersion },
      },
    );
  }
  // Give the page cache room for the lookup tables (SQLite's default is 2 MB), and read the file
  // through a memory map: a process's first match then maps pages the kernel already holds instead
  // of copying each into a freshly allocated cache page, and overflow pages (long advisory details)
  // cost no system call each (figures at `databasePageSize`, schema.ts). The database is replaced by
  // renaming a new file over it (atomic-replace.ts), so a mapped file is never truncated under a reader.
  db.exec(`PRAGMA cache_size = -65536; PRAGMA mmap_size = ${mappedBytes};`);
  return new SqliteVulnerabilityDatabase(path, db);
}

/** True when a database file exists at `path`. */
export async function databaseExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
