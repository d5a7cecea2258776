import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import initSqlJs from 'sql.js';
import type { DatabaseRead } from './database-read.ts';
import { packageFromBlob } from './rpm-package.ts';
import { readSqliteDb } from './sqlite-db.ts';
import { buildPackageBlob } from './test-fixtures.ts';

const vectors = join(import.meta.dirname, '../../../../../../shared/testvectors/rpmdb');
const mariner = readFileSync(join(vectors, 'db/cbl-mariner-2.0/rpmdb.sqlite'));

function namesOf(read: DatabaseRead): string[] {
  assert.ok(read.ok, read.ok ? '' : read.reason);
  return read.blobs.map((blob) => {
    const result = packageFromBlob(blob);
    return result.ok ? result.pkg.name : `! ${result.reason}`;
  });
}

/** An SQLite database made with sql.js from statements, as bytes. */
async function sqliteOf(
  ...statements: readonly (readonly [string, ...(Uint8Array | number | string)[]])[]
): Promise<Buffer> {
  const sql = await initSqlJs();
  const database = new sql.Database();
  try {
    for (const [statement, ...parameters] of statements) database.run(statement, parameters);
    return Buffer.from(database.export());
  } finally {
    database.close();
  }
}

const schema = [
  'CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)',
] as const;

describe('SQLite rpmdb reader', () => {
  it('reads the CBL-Mariner 2.0 database (WAL mode in its header)', async () => {
    assert.deepEqual([mariner[18], mariner[19]], [2, 2], 'the vector is a WAL-mode database');
    const names = namesOf(await readSqliteDb(mariner));
    assert.equal(names.length, 129);
    assert.ok(names.includes('curl'));
    assert.ok(names.every((name) => !name.startsWith('!')));
  });

  it('lists packages in hnum order, whatever the insertion order', async () => {
    const database = await sqliteOf(
      schema,
      ['INSERT INTO Packages (hnum, blob) VALUES (?, ?)', 7, buildPackageBlob({ name: 'seventh' })],
      ['INSERT INTO Packages (hnum, blob) VALUES (?, ?)', 2, buildPackageBlob({ name: 'second' })],
    );
    assert.deepEqual(namesOf(await readSqliteDb(database)), ['second', 'seventh']);
  });

  it('names a row without a blob and keeps the others', async () => {
    const database = await sqliteOf(
      ['CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob)'],
      ['INSERT INTO Packages VALUES (?, ?)', 1, 'not a blob'],
      ['INSERT INTO Packages VALUES (?, ?)', 2, buildPackageBlob({ name: 'kept' })],
    );
    const read = await readSqliteDb(database);
    assert.deepEqual(namesOf(read), ['kept']);
    assert.ok(read.ok);
    assert.deepEqual(read.problems, ['package 1 has no header blob']);
  });

  it('refuses empty, foreign and broken files with a reason', async () => {
    const noTable = await sqliteOf(['CREATE TABLE Other (a)']);
    const reasons = await Promise.all(
      [
        Buffer.alloc(0),
        Buffer.from('asdf\n'),
        Buffer.from('SQLite format 3'),
        Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4080, 0xff)]),
        noTable,
      ].map(async (content) => {
        const read = await readSqliteDb(content);
        assert.equal(read.ok, false);
        return read.ok ? '' : read.reason;
      }),
    );
    assert.equal(reasons[0], 'empty database file');
    assert.equal(reasons[1], 'not an SQLite database');
    assert.equal(reasons[2], 'not an SQLite database');
    assert.match(reasons[3] ?? '', /^SQLite: /);
    assert.equal(reasons[4], 'SQLite: no such table: Packages');
  });

  it('survives truncation and random damage (fast-check)', async () => {
    for (const cut of [100, 4096, 65536, 1 << 20]) {
      const read = await readSqliteDb(mariner.subarray(0, cut));
      if (read.ok) for (const blob of read.blobs) packageFromBlob(blob);
    }
    const database = await sqliteOf(
      schema,
      ['INSERT INTO Packages (blob) VALUES (?)', buildPackageBlob({ name: 'a', files: ['/usr/bin/a'] })],
      ['INSERT INTO Packages (blob) VALUES (?)', buildPackageBlob({ name: 'b', epoch: 3 })],
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(database.length - 1), value: fc.nat(255) }), {
          minLength: 1,
          maxLength: 8,
        }),
        async (writes) => {
          const copy = Buffer.from(database);
          for (const { at, value } of writes) copy[at] = value;
          const read = await readSqliteDb(copy);
          if (read.ok)
            for (const blob of read.blobs) assert.equal(typeof packageFromBlob(blob).ok, 'boolean');
        },
      ),
      { numRuns: 300 },
    );
  });
});
