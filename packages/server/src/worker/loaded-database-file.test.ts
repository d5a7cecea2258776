import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readlink, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { LoadedDatabaseFile } from './loaded-database-file.ts';

/**
 * The loaded database file serves the bytes it was opened on: a new file renamed over the path
 * (what `drydock db update` does) changes nothing until the service loads it.
 */

const sha256 = (content: string): string => createHash('sha256').update(content).digest('hex');

/** How many descriptors of this process are open on `path` (Linux: /proc/self/fd). */
async function openDescriptors(path: string): Promise<number> {
  const links = await Promise.all(
    (await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
  );
  return links.filter((link) => link === path).length;
}

describe('LoadedDatabaseFile', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drydock-loaded-db-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hashes and streams the file it opened, even after another is renamed over its path', async () => {
    const path = join(dir, 'vulndb.sqlite');
    const first = 'first database '.repeat(10_000);
    await writeFile(path, first);
    const file = LoadedDatabaseFile.open(path);
    assert.ok(file);
    assert.equal(file.size, Buffer.byteLength(first));

    await writeFile(`${path}.tmp`, 'second database');
    await rename(`${path}.tmp`, path);
    assert.equal(await file.sha256(), sha256(first));
    // Two readers at once, each from the start.
    const [one, two] = await Promise.all([text(file.createReadStream()), text(file.createReadStream())]);
    assert.equal(one, first);
    assert.equal(two, first);
    file.release();
  });

  it('closes only when released and the last reader has ended; refuses new readers after release', async () => {
    const path = join(dir, 'small.sqlite');
    await writeFile(path, 'abc');
    const file = LoadedDatabaseFile.open(path);
    assert.ok(file);
    assert.equal(await openDescriptors(path), 1);
    const reading: Readable = file.createReadStream();
    file.release();
    assert.throws(() => file.createReadStream());
    assert.equal(await openDescriptors(path), 1, 'open while a reader is left');
    // The stream opened before the release still reads the whole file.
    assert.equal(await text(reading), 'abc');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(await openDescriptors(path), 0);
  });

  it('is undefined for a file that cannot be opened', () => {
    assert.equal(LoadedDatabaseFile.open(join(dir, 'missing.sqlite')), undefined);
  });
});
