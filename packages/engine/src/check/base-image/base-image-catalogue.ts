import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type SQLOutputValue, type StatementSync } from 'node:sqlite';
import { formatPlatform, parsePlatform, platformMatches } from '../../image/platform.ts';
import type { Platform } from '../../image/types.ts';
import { DrydockError } from '../../util/errors.ts';
import {
  baseImageOrigins,
  type BaseImageEntry,
  type BaseImageMatch,
  type BaseImageOrigin,
  type NewBaseImageEntry,
} from './base-image-entry.ts';
import { catalogueSchemaSql, catalogueSchemaVersion, matchSql } from './catalogue-schema.ts';
import { compareFindingCounts, findingSeverities, type FindingCounts } from './finding-counts.ts';
import { chainIds } from './layer-chain.ts';

export interface CatalogueOpenOptions {
  /** Create an empty catalogue when the file does not exist (default: answer `undefined`). */
  readonly create?: boolean;
  /** Open for lookups only (a scan): several processes may read while one writes. */
  readonly readOnly?: boolean;
}

type Row = Record<string, SQLOutputValue>;

/** A writer holds the file for milliseconds; readers and other writers wait this long for it. */
const busyTimeoutMs = 10_000;

/** OCI digest grammar (image spec, descriptor.md): `algorithm:encoded`. */
const digestPattern = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** os/arch/variant with arm64's default variant made explicit (as image/platform.ts compares). */
function platformKey(platform: Platform): string {
  const variant =
    platform.architecture === 'arm64' && (platform.variant === undefined || platform.variant === '')
      ? 'v8'
      : (platform.variant ?? '');
  return `${platform.os}/${platform.architecture}/${variant}`;
}

function unreadable(path: string, cause: unknown): DrydockError {
  return new DrydockError('analysis_failed', `the base-image catalogue ${path} is not readable`, {
    reason: 'base_image_catalogue_unreadable',
    cause,
    details: { path },
  });
}

function unwritable(path: string, cause: unknown): DrydockError {
  return new DrydockError('analysis_failed', `cannot write the base-image catalogue ${path}`, {
    reason: 'base_image_catalogue_unwritable',
    cause,
    details: { path },
  });
}

function invalidEntry(message: string, details: Record<string, unknown>): DrydockError {
  return new DrydockError('invalid_reference', `invalid base-image entry: ${message}`, {
    reason: 'base_image_entry_invalid',
    details,
  });
}

function requireText(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new Error(`column ${column} is not text`);
  return value;
}

function optionalText(row: Row, column: string): string | undefined {
  const value = row[column];
  return typeof value === 'string' ? value : undefined;
}

function requireInteger(row: Row, column: string): number {
  const value = row[column];
  const number = typeof value === 'bigint' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number))
    throw new Error(`column ${column} is not an integer`);
  return number;
}

function originOf(value: string): BaseImageOrigin {
  const origin = baseImageOrigins.find((candidate) => candidate === value);
  if (origin === undefined) throw new Error(`unknown origin ${value}`);
  return origin;
}

function diffIdsOf(row: Row): string[] {
  const parsed: unknown = JSON.parse(requireText(row, 'diff_ids'));
  if (!Array.isArray(parsed) || !parsed.every((item): item is string => typeof item === 'string'))
    throw new Error('diff_ids is not a list of strings');
  return parsed;
}

function entryOf(row: Row): BaseImageEntry {
  const family = optionalText(row, 'os_family');
  const id = optionalText(row, 'os_id');
  const findings: FindingCounts | undefined =
    row['critical'] === null
      ? undefined
      : {
          critical: requireInteger(row, 'critical'),
          high: requireInteger(row, 'high'),
          medium: requireInteger(row, 'medium'),
          low: requireInteger(row, 'low'),
          unknown: requireInteger(row, 'unknown'),
        };
  return {
    name: requireText(row, 'name'),
    tag: requireText(row, 'tag'),
    digest: requireText(row, 'digest'),
    platform: parsePlatform(requireText(row, 'platform')),
    diffIds: diffIdsOf(row),
    os:
      family === undefined || id === undefined
        ? undefined
        : { family, id, version: optionalText(row, 'os_version') },
    addedAt: new Date(requireInteger(row, 'added_at')).toISOString(),
    created: createdOf(row),
    addedBy: originOf(requireText(row, 'added_by')),
    findings,
  };
}

function createdOf(row: Row): string | undefined {
  const value = row['image_created'];
  return typeof value === 'number' ? new Date(value).toISOString() : undefined;
}

/** The image's build time in milliseconds, or null when unknown or unreadable (never an error: Docker writes odd dates). */
function createdTime(entry: NewBaseImageEntry): number | null {
  const time = entry.created === undefined ? Number.NaN : Date.parse(entry.created);
  return Number.isNaN(time) ? null : time;
}

/** Whether `other` is known to have been built before `entry`. */
function builtEarlier(other: BaseImageEntry, entry: BaseImageEntry): boolean {
  if (other.created === undefined || entry.created === undefined) return false;
  return Date.parse(other.created) < Date.parse(entry.created);
}

function validate(entry: NewBaseImageEntry): number {
  const details = { name: entry.name, tag: entry.tag };
  if (entry.name.trim() === '' || entry.tag.trim() === '')
    throw invalidEntry('name and tag are required', details);
  if (!digestPattern.test(entry.digest)) throw invalidEntry(`bad manifest digest ${entry.digest}`, details);
  if (entry.diffIds.length === 0) throw invalidEntry('an image without layers names no base', details);
  const badLayer = entry.diffIds.find((diffId) => !digestPattern.test(diffId));
  if (badLayer !== undefined) throw invalidEntry(`bad layer diff id ${badLayer}`, details);
  if (!baseImageOrigins.includes(entry.addedBy))
    throw invalidEntry(`unknown origin ${entry.addedBy}`, details);
  if (entry.findings !== undefined) {
    for (const severity of findingSeverities) {
      const count = entry.findings[severity];
      if (!Number.isInteger(count) || count < 0)
        throw invalidEntry(`bad ${severity} count ${count}`, details);
    }
  }
  const addedAt = entry.addedAt === undefined ? Date.now() : Date.parse(entry.addedAt);
  if (Number.isNaN(addedAt)) throw invalidEntry(`bad time ${entry.addedAt}`, details);
  return addedAt;
}

/**
 * Writes an empty catalogue beside the target and links it into place: link(2) fails when the
 * file exists, so two processes creating at once both end up with the same catalogue and nobody
 * ever opens a half-written schema.
 */
function createEmpty(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const db = new DatabaseSync(temporary);
    try {
      db.exec(catalogueSchemaSql);
      const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      meta.run('schema_version', String(catalogueSchemaVersion));
      meta.run('created_at', new Date().toISOString());
    } finally {
      db.close();
    }
    const file = openSync(temporary, 'r+');
    try {
      fsyncSync(file);
    } finally {
      closeSync(file);
    }
    try {
      linkSync(temporary, path);
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    }
  } finally {
    rmSync(temporary, { force: true });
    rmSync(`${temporary}-journal`, { force: true });
  }
}

/**
 * The catalogue of known base images (catalogue-schema.ts). Writes are transactions, so a reader
 * sees an entry whole or not at all; many readers and writers may share the file (SQLite's locks,
 * with a busy timeout). Every SQLite failure surfaces as a typed DrydockError.
 */
export class BaseImageCatalogue {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #match: StatementSync;

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.#db = db;
    this.#match = db.prepare(matchSql);
  }

  static open(path: string, options: CatalogueOpenOptions & { readonly create: true }): BaseImageCatalogue;
  static open(path: string, options?: CatalogueOpenOptions): BaseImageCatalogue | undefined;
  static open(path: string, options: CatalogueOpenOptions = {}): BaseImageCatalogue | undefined {
    if (!existsSync(path)) {
      if (!options.create) return undefined;
      try {
        createEmpty(path);
      } catch (error) {
        throw unwritable(path, error);
      }
    }
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path, { readOnly: options.readOnly ?? false, timeout: busyTimeoutMs });
    } catch (error) {
      throw unreadable(path, error);
    }
    try {
      const version = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get();
      if (version?.['value'] !== String(catalogueSchemaVersion)) {
        throw new DrydockError(
          'analysis_failed',
          `the base-image catalogue ${path} has another schema version`,
          {
            reason: 'base_image_catalogue_schema',
            details: { path, found: version?.['value'], expected: catalogueSchemaVersion },
          },
        );
      }
      return new BaseImageCatalogue(path, db);
    } catch (error) {
      db.close();
      if (error instanceof DrydockError) throw error;
      throw unreadable(path, error);
    }
  }

  /** Runs one read; a corrupt page or a broken row becomes a typed error. */
  #read<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      // Even a DrydockError here (parsePlatform's) means a broken row, not a bad argument.
      throw unreadable(this.path, error);
    }
  }

  /** Runs one write; a read-only catalogue, a full disk or a corrupt page becomes a typed error. */
  #write<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw unwritable(this.path, error);
    }
  }

  /** Adds an entry, replacing the one with the same name, tag and platform. */
  add(entry: NewBaseImageEntry): void {
    this.addAll([entry]);
  }

  /** Adds many entries in one transaction (one disk sync for a whole `library/*` listing). */
  addAll(entries: readonly NewBaseImageEntry[]): void {
    const times = entries.map(validate);
    this.#write(() => {
      const insert = this.#db.prepare(
        `INSERT OR REPLACE INTO entries (name, tag, digest, platform, platform_key, diff_ids, layer_count,
           chain_id, os_family, os_id, os_version, added_at, image_created, added_by, critical, high, medium, low, unknown)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        entries.forEach((entry, index) => {
          const counts: SQLInputValue[] = findingSeverities.map(
            (severity) => entry.findings?.[severity] ?? null,
          );
          insert.run(
            entry.name,
            entry.tag,
            entry.digest,
            formatPlatform(entry.platform),
            platformKey(entry.platform),
            JSON.stringify(entry.diffIds),
            entry.diffIds.length,
            chainIds(entry.diffIds).at(-1) ?? '',
            entry.os?.family ?? null,
            entry.os?.id ?? null,
            entry.os?.version ?? null,
            times[index] ?? Date.now(),
            createdTime(entry),
            entry.addedBy,
            ...counts,
          );
        });
        this.#db.exec('COMMIT');
      } catch (error) {
        this.#db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /** Removes every platform of `name:tag`, or every tag of `name`; returns how many entries went. */
  remove(name: string, tag?: string): number {
    return this.#write(() => {
      const result =
        tag === undefined
          ? this.#db.prepare('DELETE FROM entries WHERE name = ?').run(name)
          : this.#db.prepare('DELETE FROM entries WHERE name = ? AND tag = ?').run(name, tag);
      return Number(result.changes);
    });
  }

  /** Every entry, by name, tag and platform. */
  list(): BaseImageEntry[] {
    return this.#read(() =>
      this.#db.prepare('SELECT * FROM entries ORDER BY name, tag, platform').all().map(entryOf),
    );
  }

  /**
   * The entry whose layers are the image's first layers: the one with most layers, then the most
   * recently added. An entry may cover all the image's layers; one with more layers never matches.
   * With a platform, only entries of that platform count (no variant asked: any variant).
   */
  match(diffIds: readonly string[], platform?: Platform): BaseImageMatch | undefined {
    if (diffIds.length === 0) return undefined;
    return this.#read(() => {
      for (const row of this.#match.iterate(JSON.stringify(chainIds(diffIds)))) {
        const entry = entryOf(row);
        if (platform !== undefined && !platformMatches(entry.platform, platform)) continue;
        // Chain ids make a false match astronomically unlikely; comparing costs little and
        // protects against a hand-edited file.
        if (!entry.diffIds.every((diffId, index) => diffIds[index] === diffId)) continue;
        return {
          entry,
          layerCount: entry.diffIds.length,
          wholeImage: entry.diffIds.length === diffIds.length,
        };
      }
      return undefined;
    });
  }

  /**
   * Newer tags of the matched repository and platform whose catalogued findings are fewer than
   * `currentCounts` (critical first, then high, ...), best first, newest first among equals.
   * Newer means built later (the image configuration's `created`); when either build time is
   * unknown the tag is kept, since nothing says it is older. Tags of the same manifest digest are
   * the same image and never suggested; entries catalogued without findings cannot be compared.
   */
  betterTags(match: BaseImageMatch, currentCounts: FindingCounts): BaseImageEntry[] {
    const { entry } = match;
    return this.#read(() =>
      this.#db
        .prepare(
          `SELECT * FROM entries
           WHERE name = ? AND platform_key = ? AND tag <> ? AND digest <> ? AND critical IS NOT NULL`,
        )
        .all(entry.name, platformKey(entry.platform), entry.tag, entry.digest)
        .map(entryOf)
        .filter(
          (other) =>
            other.findings !== undefined &&
            compareFindingCounts(other.findings, currentCounts) < 0 &&
            !builtEarlier(other, entry),
        )
        .sort(
          (a, b) =>
            compareFindingCounts(a.findings ?? currentCounts, b.findings ?? currentCounts) ||
            b.addedAt.localeCompare(a.addedAt),
        ),
    );
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
