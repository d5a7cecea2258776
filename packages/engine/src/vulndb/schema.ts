import type { DatabaseSync } from 'node:sqlite';

/**
 * The vulnerability database's SQLite schema (DESIGN.md section 4). Narrow indexed tables for
 * lookups, the records' own JSON stored once per distinct content:
 * - `records(digest, json)`: each distinct record text once, keyed by its sha256.
 * - `advisories`: one row per advisory id, the record that wins among the feeds that carry it
 *   (latest `modified`), with the facts a reader filters or sorts on.
 * - `affected(ecosystem, package, advisory_id, entries_json)`: the lookup table; its primary key is
 *   the index on (ecosystem, package). Package names are normalised per ecosystem (package-name.ts).
 *   `entries_json` holds only that package's `affected` entries of the record, compacted for
 *   matching with their severity assessed at import (match-entry.ts), and the advisory's
 *   `summary_json` what a finding shows of the record: a lookup parses a few hundred bytes, not a
 *   record that lists hundreds of other packages (AlmaLinux module advisories do), and never scores
 *   a CVSS vector. Withdrawn advisories have no rows here: they are kept (advisories, records) but
 *   can never match. `advisories` is a rowid table: its rows carry the summary, and SQLite's
 *   WITHOUT ROWID layout is slow for wide rows.
 * - `aliases(alias, advisory_id)`: CVE and other ids the advisory is also known by.
 * - `feed_records(feed, advisory_id, record_digest, modified)`: which feed brought which record,
 *   so re-importing a feed replaces exactly what it brought before.
 * - `provenance`: one row per feed (source, fingerprint, ETag, counts, import time).
 * - `ecosystems`: the ecosystems present, with counts (status, and prefix lookups).
 * - `meta(key, value)`: `schema_version`, `built_at`.
 */
export const schemaVersion = 5;

export const schemaSql = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records (digest TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS advisories (
  id TEXT PRIMARY KEY,
  record_digest TEXT NOT NULL,
  modified TEXT NOT NULL,
  withdrawn TEXT,
  aliases_json TEXT NOT NULL,
  severity TEXT NOT NULL,
  cvss_score REAL,
  cvss_vector TEXT,
  summary_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS affected (
  ecosystem TEXT NOT NULL,
  package TEXT NOT NULL,
  advisory_id TEXT NOT NULL,
  entries_json TEXT NOT NULL,
  PRIMARY KEY (ecosystem, package, advisory_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS affected_by_advisory ON affected (advisory_id);
CREATE TABLE IF NOT EXISTS aliases (
  alias TEXT NOT NULL,
  advisory_id TEXT NOT NULL,
  PRIMARY KEY (alias, advisory_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS aliases_by_advisory ON aliases (advisory_id);
CREATE TABLE IF NOT EXISTS feed_records (
  feed TEXT NOT NULL,
  advisory_id TEXT NOT NULL,
  record_digest TEXT NOT NULL,
  modified TEXT NOT NULL,
  PRIMARY KEY (feed, advisory_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS feed_records_by_advisory ON feed_records (advisory_id);
CREATE INDEX IF NOT EXISTS feed_records_by_digest ON feed_records (record_digest);
CREATE TABLE IF NOT EXISTS provenance (
  feed TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  etag TEXT,
  records INTEGER NOT NULL,
  invalid INTEGER NOT NULL,
  withdrawn INTEGER NOT NULL,
  imported_at TEXT NOT NULL,
  invalid_examples_json TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ecosystems (
  ecosystem TEXT PRIMARY KEY,
  packages INTEGER NOT NULL,
  advisories INTEGER NOT NULL
) WITHOUT ROWID;
`;

/**
 * Bytes per database page. A match reads a few thousand rows scattered over the lookup and
 * advisory tables; with SQLite's default 4 KiB pages a process's first match read twice as many
 * pages, and the advisory rows with long details spilled into overflow pages that SQLite reads
 * with a system call each, bypassing its cache. 16 KiB pages with the reader's memory map took the
 * first match in a fresh process from ~190 to ~85 ms of SQLite time (bench:vulndb, bench/RESULTS.md
 * 2026-11-29 late morning); 64 KiB pages were no faster.
 */
export const databasePageSize = 16_384;

/**
 * Gives a database under construction `databasePageSize`. VACUUM applies a new page size: to an
 * empty file it costs nothing; a copied file of another page size is rewritten once (well under a
 * second for all of ../shared/vulndata), so databases built before this layout change on their next
 * update.
 */
export function useDatabasePageSize(db: DatabaseSync): void {
  if (Number(db.prepare('PRAGMA page_size').get()?.['page_size']) === databasePageSize) return;
  db.exec(`PRAGMA page_size = ${databasePageSize}; VACUUM;`);
}

/**
 * The schema version an open database file records in `meta` (0 when it records none). Throws
 * when the file has no `meta` table: it is no Drydock vulnerability database.
 */
export function storedSchemaVersion(db: DatabaseSync): number {
  return Number(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()?.['value'] ?? 0);
}
