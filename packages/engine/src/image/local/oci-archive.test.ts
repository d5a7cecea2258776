import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import type { ImageSource } from '../types.ts';
import { rejectsWithCode, streamFailsWith } from '../../../../../test/harness/assert-error.ts';
import { readAll } from '../../../../../test/harness/layer-bytes.ts';
import {
  buildOciImage,
  tarFromFiles,
  type BuiltImage,
  type FileSpec,
} from '../../../../../test/harness/oci-builder.ts';
import { ociArchive } from '../../../../../test/harness/skopeo.ts';
import { openOciArchive } from './oci-archive.ts';

const signal = new AbortController().signal;
const opened: ImageSource[] = [];
/** openOciArchive, closed after the tests (archives hold a file open until close). */
function open(...args: Parameters<typeof openOciArchive>): ImageSource {
  const source = openOciArchive(...args);
  opened.push(source);
  return source;
}
after(() => Promise.all(opened.map((source) => source.close())));
const scratch = mkdtempSync(join(tmpdir(), 'drydock-oci-archive-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const fresh = (name: string): string => join(scratch, `${counter++}-${name}`);

async function image(): Promise<{ layout: string; built: BuiltImage }> {
  const layout = fresh('layout');
  const built = await buildOciImage(layout, 'v1', {
    layers: [
      { files: [{ path: 'etc/os-release', content: 'ID=test\n' }], compression: 'gzip' },
      { files: [{ path: 'big', content: Buffer.alloc(300_000, 3) }], compression: 'none' },
    ],
  });
  return { layout, built };
}

/** Every file of a directory as file specs, for hand-made (hostile) archives. */
function filesOf(directory: string): FileSpec[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path: relative(directory, path), content: readFileSync(path) };
    });
}

describe('openOciArchive', () => {
  it('reads a tar of a layout in place, like the layout itself', async () => {
    const { layout, built } = await image();
    const file = fresh('image.tar');
    await ociArchive(layout, file);
    const source = open(file, 'v1');
    const description = await source.describe(signal);
    assert.equal(description.kind, 'oci-archive');
    assert.equal(description.digest, built.manifestDigest);
    const selected = await source.select(undefined, signal);
    assert.equal(selected.metadata.configDigest, built.configDigest);
    assert.deepEqual(selected.metadata.config.diffIds, built.diffIds);
    for (const [index, layer] of built.layers.entries()) {
      assert.deepEqual(await readAll(await selected.openLayer(index, signal)), layer.blob);
    }
    await source.close();
  });

  it('accepts ./-prefixed members (tar -C layout .)', async () => {
    const { layout, built } = await image();
    const file = fresh('dot.tar');
    execFileSync('tar', ['-C', layout, '-cf', file, '.']);
    const selected = await open(file).select(undefined, signal);
    assert.equal(selected.metadata.manifestDigest, built.manifestDigest);
  });

  it('rejects compressed archives unless given a scratch directory', async () => {
    const { layout, built } = await image();
    const file = fresh('plain.tar');
    await ociArchive(layout, file);
    const gzipped = fresh('image.tar.gz');
    writeFileSync(gzipped, gzipSync(readFileSync(file)));
    await rejectsWithCode(
      open(gzipped, 'v1').describe(signal),
      'unsupported_media_type',
      'compressed_archive',
    );
    const temp = fresh('tmp');
    mkdirSync(temp);
    const source = open(gzipped, 'v1', { decompressInto: temp });
    const selected = await source.select(undefined, signal);
    assert.equal(selected.metadata.manifestDigest, built.manifestDigest);
    assert.deepEqual(await readAll(await selected.openLayer(1, signal)), built.layers[1]?.blob);
    assert.equal(readdirSync(temp).length, 1);
    await source.close();
    assert.deepEqual(readdirSync(temp), [], 'close() removes the decompressed copy');
  });

  it('fails on missing, truncated and non-tar files', async () => {
    await rejectsWithCode(open(fresh('absent.tar')).describe(signal), 'not_found');
    const { layout } = await image();
    const file = fresh('truncated.tar');
    await ociArchive(layout, file);
    truncateSync(file, 200_000);
    await rejectsWithCode(open(file, 'v1').describe(signal), 'malformed_image', 'truncated_archive');
    const notTar = fresh('not.tar');
    writeFileSync(notTar, 'x'.repeat(2048));
    await rejectsWithCode(open(notTar).describe(signal), 'malformed_image', 'invalid_tar_header');
    const noIndex = fresh('no-index.tar');
    writeFileSync(
      noIndex,
      await tarFromFiles([{ path: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' }]),
    );
    await rejectsWithCode(open(noIndex).describe(signal), 'malformed_image', 'missing_index');
  });

  it('ignores members that climb out and never follows links out of the archive', async () => {
    const { layout, built } = await image();
    const layer = built.layers[0];
    assert.ok(layer);
    const layerMember = `blobs/sha256/${layer.digest.slice('sha256:'.length)}`;
    const files = filesOf(layout).filter((file) => file.path !== layerMember);
    const file = fresh('hostile.tar');
    writeFileSync(
      file,
      await tarFromFiles([
        ...files,
        { path: '../../../tmp/evil', content: 'evil' },
        { path: 'blobs/../../escape', content: 'evil' },
        { path: layerMember, type: 'symlink', linkTarget: '../../../../../../etc/passwd' },
      ]),
    );
    const selected = await open(file, 'v1').select(undefined, signal);
    await rejectsWithCode(selected.openLayer(0, signal), 'not_found', 'blob_not_found');
    assert.deepEqual(await readAll(await selected.openLayer(1, signal)), built.layers[1]?.blob);
  });

  it('catches members that lie about their digest', async () => {
    const { layout, built } = await image();
    const layer = built.layers[1];
    assert.ok(layer);
    const layerMember = `blobs/sha256/${layer.digest.slice('sha256:'.length)}`;
    const forged = Buffer.from(layer.blob);
    forged.writeUInt8(forged.readUInt8(1000) ^ 1, 1000);
    const files = filesOf(layout).map((spec) =>
      spec.path === layerMember ? { ...spec, content: forged } : spec,
    );
    const file = fresh('lying.tar');
    writeFileSync(file, await tarFromFiles(files));
    const selected = await open(file, 'v1').select(undefined, signal);
    await streamFailsWith(() => selected.openLayer(1, signal), 'download_failed', 'digest_mismatch');
  });
});
