import { constants, type BigIntStats } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { addAbortSignal, Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { throwIfAborted } from './blob-store.ts';

/**
 * A root filesystem directory as one tar stream, synthesised on the fly (nothing is written to
 * disk). Format: POSIX ustar with PAX headers for long names
 * (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html), as tar-stream writes it.
 *
 * - The walk never follows symlinks: they are stored as symlinks with their target as written
 *   (`/etc/passwd`, `../../..`), and files are opened with O_NOFOLLOW.
 * - Fifos and devices are never opened: they become header-only entries (with device numbers);
 *   sockets, which tar cannot hold, are left out.
 * - Mode bits are kept whole (setuid, setgid, sticky), as are uid, gid and mtime (seconds).
 * - A regular file whose inode was already stored becomes a hardlink to the first path.
 * - Entries are in sorted order (parents before children), so an unchanged tree gives the same bytes.
 * - What cannot be read (a directory or file without permission, a file that vanished) is left out;
 *   a file that shrinks while read is padded with zeros so the tar stays valid.
 */
export function rootfsTar(root: string, signal: AbortSignal): Readable {
  const pack = tar.pack();
  const output = Readable.from(pack, { objectMode: false, highWaterMark: 1 << 20 });
  writeTree(pack, root, signal).then(
    () => pack.finalize(),
    (error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return addAbortSignal(signal, output);
}

const chunkSize = 1 << 20;

type HeaderArgument = Parameters<tar.Pack['entry']>[0];

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Linux `major()` / `minor()` of a device number. */
function deviceNumbers(rdev: bigint): { devmajor: number; devminor: number } {
  return {
    devmajor: Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn)),
    devminor: Number((rdev & 0xffn) | ((rdev >> 12n) & ~0xffn)),
  };
}

function headerOnly(pack: tar.Pack, header: HeaderArgument): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry(header, (error) => (error ? reject(error) : resolve()));
  });
}

function drained(sink: ReturnType<tar.Pack['entry']>): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      sink.off('drain', done);
      sink.off('close', done);
      resolve();
    };
    sink.on('drain', done);
    sink.on('close', done);
  });
}

/** Writes one regular file; false when it could not be opened (left out). */
async function writeFile(
  pack: tar.Pack,
  path: string,
  header: HeaderArgument,
  size: number,
  signal: AbortSignal,
): Promise<boolean> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(
    () => undefined,
  );
  if (!handle) return false;
  try {
    if (!(await handle.stat()).isFile()) return false;
    let sink: ReturnType<tar.Pack['entry']> | undefined;
    const finished = new Promise<void>((resolve, reject) => {
      sink = pack.entry({ ...header, type: 'file', size }, (error) => (error ? reject(error) : resolve()));
    });
    finished.catch(() => undefined); // awaited below; this only keeps an early exit from leaving it unhandled
    if (!sink) throw new Error('tar entry was not created');
    let position = 0;
    while (position < size) {
      throwIfAborted(signal);
      const chunk = Buffer.alloc(Math.min(chunkSize, size - position));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      // A file that shrank since lstat is padded with zeros; one that grew is cut at its lstat size.
      const data = bytesRead === 0 ? chunk : chunk.subarray(0, bytesRead);
      position += data.length;
      if (!sink.write(data)) await drained(sink);
      if (sink.destroyed) break;
    }
    sink.end(undefined);
    await finished;
    return true;
  } finally {
    await handle.close();
  }
}

async function writeTree(pack: tar.Pack, root: string, signal: AbortSignal): Promise<void> {
  const firstPathOfInode = new Map<string, string>();

  async function visit(directory: string, prefix: string): Promise<void> {
    const names = await readdir(directory).catch(() => undefined);
    if (!names) return;
    for (const name of names.sort(byName)) {
      throwIfAborted(signal);
      const path = join(directory, name);
      const relative = prefix === '' ? name : `${prefix}/${name}`;
      const stats: BigIntStats | undefined = await lstat(path, { bigint: true }).catch(() => undefined);
      if (!stats) continue;
      const header: HeaderArgument = {
        name: relative,
        mode: Number(stats.mode),
        uid: Number(stats.uid),
        gid: Number(stats.gid),
        mtime: new Date(Math.max(0, Number(stats.mtimeMs))),
      };
      if (stats.isDirectory()) {
        await headerOnly(pack, { ...header, name: `${relative}/`, type: 'directory' });
        await visit(path, relative);
      } else if (stats.isSymbolicLink()) {
        const target = await readlink(path).catch(() => undefined);
        if (target) await headerOnly(pack, { ...header, type: 'symlink', linkname: target });
      } else if (stats.isFile()) {
        const inode = `${stats.dev}:${stats.ino}`;
        const first = stats.nlink > 1n ? firstPathOfInode.get(inode) : undefined;
        if (first !== undefined) {
          await headerOnly(pack, { ...header, type: 'link', linkname: first });
        } else if ((await writeFile(pack, path, header, Number(stats.size), signal)) && stats.nlink > 1n) {
          firstPathOfInode.set(inode, relative);
        }
      } else if (stats.isFIFO()) {
        await headerOnly(pack, { ...header, type: 'fifo' });
      } else if (stats.isCharacterDevice() || stats.isBlockDevice()) {
        const type = stats.isCharacterDevice() ? 'character-device' : 'block-device';
        await headerOnly(pack, { ...header, type, ...deviceNumbers(stats.rdev) });
      }
      // Sockets (and anything else) have no tar representation: left out.
    }
  }

  await visit(root, '');
}
