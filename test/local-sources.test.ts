/**
 * Local image sources against real images: one image built by the harness (three layers: gzip,
 * zstd, plain; a symlink, a hardlink, a setuid file, a whiteout) read as an OCI layout, as an OCI
 * archive (ours and skopeo's), as the docker-archive skopeo writes from it, and as skopeo's Docker schema 2 copy. All
 * must give the same config, the same diff ids, and layer bytes that decompress to those diff ids.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  openDockerArchive,
  openOciArchive,
  openOciLayout,
  openRootfs,
} from '../packages/engine/src/image/local/index.ts';
import { mediaTypes } from '../packages/engine/src/image/media-types.ts';
import type { ImageMetadata, ImageSource } from '../packages/engine/src/image/types.ts';
import { rejectsWithCode, streamFailsWith } from './harness/assert-error.ts';
import { decompress, readAll, sha256Of, tarEntries } from './harness/layer-bytes.ts';
import {
  buildOciImage,
  tarFromFiles,
  writeOciIndex,
  type BuiltImage,
  type ImageSpec,
} from './harness/oci-builder.ts';
import {
  copyLayout,
  copyLayoutAsV2s2,
  ociArchive,
  writeDockerArchive,
  writeSkopeoOciArchive,
} from './harness/skopeo.ts';

const signal = new AbortController().signal;
const work = mkdtempSync(join(tmpdir(), 'drydock-local-sources-'));
const opened: ImageSource[] = [];
function track(source: ImageSource): ImageSource {
  opened.push(source);
  return source;
}

const layout = join(work, 'layout');
const ociArchiveFile = join(work, 'image.oci.tar');
const dockerArchiveFile = join(work, 'image.docker.tar');
const v2s2Layout = join(work, 'layout-v2s2');
const skopeoArchiveFile = join(work, 'image.skopeo-oci.tar');
let built: BuiltImage;

function imageSpec(architecture: string, variant?: string): ImageSpec {
  const onDisk = join(work, `rootfs-${architecture}`);
  if (!existsSync(onDisk)) {
    mkdirSync(join(onDisk, 'usr/share/doc/tool'), { recursive: true });
    writeFileSync(join(onDisk, 'usr/share/doc/tool/copyright'), `licence for ${architecture}\n`);
    symlinkSync('../../share/doc', join(onDisk, 'usr/share/doc-link'));
    writeFileSync(join(onDisk, 'var-marker'), 'x');
  }
  return {
    architecture,
    ...(variant ? { variant } : {}),
    layers: [
      {
        compression: 'gzip',
        createdBy: 'ADD base.tar /',
        files: [
          { path: 'etc', type: 'dir' },
          { path: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.1\n' },
          { path: 'bin', type: 'dir' },
          { path: 'bin/tool', content: `tool for ${architecture}`, mode: 0o4755 },
          { path: 'bin/sh', type: 'symlink', linkTarget: '/bin/tool' },
          { path: 'bin/tool-again', type: 'hardlink', linkTarget: 'bin/tool' },
          { path: 'var/lib/cache/data', content: 'cached' },
        ],
      },
      { compression: 'zstd', createdBy: 'COPY docs /', directory: onDisk },
      {
        compression: 'none',
        createdBy: 'RUN rm -rf /var/lib/cache',
        files: [{ path: 'var/lib/.wh.cache', content: '' }],
      },
    ],
    config: {
      env: ['PATH=/usr/bin:/bin'],
      cmd: ['/bin/sh'],
      user: '1000',
      exposedPorts: ['8080/tcp'],
      labels: { a: 'b' },
    },
  };
}

before(async () => {
  built = await buildOciImage(layout, 'v1', imageSpec('amd64'));
  await ociArchive(layout, ociArchiveFile);
  await writeDockerArchive(layout, 'v1', dockerArchiveFile, 'test/saved:v1');
  await copyLayoutAsV2s2(layout, 'v1', v2s2Layout, 'v1');
  await writeSkopeoOciArchive(layout, 'v1', skopeoArchiveFile);
});
after(async () => {
  await Promise.all(opened.map((source) => source.close()));
  rmSync(work, { recursive: true, force: true });
});

/** Decompressed bytes of every layer; each must hash to its diff id. */
async function decompressedLayers(
  source: ImageSource,
): Promise<{ metadata: ImageMetadata; layers: Buffer[] }> {
  const image = await source.select(undefined, signal);
  const layers: Buffer[] = [];
  for (const layer of image.metadata.layers) {
    const bytes = decompress(await readAll(await image.openLayer(layer.index, signal)));
    assert.equal(sha256Of(bytes), layer.diffId, `layer ${layer.index} of ${image.metadata.name}`);
    layers.push(bytes);
  }
  return { metadata: image.metadata, layers };
}

describe('one image, five local forms', () => {
  it('all give the same config, diff ids and layer contents', async () => {
    const forms = {
      layout: track(openOciLayout(layout, 'v1')),
      ociArchive: track(openOciArchive(ociArchiveFile, 'v1')),
      dockerArchive: track(openDockerArchive(dockerArchiveFile, 'test/saved:v1')),
      v2s2: track(openOciLayout(v2s2Layout, 'v1')),
      skopeoOciArchive: track(openOciArchive(skopeoArchiveFile, 'v1')),
    };
    const results = Object.fromEntries(
      await Promise.all(
        Object.entries(forms).map(
          async ([name, source]) => [name, await decompressedLayers(source)] as const,
        ),
      ),
    );
    for (const [name, result] of Object.entries(results)) {
      assert.deepEqual(result.metadata.config, results['layout']?.metadata.config, name);
      assert.deepEqual(result.metadata.config.diffIds, built.diffIds, name);
      assert.equal(result.metadata.configDigest, built.configDigest, name);
      assert.deepEqual(
        result.layers,
        built.layers.map((layer) => layer.tar),
        name,
      );
      assert.deepEqual(result.metadata.platform, { os: 'linux', architecture: 'amd64' }, name);
      assert.deepEqual(
        result.metadata.layers.map((layer) => layer.createdBy),
        ['ADD base.tar /', 'COPY docs /', 'RUN rm -rf /var/lib/cache'],
        name,
      );
    }
    assert.equal(results['layout']?.metadata.manifestDigest, built.manifestDigest);
    assert.equal(results['ociArchive']?.metadata.manifestDigest, built.manifestDigest);
    assert.equal(
      results['dockerArchive']?.metadata.manifestDigest,
      undefined,
      'a docker-archive keeps no manifest',
    );
    assert.deepEqual(results['dockerArchive']?.metadata.repoTags, ['docker.io/test/saved:v1']);
    assert.equal(results['v2s2']?.metadata.manifestMediaType, mediaTypes.dockerManifest);
    assert.deepEqual(
      results['layout']?.metadata.layers.map((layer) => layer.mediaType),
      [mediaTypes.ociLayerGzip, mediaTypes.ociLayerZstd, mediaTypes.ociLayer],
    );
  });

  it('keeps the special entries of each layer', async () => {
    const image = await track(openOciArchive(ociArchiveFile, 'v1')).select(undefined, signal);
    const [base, docs, removal] = await Promise.all(
      [0, 1, 2].map(async (index) =>
        tarEntries(decompress(await readAll(await image.openLayer(index, signal)))),
      ),
    );
    const byName = new Map(base?.map((entry) => [entry.name, entry]));
    assert.equal(byName.get('bin/tool')?.mode, 0o4755);
    assert.equal(byName.get('bin/sh')?.type, 'symlink');
    assert.equal(byName.get('bin/sh')?.linkname, '/bin/tool');
    assert.equal(byName.get('bin/tool-again')?.type, 'link');
    assert.ok(
      docs?.some((entry) => entry.name === './usr/share/doc-link' && entry.linkname === '../../share/doc'),
    );
    assert.deepEqual(
      removal?.map((entry) => entry.name),
      ['var/lib/.wh.cache'],
    );
  });

  it('builds deterministically', async () => {
    const again = await buildOciImage(join(work, 'layout-again'), 'v1', imageSpec('amd64'));
    assert.equal(again.manifestDigest, built.manifestDigest);
    assert.deepEqual(
      again.layers.map((layer) => layer.digest),
      built.layers.map((layer) => layer.digest),
    );
  });
});

describe('multi-architecture index', () => {
  it('lists both platforms and selects each, in the layout, its archive and skopeo’s --all copy', async () => {
    const multi = join(work, 'multi');
    const amd = await buildOciImage(multi, undefined, imageSpec('amd64'));
    const arm = await buildOciImage(multi, undefined, imageSpec('arm64', 'v8'));
    const index = await writeOciIndex(multi, 'multi', [amd.descriptor, arm.descriptor]);
    const archive = join(work, 'multi.tar');
    await ociArchive(multi, archive);
    const copied = join(work, 'multi-copy');
    await copyLayout(multi, 'multi', copied, 'multi', { all: true });

    const sources = [
      { source: track(openOciLayout(multi, 'multi')), sameBlobs: true },
      { source: track(openOciArchive(archive, 'multi')), sameBlobs: true },
      // skopeo compresses the plain layer on its way into a layout: new manifests, same configs.
      { source: track(openOciLayout(copied, 'multi')), sameBlobs: false },
    ];
    for (const { source, sameBlobs } of sources) {
      const description = await source.describe(signal);
      if (sameBlobs) assert.equal(description.digest, index.digest);
      assert.equal(description.mediaType, mediaTypes.ociIndex);
      assert.deepEqual(
        description.platforms.map((entry) => entry.platform),
        [
          { os: 'linux', architecture: 'amd64' },
          { os: 'linux', architecture: 'arm64', variant: 'v8' },
        ],
      );
      const armImage = await source.select({ os: 'linux', architecture: 'arm64', variant: 'v8' }, signal);
      if (sameBlobs) assert.equal(armImage.metadata.manifestDigest, arm.manifestDigest);
      assert.equal(armImage.metadata.configDigest, arm.configDigest);
      assert.deepEqual(armImage.metadata.config.diffIds, arm.diffIds);
      const amdImage = await source.select({ os: 'linux', architecture: 'amd64' }, signal);
      assert.equal(amdImage.metadata.configDigest, amd.configDigest);
      await rejectsWithCode(
        source.select({ os: 'linux', architecture: 'riscv64' }, signal),
        'not_found',
        'platform_not_found',
      );
    }
  });
});

describe('root filesystem directory', () => {
  it('keeps symlinks (also those pointing outside) as symlinks, skips fifo data, keeps setuid', async () => {
    const root = join(work, 'rootfs-dir');
    mkdirSync(join(root, 'usr/bin'), { recursive: true });
    writeFileSync(join(root, 'usr/bin/su'), 'su');
    chmodSync(join(root, 'usr/bin/su'), 0o4755);
    symlinkSync('/etc/passwd', join(root, 'passwd'));
    symlinkSync('../../..', join(root, 'usr/bin/escape'));
    execFileSync('mkfifo', [join(root, 'pipe')]);
    const image = await track(openRootfs(root)).select(undefined, signal);
    const entries = await tarEntries(await readAll(await image.openLayer(0, signal)));
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    assert.deepEqual(
      [byName.get('passwd')?.type, byName.get('passwd')?.linkname, byName.get('passwd')?.size],
      ['symlink', '/etc/passwd', 0],
    );
    assert.equal(byName.get('usr/bin/escape')?.linkname, '../../..');
    assert.equal(byName.get('pipe')?.type, 'fifo');
    assert.equal(byName.get('usr/bin/su')?.mode, 0o4755);
    assert.equal(image.metadata.layers[0]?.diffId, undefined);
  });
});

describe('bad input', () => {
  it('layout: missing index.json, unknown tag, missing or lying blobs', async () => {
    const dir = join(work, 'bad-layout');
    const image = await buildOciImage(dir, 'v1', imageSpec('bad'));
    await rejectsWithCode(track(openOciLayout(dir, 'nope')).describe(signal), 'not_found', 'tag_not_found');
    const layer = image.layers[0];
    assert.ok(layer);
    const blob = join(dir, 'blobs/sha256', layer.digest.slice('sha256:'.length));
    const selected = await track(openOciLayout(dir, 'v1')).select(undefined, signal);
    writeFileSync(blob, Buffer.alloc(layer.size, 1));
    await streamFailsWith(() => selected.openLayer(0, signal), 'download_failed', 'digest_mismatch');
    unlinkSync(blob);
    await rejectsWithCode(selected.openLayer(0, signal), 'not_found', 'blob_not_found');
    unlinkSync(join(dir, 'index.json'));
    await rejectsWithCode(
      track(openOciLayout(dir, 'v1')).describe(signal),
      'malformed_image',
      'missing_index',
    );
  });

  it('archives: truncated files and member names that climb out', async () => {
    const truncated = join(work, 'truncated.docker.tar');
    writeFileSync(truncated, readFileSync(dockerArchiveFile));
    truncateSync(truncated, 3000);
    await rejectsWithCode(
      track(openDockerArchive(truncated)).describe(signal),
      'malformed_image',
      'truncated_archive',
    );
    const truncatedOci = join(work, 'truncated.oci.tar');
    writeFileSync(truncatedOci, readFileSync(ociArchiveFile).subarray(0, 4000));
    await rejectsWithCode(
      track(openOciArchive(truncatedOci, 'v1')).describe(signal),
      'malformed_image',
      'truncated_archive',
    );

    const hostile = join(work, 'hostile.docker.tar');
    writeFileSync(
      hostile,
      await tarFromFiles([
        {
          path: 'manifest.json',
          content: JSON.stringify([{ Config: '../../../etc/passwd', RepoTags: ['x:1'], Layers: [] }]),
        },
        { path: '../../../etc/passwd', content: '{"rootfs":{"type":"layers","diff_ids":[]}}' },
      ]),
    );
    await rejectsWithCode(track(openDockerArchive(hostile)).describe(signal), 'not_found', 'blob_not_found');
  });
});
