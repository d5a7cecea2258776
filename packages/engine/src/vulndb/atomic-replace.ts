import { constants } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DrydockError } from '../util/errors.ts';

/**
 * How the database file is replaced without ever exposing a half-written one (POSIX rename(2) is
 * atomic within a file system): the new database is written to `<path>.tmp-<pid>` beside the
 * target, flushed to disk, then renamed over it. Readers keep the file they opened; a process that
 * dies mid-build leaves only its temporary file, which the next build removes. One build at a
 * time per database: `<path>.lock` holds the builder's pid (a lock whose process is gone is stale).
 */
export function temporaryPathFor(path: string, pid: number = process.pid): string {
  return `${path}.tmp-${pid}`;
}

let downloads = 0;

/** A file beside the database for one download (cleaned up like the temporary database). */
export function downloadPathFor(path: string): string {
  return `${temporaryPathFor(path)}-download-${++downloads}`;
}

function errnoCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

/** Removes temporary files (databases, downloads) left by processes that are no longer running. */
export async function removeStaleTemporaries(path: string): Promise<string[]> {
  const directory = dirname(path);
  const prefix = `${basename(path)}.tmp-`;
  const removed: string[] = [];
  for (const name of await readdir(directory)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    await rm(join(directory, name), { force: true });
    removed.push(name);
  }
  return removed;
}

export interface BuildLock {
  release(): Promise<void>;
}

/** Takes the build lock of the database at `path`, breaking a stale one. */
export async function acquireBuildLock(path: string): Promise<BuildLock> {
  await mkdir(dirname(path), { recursive: true });
  const lockPath = `${path}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(lockPath, { force: true }) };
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
      const holder = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
        throw new DrydockError(
          'internal_error',
          `the vulnerability database ${path} is being built by process ${holder}`,
          {
            reason: 'database_busy',
            details: { path, pid: holder },
          },
        );
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new DrydockError('internal_error', `could not lock the vulnerability database ${path}`, {
    reason: 'database_busy',
  });
}

/** Starts the temporary copy: a copy of the current database, or nothing (a new one). */
export async function startTemporary(path: string, copyCurrent: boolean): Promise<string> {
  const temporary = temporaryPathFor(path);
  await rm(temporary, { force: true });
  if (copyCurrent) await copyFile(path, temporary);
  return temporary;
}

/** Flushes the finished temporary file and renames it over the database. */
export async function commitTemporary(temporary: string, path: string): Promise<void> {
  const file = await open(temporary, 'r+');
  try {
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  const directory = await open(dirname(path), 'r').catch(() => undefined);
  if (directory) {
    await directory.sync().catch(() => undefined);
    await directory.close();
  }
}

export async function discardTemporary(temporary: string): Promise<void> {
  await rm(temporary, { force: true });
  await rm(`${temporary}-journal`, { force: true });
}
