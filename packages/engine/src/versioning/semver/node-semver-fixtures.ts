/**
 * Test support: npm/node-semver's fixture tables (`npm-semver/node-semver-fixtures.json` of the
 * shared version-compare vectors; layout in their README): rows exactly as upstream, keyed by
 * table name. Tests only.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { versionVectors } from '../vector-files.ts';

export type FixtureRow = readonly unknown[];
export type FixtureTables = Readonly<Record<string, readonly FixtureRow[]>>;

function isFixtureTables(value: unknown): value is FixtureTables {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (table) => Array.isArray(table) && table.every((row) => Array.isArray(row)),
  );
}

export function readNodeSemverFixtures(): FixtureTables {
  const document: unknown = JSON.parse(
    readFileSync(join(versionVectors, 'npm-semver', 'node-semver-fixtures.json'), 'utf8'),
  );
  assert.ok(isFixtureTables(document), 'node-semver-fixtures.json: an object of row lists');
  return document;
}

export function fixtureRows(fixtures: FixtureTables, table: string): readonly FixtureRow[] {
  const rows = fixtures[table];
  assert.ok(rows !== undefined && rows.length > 0, `fixture table ${table}`);
  return rows;
}

/** A row field that must be a string (a version). */
export function versionField(row: FixtureRow, index: number): string {
  const value = row[index];
  assert.equal(typeof value, 'string', `${JSON.stringify(row)}[${index}]`);
  return String(value);
}

/** Whether a row's options (`true`, `{"loose": true}`) ask for node-semver's loose parsing. */
export function isLoose(options: unknown): boolean {
  if (options === true) return true;
  return typeof options === 'object' && options !== null && 'loose' in options && options.loose === true;
}
