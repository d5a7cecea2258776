import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { rejectsWithCode, streamFailsWith } from '../../../../../test/harness/assert-error.ts';
import { readAll } from '../../../../../test/harness/layer-bytes.ts';
import {
  buildOciImage,
  writeBlob,
  writeOciImage,
  writeOciIndex,
  type BuiltImage,
  type ImageSpec,
} from '../../../../../test/harness/oci-builder.ts';
import { mediaTypes } from '../media-types.ts';
import { openOciLayout } from './oci-layout.ts';

const signal = new AbortController().signal;
const scratch = mkdtempSync(join(tmpdir(), 'drydock-oci-layout-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const freshDir = (): string => join(scratch, `layout-${counter++}`);

const spec: ImageSpec = {
  architecture: 'arm64',
  variant: 'v8',
  layers: [
    {
      files: [{ path: 'etc/os-release', content: 'ID=test\n' }],
      compression: 'gzip',
      createdBy: 'ADD rootfs /',
    },
    {
      files: [{ path: 'app/run', content: '#!/bin/sh\n', mode: 0o755 }],
      compression: 'zstd',
      createdBy: 'COPY run /app/',
    },
  ],
  config: {
    user: 'app',
    env: ['A=1'],
    cmd: ['/app/run'],
    exposedPorts: ['8080/tcp'],
    labels: { team: 'x' },
    healthcheck: ['CMD', '/app/run', '--health'],
  },
  history: [
    { createdBy: 'ADD rootfs /' },
    { createdBy: 'ENV A=1', emptyLayer: true },
    { createdBy: 'COPY run /app/' },
  ],
};

async function layoutWith(tag: string | undefined = 'v1'): Promise<{ dir: string; image: BuiltImage }> {
  const dir = freshDir();
  return { dir, image: await buildOciImage(dir, tag, spec) };
}

function blobFile(dir: string, digest: string): string {
  return join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

describe('openOciLayout', () => {
  it('resolves a tag to the image a registry would describe', async () => {
    const { dir, image } = await layoutWith();
    const source = openOciLayout(dir, 'v1');
    const description = await source.describe(signal);
    assert.deepEqual(description, {
      kind: 'oci-layout',
      name: `oci:${dir}:v1`,
      digest: image.manifestDigest,
      mediaType: mediaTypes.ociManifest,
      platforms: [],
    });
    const { metadata } = await source.select(undefined, signal);
    assert.equal(metadata.manifestDigest, image.manifestDigest);
    assert.equal(metadata.configDigest, image.configDigest);
    assert.deepEqual(metadata.platform, { os: 'linux', architecture: 'arm64', variant: 'v8' });
    assert.deepEqual(metadata.repoTags, ['v1']);
    assert.deepEqual(
      metadata.layers.map((layer) => [
        layer.digest,
        layer.diffId,
        layer.mediaType,
        layer.size,
        layer.createdBy,
      ]),
      image.layers.map((layer) => [layer.digest, layer.diffId, layer.mediaType, layer.size, layer.createdBy]),
    );
    assert.equal(metadata.config.user, 'app');
    assert.deepEqual(metadata.config.exposedPorts, ['8080/tcp']);
    assert.deepEqual(metadata.config.healthcheck, { test: ['CMD', '/app/run', '--health'] });
    assert.deepEqual(metadata.config.labels, { team: 'x' });
    assert.deepEqual(
      metadata.config.history.map((entry) => entry.emptyLayer),
      [false, true, false],
    );
    await source.close();
  });

  it('streams layers exactly as stored', async () => {
    const { dir, image } = await layoutWith();
    const source = openOciLayout(dir, 'v1');
    const selected = await source.select(undefined, signal);
    for (const [index, layer] of image.layers.entries()) {
      assert.deepEqual(await readAll(await selected.openLayer(index, signal)), layer.blob);
    }
    await rejectsWithCode(selected.openLayer(5, signal), 'internal_error');
  });

  it('selects by digest, or the only image without a selector', async () => {
    const { dir, image } = await layoutWith();
    assert.equal(
      (await openOciLayout(dir, image.manifestDigest).select(undefined, signal)).metadata.manifestDigest,
      image.manifestDigest,
    );
    assert.equal(
      (await openOciLayout(dir).select(undefined, signal)).metadata.manifestDigest,
      image.manifestDigest,
    );
    const untagged = freshDir();
    const built = await buildOciImage(untagged, undefined, spec);
    // An image of the layout that index.json does not list is found by its digest.
    await rejectsWithCode(openOciLayout(untagged).describe(signal), 'not_found', 'empty_layout');
    assert.equal(
      (await openOciLayout(untagged, built.manifestDigest).describe(signal)).digest,
      built.manifestDigest,
    );
  });

  it('names a missing tag, and asks to choose among several images', async () => {
    const { dir } = await layoutWith('v1');
    await writeOciImage(dir, 'v2', { ...spec, architecture: 'amd64', variant: undefined });
    await rejectsWithCode(openOciLayout(dir, 'v3').describe(signal), 'not_found', 'tag_not_found');
    await rejectsWithCode(
      openOciLayout(dir, `sha256:${'0'.repeat(64)}`).describe(signal),
      'not_found',
      'manifest_not_found',
    );
    await rejectsWithCode(openOciLayout(dir).describe(signal), 'invalid_reference', 'ambiguous_image');
    await rejectsWithCode(
      openOciLayout(dir, 'sha256:zz').describe(signal),
      'invalid_reference',
      'invalid_digest',
    );
  });

  it('refuses a platform the single image does not have', async () => {
    const { dir } = await layoutWith();
    await rejectsWithCode(
      openOciLayout(dir, 'v1').select({ os: 'linux', architecture: 'amd64' }, signal),
      'not_found',
      'platform_not_found',
    );
    assert.ok(await openOciLayout(dir, 'v1').select({ os: 'linux', architecture: 'arm64' }, signal));
  });

  it('rejects directories that are not OCI layouts', async () => {
    await rejectsWithCode(openOciLayout(join(scratch, 'absent')).describe(signal), 'not_found');
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'x');
    await rejectsWithCode(openOciLayout(file).describe(signal), 'malformed_image', 'not_a_directory');

    const { dir } = await layoutWith();
    const index = readFileSync(join(dir, 'index.json'));
    unlinkSync(join(dir, 'index.json'));
    await rejectsWithCode(openOciLayout(dir, 'v1').describe(signal), 'malformed_image', 'missing_index');
    writeFileSync(join(dir, 'index.json'), '{"schemaVersion":2,');
    await rejectsWithCode(openOciLayout(dir, 'v1').describe(signal), 'malformed_image', 'not_json');
    writeFileSync(join(dir, 'index.json'), '{"schemaVersion":2,"manifests":{}}');
    await rejectsWithCode(openOciLayout(dir, 'v1').describe(signal), 'malformed_image', 'invalid_document');
    writeFileSync(join(dir, 'index.json'), index);
    writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"2.0.0"}');
    await rejectsWithCode(
      openOciLayout(dir, 'v1').describe(signal),
      'malformed_image',
      'unsupported_layout_version',
    );
  });

  it('reports missing blobs as not_found', async () => {
    const { dir, image } = await layoutWith();
    const layer = image.layers[1];
    assert.ok(layer);
    unlinkSync(blobFile(dir, layer.digest));
    const selected = await openOciLayout(dir, 'v1').select(undefined, signal);
    await rejectsWithCode(selected.openLayer(1, signal), 'not_found', 'blob_not_found');
    unlinkSync(blobFile(dir, image.configDigest));
    await rejectsWithCode(openOciLayout(dir, 'v1').select(undefined, signal), 'not_found', 'blob_not_found');
  });

  it('catches blobs that lie about their content or size', async () => {
    const { dir, image } = await layoutWith();
    const layer = image.layers[0];
    assert.ok(layer);
    const forged = Buffer.from(layer.blob);
    forged.writeUInt8(forged.readUInt8(forged.length - 1) ^ 0xff, forged.length - 1);
    writeFileSync(blobFile(dir, layer.digest), forged);
    const selected = await openOciLayout(dir, 'v1').select(undefined, signal);
    await streamFailsWith(() => selected.openLayer(0, signal), 'download_failed', 'digest_mismatch');
    writeFileSync(blobFile(dir, layer.digest), Buffer.concat([layer.blob, Buffer.from('more')]));
    await streamFailsWith(() => selected.openLayer(0, signal), 'download_failed', 'size_mismatch');
    writeFileSync(
      blobFile(dir, image.configDigest),
      Buffer.from(image.configBytes.toString().replace('arm64', 'amd64')),
    );
    await rejectsWithCode(
      openOciLayout(dir, 'v1').select(undefined, signal),
      'download_failed',
      'digest_mismatch',
    );
  });

  it('never opens paths outside the layout, fifos or digests that are not hex', async () => {
    const { dir, image } = await layoutWith();
    const outside = join(scratch, 'outside-secret');
    writeFileSync(outside, 'secret');
    const layerPath = blobFile(dir, image.layers[0]?.digest ?? '');
    unlinkSync(layerPath);
    symlinkSync(outside, layerPath);
    const selected = await openOciLayout(dir, 'v1').select(undefined, signal);
    await rejectsWithCode(selected.openLayer(0, signal), 'malformed_image', 'path_outside_layout');
    unlinkSync(layerPath);
    execFileSync('mkfifo', [layerPath]);
    await rejectsWithCode(selected.openLayer(0, signal), 'malformed_image', 'not_regular_file');

    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
      manifests: { digest: string }[];
    };
    const upper = {
      ...index,
      manifests: index.manifests.map((m) => ({
        ...m,
        digest: m.digest.toUpperCase().replace('SHA256', 'sha256'),
      })),
    };
    writeFileSync(join(dir, 'index.json'), JSON.stringify(upper));
    await rejectsWithCode(openOciLayout(dir, 'v1').describe(signal), 'malformed_image', 'invalid_digest');
    const traversal = {
      ...index,
      manifests: index.manifests.map((m) => ({ ...m, digest: 'sha256:../../../../etc/passwd' })),
    };
    writeFileSync(join(dir, 'index.json'), JSON.stringify(traversal));
    await rejectsWithCode(openOciLayout(dir, 'v1').describe(signal), 'malformed_image');
  });
});

describe('openOciLayout with several platforms', () => {
  async function multiLayout(): Promise<{ dir: string; amd: BuiltImage; arm: BuiltImage }> {
    const dir = freshDir();
    const amd = await buildOciImage(dir, undefined, { ...spec, architecture: 'amd64', variant: undefined });
    const arm = await buildOciImage(dir, undefined, spec);
    return { dir, amd, arm };
  }

  it('lists and selects the platforms of an index, following nested indexes and skipping attestations', async () => {
    const { dir, amd, arm } = await multiLayout();
    const attestation = await writeBlob(
      dir,
      Buffer.from(
        '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.in-toto+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":1},"layers":[]}',
      ),
    );
    const inner = await writeOciIndex(dir, undefined, [arm.descriptor]);
    const outer = await writeOciIndex(dir, 'multi', [
      amd.descriptor,
      inner,
      {
        mediaType: mediaTypes.ociManifest,
        digest: attestation,
        size: 10,
        platform: { os: 'unknown', architecture: 'unknown' },
      },
    ]);
    const source = openOciLayout(dir, 'multi');
    const description = await source.describe(signal);
    assert.equal(description.digest, outer.digest);
    assert.equal(description.mediaType, mediaTypes.ociIndex);
    assert.deepEqual(
      description.platforms.map((p) => [p.platform, p.digest]),
      [
        [{ os: 'linux', architecture: 'amd64' }, amd.manifestDigest],
        [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, arm.manifestDigest],
      ],
    );
    const armImage = await source.select({ os: 'linux', architecture: 'arm64' }, signal);
    assert.equal(armImage.metadata.manifestDigest, arm.manifestDigest);
    assert.deepEqual(armImage.metadata.repoTags, ['multi']);
    const amdImage = await source.select({ os: 'linux', architecture: 'amd64' }, signal);
    assert.equal(amdImage.metadata.configDigest, amd.configDigest);
    await rejectsWithCode(
      source.select({ os: 'linux', architecture: 's390x' }, signal),
      'not_found',
      'platform_not_found',
    );
    // A platform manifest inside the index is also found by its own digest.
    assert.equal(
      (await openOciLayout(dir, arm.manifestDigest).select(undefined, signal)).metadata.manifestDigest,
      arm.manifestDigest,
    );
  });

  it('treats index.json entries sharing a tag, one per platform, as one multi-platform image', async () => {
    const dir = freshDir();
    const amd = await buildOciImage(dir, 'same', { ...spec, architecture: 'amd64', variant: undefined });
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: object[] };
    const arm = await buildOciImage(dir, undefined, spec);
    index.manifests.push({ ...arm.descriptor, annotations: { 'org.opencontainers.image.ref.name': 'same' } });
    writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
    const source = openOciLayout(dir, 'same');
    const description = await source.describe(signal);
    assert.equal(description.digest, undefined);
    assert.equal(description.platforms.length, 2);
    assert.equal(
      (await source.select({ os: 'linux', architecture: 'amd64' }, signal)).metadata.manifestDigest,
      amd.manifestDigest,
    );
  });
});
