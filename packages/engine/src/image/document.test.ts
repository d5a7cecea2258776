import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DrydockError } from '../util/errors.ts';
import { defaultLimits } from '../util/limits.ts';
import {
  buildImageMetadata,
  parseImageConfig,
  parseManifestDocument,
  platformManifests,
} from './document.ts';
import { mediaTypes } from './media-types.ts';

const d = (n: number) => `sha256:${String(n).padStart(64, '0')}`;
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

function assertCode(fn: () => unknown, code: string, reason?: string) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof DrydockError, `expected DrydockError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (reason) assert.equal(error.reason, reason);
    return true;
  });
}

const manifest = {
  schemaVersion: 2,
  mediaType: mediaTypes.ociManifest,
  config: { mediaType: mediaTypes.ociConfig, digest: d(1), size: 10 },
  layers: [
    { mediaType: mediaTypes.ociLayerGzip, digest: d(2), size: 100 },
    { mediaType: mediaTypes.ociLayerZstd, digest: d(3), size: 200 },
  ],
};

const config = {
  architecture: 'amd64',
  os: 'linux',
  config: {
    User: 'app',
    Env: ['PATH=/bin'],
    Cmd: ['/bin/sh'],
    ExposedPorts: { '80/tcp': {} },
    Healthcheck: { Test: ['CMD', 'true'] },
  },
  rootfs: { type: 'layers', diff_ids: [d(4), d(5)] },
  history: [
    { created_by: 'ADD rootfs.tar /' },
    { created_by: 'ENV A=b', empty_layer: true },
    { created_by: 'RUN apt-get install -y curl' },
  ],
};

describe('image documents', () => {
  it('parses an OCI manifest and its configuration into metadata', () => {
    const parsed = parseManifestDocument(json(manifest), undefined, defaultLimits);
    assert.equal(parsed.kind, 'manifest');
    if (parsed.kind !== 'manifest') return;
    const metadata = buildImageMetadata(
      {
        name: 'x',
        manifestDigest: d(9),
        manifest: parsed,
        config: parseImageConfig(json(config), defaultLimits),
        repoTags: [],
      },
      defaultLimits,
    );
    assert.deepEqual(
      metadata.layers.map((layer) => [layer.diffId, layer.createdBy]),
      [
        [d(4), 'ADD rootfs.tar /'],
        [d(5), 'RUN apt-get install -y curl'],
      ],
    );
    assert.equal(metadata.config.user, 'app');
    assert.deepEqual(metadata.config.exposedPorts, ['80/tcp']);
    assert.deepEqual(metadata.config.healthcheck, { test: ['CMD', 'true'] });
    assert.deepEqual(metadata.platform, { os: 'linux', architecture: 'amd64' });
  });

  it('takes the media type from the transport when the document has none (Docker v2)', () => {
    const { mediaType: _drop, ...bare } = manifest;
    const parsed = parseManifestDocument(json(bare), mediaTypes.dockerManifest, defaultLimits);
    assert.equal(parsed.mediaType, mediaTypes.dockerManifest);
  });

  it('lists index platforms without attestation manifests', () => {
    const index = {
      schemaVersion: 2,
      mediaType: mediaTypes.ociIndex,
      manifests: [
        {
          mediaType: mediaTypes.ociManifest,
          digest: d(1),
          size: 1,
          platform: { os: 'linux', architecture: 'amd64' },
        },
        {
          mediaType: mediaTypes.ociManifest,
          digest: d(2),
          size: 1,
          platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
        },
        {
          mediaType: mediaTypes.ociManifest,
          digest: d(3),
          size: 1,
          platform: { os: 'unknown', architecture: 'unknown' },
          annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
        },
      ],
    };
    const parsed = parseManifestDocument(json(index), mediaTypes.ociIndex, defaultLimits);
    assert.equal(parsed.kind, 'index');
    if (parsed.kind !== 'index') return;
    assert.deepEqual(
      platformManifests(parsed).map((entry) => entry.platform),
      [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ],
    );
  });

  it('refuses schema 1, unknown media types, non-JSON and mismatched layer counts with typed codes', () => {
    assertCode(
      () =>
        parseManifestDocument(json({ schemaVersion: 1, name: 'x', fsLayers: [] }), undefined, defaultLimits),
      'schema_v1_not_supported',
    );
    assertCode(
      () => parseManifestDocument(json({}), mediaTypes.dockerSchema1Signed, defaultLimits),
      'schema_v1_not_supported',
    );
    assertCode(
      () => parseManifestDocument(Buffer.from('<html>nope</html>'), undefined, defaultLimits),
      'malformed_image',
      'not_json',
    );
    assertCode(
      () =>
        parseManifestDocument(
          json({ ...manifest, mediaType: 'application/vnd.example.thing+json' }),
          undefined,
          defaultLimits,
        ),
      'unsupported_media_type',
    );
    const parsed = parseManifestDocument(json(manifest), undefined, defaultLimits);
    if (parsed.kind !== 'manifest') return;
    const oneDiff = parseImageConfig(
      json({ ...config, rootfs: { type: 'layers', diff_ids: [d(4)] } }),
      defaultLimits,
    );
    assertCode(
      () =>
        buildImageMetadata(
          { name: 'x', manifestDigest: undefined, manifest: parsed, config: oneDiff, repoTags: [] },
          defaultLimits,
        ),
      'malformed_image',
      'layer_count_mismatch',
    );
    const helm = {
      ...parsed,
      config: { ...parsed.config, mediaType: 'application/vnd.cncf.helm.config.v1+json' },
    };
    assertCode(
      () =>
        buildImageMetadata(
          {
            name: 'x',
            manifestDigest: undefined,
            manifest: helm,
            config: parseImageConfig(json(config), defaultLimits),
            repoTags: [],
          },
          defaultLimits,
        ),
      'unsupported_media_type',
    );
  });

  it('checks layer count and sizes from descriptors before any download', () => {
    const parsed = parseManifestDocument(json(manifest), undefined, defaultLimits);
    if (parsed.kind !== 'manifest') return;
    const parts = {
      name: 'x',
      manifestDigest: undefined,
      manifest: parsed,
      config: parseImageConfig(json(config), defaultLimits),
      repoTags: [],
    };
    assertCode(() => buildImageMetadata(parts, { ...defaultLimits, maxLayers: 1 }), 'too_many_layers');
    assertCode(() => buildImageMetadata(parts, { ...defaultLimits, maxLayerBytes: 150 }), 'layer_too_large');
    assertCode(() => buildImageMetadata(parts, { ...defaultLimits, maxImageBytes: 250 }), 'image_too_large');
    assertCode(
      () => parseManifestDocument(json(manifest), undefined, { ...defaultLimits, maxDocumentBytes: 10 }),
      'malformed_image',
      'document_too_large',
    );
  });

  it('never fails with anything but a typed error on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
          fc.json().map((text) => Buffer.from(text)),
        ),
        (bytes) => {
          for (const parse of [
            () => parseManifestDocument(bytes, undefined, defaultLimits),
            () => parseImageConfig(bytes, defaultLimits),
          ]) {
            try {
              parse();
            } catch (error) {
              assert.ok(error instanceof DrydockError, String(error));
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
