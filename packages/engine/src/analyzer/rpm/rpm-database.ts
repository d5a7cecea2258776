import { readBerkeleyDb } from './berkeley-db.ts';
import { unreadable, type DatabaseRead } from './database-read.ts';
import { readNdb } from './ndb.ts';
import { readSqliteDb } from './sqlite-db.ts';

export type RpmDatabaseFormat = 'sqlite' | 'bdb' | 'ndb';

/** The format of an rpm package database, told by its magic number, not by its file name. */
export function databaseFormatOf(content: Uint8Array): RpmDatabaseFormat | undefined {
  if (Buffer.from(content.subarray(0, 16)).toString('latin1') === 'SQLite format 3\0') return 'sqlite';
  if (Buffer.from(content.subarray(0, 4)).toString('latin1') === 'RpmP') return 'ndb';
  if (content.length >= 16) {
    const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
    if (view.getUint32(12, true) === 0x061561 || view.getUint32(12, false) === 0x061561) return 'bdb';
  }
  return undefined;
}

/** Reads the header blobs of an rpm package database in any of its three formats. */
export async function readRpmDatabase(content: Uint8Array): Promise<DatabaseRead> {
  if (content.length === 0) return unreadable('empty database file');
  const format = databaseFormatOf(content);
  switch (format) {
    case 'sqlite':
      return readSqliteDb(content);
    case 'bdb':
      return readBerkeleyDb(content);
    case 'ndb':
      return readNdb(content);
    case undefined:
      return unreadable('not an rpm database (no SQLite, Berkeley DB hash or ndb magic)');
  }
}
