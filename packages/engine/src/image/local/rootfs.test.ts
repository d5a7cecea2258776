import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rejectsWithCode } from '../../../../../test/harness/assert-error.ts';
import { readAll, tarEntries } from '../../../../../test/harness/layer-bytes.ts';
import { mediaTypes } from '../media-types.ts';
import { hostPlatform } from '../platform.ts';
import { openRootfs, rootfsMediaType } from './rootfs.ts';

const signal = new AbortController().signal;
const scratch = mkdtempSync(join(tmpdir(), 'drydock-rootfs-'));
const root = join(scratch, 'rootfs');
const longDir = `deep/${'x'.repeat(90)}/${'y'.repeat(90)}`;
let socketServer: Server | undefined;

before(async () => {
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, 'tmp'));
  mkdirSync(join(root, longDir), { recursive: true });
  chmodSync(join(root, 'tmp'), 0o1777);
  writeFileSync(join(root, 'etc/os-release'), 'ID=alpine\n');
  writeFileSync(join(root, 'bin/tool'), 'tool binary');
  chmodSync(join(root, 'bin/tool'), 0o4755);
  linkSync(join(root, 'bin/tool'), join(root, 'bin/zz-hardlink'));
  writeFileSync(join(root, 'bin/big'), Buffer.alloc(3 << 20, 9));
  writeFileSync(join(root, 'empty'), '');
  writeFileSync(join(root, longDir, 'file.txt'), 'deep');
  symlinkSync('/etc/passwd', join(root, 'etc/passwd-link'));
  symlinkSync('../../..', join(root, 'up'));
  symlinkSync('bin/tool', join(root, 'relative-link'));
  symlinkSync('/', join(root, 'root-link'));
  execFileSync('mkfifo', [join(root, 'fifo')]);
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer?.listen(join(root, 'socket'), resolve));
});
after(async () => {
  await new Promise((resolve) => socketServer?.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

async function layerBytes(platform = undefined): Promise<Buffer> {
  const image = await openRootfs(root).select(platform, signal);
  return readAll(await image.openLayer(0, signal));
}

describe('openRootfs', () => {
  it('describes a directory as a one-layer image with no content digests', async () => {
    const source = openRootfs(root);
    assert.deepEqual(await source.describe(signal), {
      kind: 'rootfs',
      name: root,
      digest: undefined,
      mediaType: rootfsMediaType,
      platforms: [],
    });
    const { metadata } = await source.select(undefined, signal);
    assert.equal(metadata.manifestDigest, undefined);
    assert.equal(metadata.configDigest, undefined);
    assert.deepEqual(metadata.platform, hostPlatform());
    assert.equal(metadata.layers.length, 1);
    const [layer] = metadata.layers;
    assert.equal(layer?.diffId, undefined);
    assert.match(layer?.digest ?? '', /^rootfs:[a-f0-9]{64}$/);
    assert.equal(layer?.mediaType, mediaTypes.ociLayer);
    assert.equal(layer?.size, -1);
    const arm = await source.select({ os: 'linux', architecture: 'arm64' }, signal);
    assert.equal(arm.metadata.config.architecture, 'arm64');
  });

  it('streams a tar that keeps links as links, never reads special files, and keeps modes', async () => {
    const entries = await tarEntries(await layerBytes());
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    assert.deepEqual(
      entries.map((entry) => entry.name),
      [...entries.map((entry) => entry.name)].sort(),
      'sorted',
    );
    assert.equal(byName.get('etc/passwd-link')?.type, 'symlink');
    assert.equal(byName.get('etc/passwd-link')?.linkname, '/etc/passwd');
    assert.equal(byName.get('etc/passwd-link')?.content.length, 0);
    assert.equal(byName.get('up')?.linkname, '../../..');
    assert.equal(byName.get('root-link')?.linkname, '/');
    assert.equal(byName.get('relative-link')?.type, 'symlink');
    assert.equal(byName.get('fifo')?.type, 'fifo');
    assert.equal(byName.get('fifo')?.size, 0);
    assert.equal(byName.has('socket'), false, 'sockets cannot be in a tar');
    assert.equal(byName.get('bin/tool')?.mode, 0o4755);
    assert.equal(byName.get('bin/tool')?.content.toString(), 'tool binary');
    assert.equal(byName.get('bin/zz-hardlink')?.type, 'link');
    assert.equal(byName.get('bin/zz-hardlink')?.linkname, 'bin/tool');
    assert.equal(byName.get('tmp/')?.type, 'directory');
    assert.equal(byName.get('tmp/')?.mode, 0o1777);
    assert.equal(byName.get('bin/big')?.content.length, 3 << 20);
    assert.equal(byName.get('empty')?.size, 0);
    assert.equal(byName.get(`${longDir}/file.txt`)?.content.toString(), 'deep');
    assert.ok(!entries.some((entry) => entry.name.startsWith('/') || entry.name.includes('..')));
  });

  it('gives the same bytes for an unchanged tree', async () => {
    assert.deepEqual(await layerBytes(), await layerBytes());
  });

  it('stops cleanly when the reader stops or the scan is aborted', async () => {
    const image = await openRootfs(root).select(undefined, signal);
    const early = await image.openLayer(0, signal);
    for await (const _chunk of early) break;
    assert.ok(early.destroyed);
    const controller = new AbortController();
    const aborted = await image.openLayer(0, controller.signal);
    controller.abort();
    await assert.rejects(readAll(aborted));
    await rejectsWithCode(image.openLayer(1, signal), 'internal_error');
  });

  it('fails for a missing directory or a file', async () => {
    await rejectsWithCode(openRootfs(join(scratch, 'absent')).describe(signal), 'not_found');
    await rejectsWithCode(
      openRootfs(join(root, 'etc/os-release')).select(undefined, signal),
      'invalid_reference',
      'not_a_directory',
    );
  });
});
