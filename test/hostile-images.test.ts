/**
 * Hostile images through the whole command: entries that try to climb out of the root, links
 * that point outside it, link loops, a decompression bomb. Each ends in a correct, clamped result
 * (with diagnostics) or its typed failure, quickly, and nothing is written anywhere.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { pack } from 'tar-stream';
import type { ScanReport } from '@drydock/engine';
import { runDrydock } from './harness/drydock-cli.ts';
import { readAll } from './harness/layer-bytes.ts';
import { writeOciImage } from './harness/oci-builder.ts';
import { writeOciImageWithBlob } from './harness/raw-layer.ts';

interface RawEntry {
  readonly name: string;
  readonly type?: 'file' | 'symlink' | 'link' | 'directory';
  readonly linkname?: string;
  readonly content?: string;
}

/** A tar written entry by entry with the names exactly as given (no normalisation by the builder). */
async function rawTar(entries: readonly RawEntry[]): Promise<Buffer> {
  const archive = pack();
  const bytes = readAll(Readable.from(archive));
  for (const entry of entries) {
    const header = {
      name: entry.name,
      type: entry.type ?? 'file',
      mode: 0o644,
      mtime: new Date(0),
      ...(entry.linkname ? { linkname: entry.linkname } : {}),
    };
    await new Promise<void>((resolve, reject) =>
      archive.entry(header, entry.content ?? '', (error) => (error ? reject(error) : resolve())),
    );
  }
  archive.finalize();
  return bytes;
}

let work: string;
const marker = `drydock-pwned-${process.pid}-${Date.now()}`;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-hostile-'));
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

async function scan(layout: string, tag: string) {
  return runDrydock(['image', '--format', 'json', `oci:${layout}:${tag}`], { timeoutMs: 60_000 });
}

describe('hostile images', () => {
  it('clamps escaping names and links inside the root, reports them, and writes nothing', async () => {
    const layout = join(work, 'escape');
    const before = new Set(await readdir(tmpdir()));
    const tar = await rawTar([
      { name: `../../../../../../tmp/${marker}-traversal`, content: 'x' },
      { name: `/tmp/${marker}-absolute`, content: 'y' },
      { name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.1\n' },
      { name: 'etc/escape-link', type: 'symlink', linkname: '../../../../../../etc/shadow' },
      { name: 'etc/absolute-link', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'etc/hard-escape', type: 'link', linkname: '../../../../etc/passwd' },
      { name: 'loop/a', type: 'symlink', linkname: 'b' },
      { name: 'loop/b', type: 'symlink', linkname: 'a' },
    ]);
    await writeOciImage(layout, 'v1', { layers: [{ tar, compression: 'gzip' }] });
    const result = await scan(layout, 'v1');
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as ScanReport;
    const image = report.images[0];
    assert.ok(image);
    assert.equal(image.os?.version, '3.19.1');
    const codes = new Set(image.diagnostics.map((entry) => entry.code));
    assert.ok(codes.has('path_traversal'), JSON.stringify(image.diagnostics));
    assert.ok(codes.has('absolute_path'), JSON.stringify(image.diagnostics));
    const paths = image.files.largest.map((file) => file.path);
    assert.ok(
      paths.includes(`tmp/${marker}-traversal`),
      `the climbing entry lands inside the root: ${paths.join(', ')}`,
    );
    assert.ok(!existsSync(`/tmp/${marker}-traversal`) && !existsSync(`/tmp/${marker}-absolute`));
    const after = await readdir(tmpdir());
    assert.deepEqual(
      after.filter((name) => name.includes(marker) && !before.has(name)),
      [],
    );
  });

  it('stops a decompression bomb with layer_too_large and exit status 2', async () => {
    const layout = join(work, 'bomb');
    // A tar header for one 3 GiB file of zeros, then the zeros: gzip shrinks them about 1000 times.
    const header = Buffer.alloc(512);
    header.write('zeros', 0);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${(3 * 1024 ** 3).toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('0', 156);
    header.write('ustar\u000000', 257);
    header.fill(' ', 148, 156);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    const zeros = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const member = gzipSync(header, { level: 9 });
    // Concatenated gzip members are one valid gzip stream: 48 × 64 MiB of zeros after the header.
    const blob = Buffer.concat([member, ...Array.from({ length: 48 }, () => zeros)]);
    await writeOciImageWithBlob(layout, 'bomb', blob, 'application/vnd.oci.image.layer.v1.tar+gzip');
    const started = Date.now();
    const result = await scan(layout, 'bomb');
    assert.equal(result.code, 2, result.stdout.slice(0, 200));
    assert.match(result.stderr, /\[layer_too_large \(compression_ratio\)\]/);
    assert.ok(Date.now() - started < 30_000);
  });
});
