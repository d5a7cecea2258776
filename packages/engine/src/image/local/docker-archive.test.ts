import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ImageSource } from '../types.ts';
import { rejectsWithCode, streamFailsWith } from '../../../../../test/harness/assert-error.ts';
import { readAll } from '../../../../../test/harness/layer-bytes.ts';
import {
  buildOciImage,
  tarFromFiles,
  type BuiltImage,
  type FileSpec,
  type ImageSpec,
} from '../../../../../test/harness/oci-builder.ts';
import { mediaTypes } from '../media-types.ts';
import { normaliseRepoTag, openDockerArchive } from './docker-archive.ts';

const signal = new AbortController().signal;
const opened: ImageSource[] = [];
/** openDockerArchive, closed after the tests (archives hold a file open until close). */
function open(...args: Parameters<typeof openDockerArchive>): ImageSource {
  const source = openDockerArchive(...args);
  opened.push(source);
  return source;
}
after(() => Promise.all(opened.map((source) => source.close())));
const scratch = mkdtempSync(join(tmpdir(), 'drydock-docker-archive-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const fresh = (name: string): string => join(scratch, `${counter++}-${name}`);

const hex = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

function spec(compression: 'gzip' | 'none', architecture = 'amd64'): ImageSpec {
  return {
    architecture,
    layers: [
      {
        files: [{ path: 'etc/os-release', content: `ID=${architecture}\n` }],
        compression,
        createdBy: 'ADD base',
      },
      {
        files: [{ path: 'usr/bin/tool', content: 'tool', mode: 0o4755 }],
        compression: 'none',
        createdBy: 'RUN make',
      },
    ],
  };
}

/**
 * A legacy `docker save` (Docker < 25): `<id>/layer.tar` files holding the layer blobs as given
 * (uncompressed, or gzip as some tools write), `<confighex>.json`, manifest.json.
 */
function legacyEntries(
  built: BuiltImage,
  repoTags: readonly string[],
  prefix = '',
): { files: FileSpec[]; manifest: object } {
  const layerPaths = built.layers.map((layer) => `${prefix}${hex(layer.diffId)}/layer.tar`);
  const files: FileSpec[] = built.layers.flatMap((layer, index) => [
    { path: layerPaths[index] ?? '', content: layer.blob },
    { path: `${prefix}${hex(layer.diffId)}/VERSION`, content: '1.0' },
    { path: `${prefix}${hex(layer.diffId)}/json`, content: '{}' },
  ]);
  files.push({ path: `${built.configDigest.slice('sha256:'.length)}.json`, content: built.configBytes });
  return {
    files,
    manifest: {
      Config: `${built.configDigest.slice('sha256:'.length)}.json`,
      RepoTags: repoTags,
      Layers: layerPaths,
    },
  };
}

async function writeArchive(
  files: readonly FileSpec[],
  manifest: readonly object[] | string,
): Promise<string> {
  const file = fresh('save.tar');
  const manifestJson = typeof manifest === 'string' ? manifest : JSON.stringify(manifest);
  writeFileSync(file, await tarFromFiles([...files, { path: 'manifest.json', content: manifestJson }]));
  return file;
}

function filesOf(directory: string): FileSpec[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path: relative(directory, path), content: readFileSync(path) };
    });
}

describe('openDockerArchive (legacy docker save)', () => {
  it('synthesises a Docker v2 manifest: no manifest digest, layer digests of the bytes in the archive', async () => {
    const built = await buildOciImage(fresh('layout'), undefined, spec('gzip'));
    const { files, manifest } = legacyEntries(built, ['docker.io/test/app:v1']);
    const source = open(await writeArchive(files, [manifest]));
    const description = await source.describe(signal);
    assert.deepEqual(
      { ...description, name: undefined },
      {
        kind: 'docker-archive',
        name: undefined,
        digest: undefined,
        mediaType: mediaTypes.dockerManifest,
        platforms: [],
      },
    );
    const selected = await source.select(undefined, signal);
    const { metadata } = selected;
    assert.equal(metadata.manifestDigest, undefined);
    assert.equal(metadata.configDigest, built.configDigest);
    assert.deepEqual(metadata.repoTags, ['docker.io/test/app:v1']);
    assert.deepEqual(
      metadata.layers.map((layer) => [
        layer.digest,
        layer.diffId,
        layer.mediaType,
        layer.size,
        layer.createdBy,
      ]),
      [
        [
          built.layers[0]?.digest,
          built.diffIds[0],
          mediaTypes.dockerLayerGzip,
          built.layers[0]?.size,
          'ADD base',
        ],
        [built.diffIds[1], built.diffIds[1], mediaTypes.dockerLayer, built.layers[1]?.size, 'RUN make'],
      ],
    );
    for (const [index, layer] of built.layers.entries()) {
      assert.deepEqual(await readAll(await selected.openLayer(index, signal)), layer.blob);
    }
    await source.close();
  });

  it('picks one image of several by RepoTag', async () => {
    const amd = await buildOciImage(fresh('layout'), undefined, spec('none'));
    const arm = await buildOciImage(fresh('layout'), undefined, spec('none', 'arm64'));
    const one = legacyEntries(amd, ['docker.io/library/alpine:3']);
    const two = legacyEntries(arm, ['example.com/team/app:latest']);
    const file = await writeArchive([...one.files, ...two.files], [one.manifest, two.manifest]);
    for (const tag of ['alpine:3', 'library/alpine:3', 'docker.io/library/alpine:3']) {
      assert.equal(
        (await open(file, tag).select(undefined, signal)).metadata.configDigest,
        amd.configDigest,
        tag,
      );
    }
    const app = await open(file, 'example.com/team/app').select(undefined, signal);
    assert.equal(app.metadata.platform.architecture, 'arm64');
    await rejectsWithCode(open(file).describe(signal), 'invalid_reference', 'ambiguous_image');
    await rejectsWithCode(open(file, 'alpine:4').describe(signal), 'not_found', 'tag_not_found');
    await rejectsWithCode(
      open(file, 'alpine:3').select({ os: 'linux', architecture: 'arm64' }, signal),
      'not_found',
      'platform_not_found',
    );
  });

  it('rejects archives without a valid manifest.json', async () => {
    await rejectsWithCode(
      open(await writeArchive([], '')).describe(signal),
      'malformed_image',
      'invalid_manifest_json',
    );
    await rejectsWithCode(
      open(await writeArchive([], '{"Config":1}')).describe(signal),
      'malformed_image',
      'invalid_manifest_json',
    );
    const noManifest = fresh('none.tar');
    writeFileSync(noManifest, await tarFromFiles([{ path: 'repositories', content: '{}' }]));
    await rejectsWithCode(open(noManifest).describe(signal), 'malformed_image', 'missing_manifest_json');
  });

  it('catches configs and layers that lie, and layer paths that leave the archive', async () => {
    const built = await buildOciImage(fresh('layout'), undefined, spec('none'));
    const { files, manifest } = legacyEntries(built, ['x:1']);
    const configName = `${built.configDigest.slice('sha256:'.length)}.json`;
    const lyingConfig = files.map((f) =>
      f.path === configName ? { ...f, content: Buffer.from(`${built.configBytes.toString()} `) } : f,
    );
    await rejectsWithCode(
      open(await writeArchive(lyingConfig, [manifest])).describe(signal),
      'download_failed',
      'digest_mismatch',
    );

    const firstLayer = built.layers[0];
    assert.ok(firstLayer);
    const forged = Buffer.from(firstLayer.blob);
    forged.writeUInt8(forged.readUInt8(forged.length - 2000) ^ 1, forged.length - 2000);
    const layerName = `${hex(firstLayer.diffId)}/layer.tar`;
    const lyingLayer = files.map((f) => (f.path === layerName ? { ...f, content: forged } : f));
    const selected = await open(await writeArchive(lyingLayer, [manifest])).select(undefined, signal);
    await streamFailsWith(() => selected.openLayer(0, signal), 'download_failed', 'digest_mismatch');

    const escaping = {
      ...manifest,
      Layers: ['../../../etc/passwd', `${hex(built.diffIds[1] ?? '')}/layer.tar`],
    };
    await rejectsWithCode(
      open(await writeArchive(files, [escaping])).describe(signal),
      'not_found',
      'blob_not_found',
    );
    const linked = [
      ...files,
      { path: 'link.tar', type: 'symlink' as const, linkTarget: '/../../etc/passwd' },
    ];
    const viaLink = { ...manifest, Layers: ['link.tar', `${hex(built.diffIds[1] ?? '')}/layer.tar`] };
    await rejectsWithCode(
      open(await writeArchive(linked, [viaLink])).describe(signal),
      'not_found',
      'blob_not_found',
    );
    const short = { ...manifest, Layers: [layerName] };
    await rejectsWithCode(
      open(await writeArchive(files, [short])).describe(signal),
      'malformed_image',
      'layer_count_mismatch',
    );
  });
});

describe('openDockerArchive (Docker 25+ save, an OCI layout inside)', () => {
  it('uses the OCI manifest the archive keeps: same manifest digest as a registry', async () => {
    const layout = fresh('layout');
    const built = await buildOciImage(layout, 'app:v1', spec('none'));
    const manifest = {
      Config: `blobs/sha256/${built.configDigest.slice('sha256:'.length)}`,
      RepoTags: ['app:v1'],
      Layers: built.layers.map((layer) => `blobs/sha256/${layer.digest.slice('sha256:'.length)}`),
    };
    const source = open(await writeArchive(filesOf(layout), [manifest]), 'app:v1');
    const description = await source.describe(signal);
    assert.equal(description.digest, built.manifestDigest);
    assert.equal(description.mediaType, mediaTypes.ociManifest);
    const selected = await source.select(undefined, signal);
    assert.equal(selected.metadata.manifestDigest, built.manifestDigest);
    assert.deepEqual(
      selected.metadata.layers.map((layer) => [layer.digest, layer.mediaType]),
      built.layers.map((layer) => [layer.digest, layer.mediaType]),
    );
    assert.deepEqual(selected.metadata.repoTags, ['app:v1']);
    assert.deepEqual(await readAll(await selected.openLayer(1, signal)), built.layers[1]?.blob);
  });
});

describe('normaliseRepoTag', () => {
  it('ignores docker.io, library/ and a missing :latest', () => {
    assert.equal(normaliseRepoTag('docker.io/library/alpine:latest'), 'alpine:latest');
    assert.equal(normaliseRepoTag('alpine'), 'alpine:latest');
    assert.equal(normaliseRepoTag('localhost:5000/app'), 'localhost:5000/app:latest');
    assert.equal(normaliseRepoTag('docker.io/team/app:1'), 'team/app:1');
  });
});
