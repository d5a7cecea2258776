import initSqlJs from 'sql.js';
import { unreadable, type DatabaseRead } from './database-read.ts';

const sqliteMagic = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Reads the header blobs of an rpm SQLite database (`rpmdb.sqlite`, rpm ≥ 4.16: RHEL 9, Fedora ≥ 33,
 * CBL-Mariner), whose schema rpm's lib/backend/sqlite.c defines: table `Packages(hnum INTEGER
 * PRIMARY KEY, blob BLOB)`, one header blob per row (file format: https://www.sqlite.org/fileformat.html).
 * The database is opened from memory with sql.js (SQLite compiled to WebAssembly), so nothing
 * touches the filesystem. rpm keeps the database in WAL mode; an image holds the checkpointed main
 * file (the `-wal` beside it is empty once rpm exits), and that main file is what is read here.
 * Blobs come in `hnum` order, as `rpm -qa` lists them.
 */
export async function readSqliteDb(content: Uint8Array): Promise<DatabaseRead> {
  if (content.length === 0) return unreadable('empty database file');
  if (content.length < sqliteMagic.length || !sqliteMagic.equals(content.subarray(0, sqliteMagic.length))) {
    return unreadable('not an SQLite database');
  }
  const sql = await initSqlJs();
  let database: InstanceType<typeof sql.Database> | undefined;
  try {
    database = new sql.Database(content);
    const statement = database.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum');
    const blobs: Uint8Array[] = [];
    const problems: string[] = [];
    try {
      while (statement.step()) {
        const [hnum, blob] = statement.get();
        if (blob instanceof Uint8Array) blobs.push(blob);
        else problems.push(`package ${String(hnum)} has no header blob`);
      }
    } finally {
      statement.free();
    }
    return { ok: true, blobs, problems };
  } catch (error) {
    return unreadable(`SQLite: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    database?.close();
  }
}
