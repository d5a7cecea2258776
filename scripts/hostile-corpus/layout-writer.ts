/**
 * Writes one hostile image into its own OCI layout: layers given as tars (compressed here), as
 * stored blobs (bombs, damaged streams), or as blob files already written (huge sparse or streamed
 * blobs); the config and manifest can be bent after they are built (lies, sizes, missing blobs).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  compress,
  initLayout,
  ociMediaTypes,
  sha256,
  writeBlob,
  type Compression,
} from '../../test/harness/oci-builder.ts';

export interface StoredBlob {
  readonly digest: string;
  readonly size: number;
}

export type HostileLayer =
  | { readonly tar: Buffer; readonly compression?: Compression }
  | { readonly blob: Buffer; readonly mediaType: string; readonly diffId?: string }
  | { readonly stored: StoredBlob; readonly mediaType: string; readonly diffId?: string };

export interface HostileImage {
  readonly layers: readonly HostileLayer[];
  /** Changes to the config document before it is stored. */
  readonly config?: (config: Record<string, unknown>) => Record<string, unknown>;
  /** Changes to the manifest document before it is stored. */
  readonly manifest?: (manifest: Record<string, unknown>) => Record<string, unknown>;
}

const placeholderDiffId = `sha256:${'0'.repeat(64)}`;

const mediaTypes: Readonly<Record<Compression, string>> = {
  gzip: ociMediaTypes.layerGzip,
  zstd: ociMediaTypes.layerZstd,
  none: ociMediaTypes.layer,
};

/** Stores a stream as a blob, hashing it on the way: for blobs too large to hold in memory. */
export async function writeStreamBlob(layoutDir: string, source: Readable): Promise<StoredBlob> {
  await initLayout(layoutDir);
  const temporary = join(layoutDir, 'blobs', 'sha256', `upload-${process.pid}.tmp`);
  const hash = createHash('sha256');
  let size = 0;
  source.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  });
  await pipeline(source, createWriteStream(temporary));
  const digest = `sha256:${hash.digest('hex')}`;
  await rename(temporary, join(layoutDir, 'blobs', 'sha256', digest.slice('sha256:'.length)));
  return { digest, size };
}

/** Stores a file written in place by `write` (a sparse file, say) as a blob, hashing it by reading it back. */
export async function writeFileBlob(
  layoutDir: string,
  write: (path: string) => Promise<void>,
): Promise<StoredBlob> {
  await initLayout(layoutDir);
  const temporary = join(layoutDir, 'blobs', 'sha256', `file-${process.pid}.tmp`);
  await write(temporary);
  const hash = createHash('sha256');
  await pipeline(createReadStream(temporary, { highWaterMark: 1 << 20 }), hash);
  const digest = `sha256:${hash.digest('hex')}`;
  const { size } = await stat(temporary);
  await rename(temporary, join(layoutDir, 'blobs', 'sha256', digest.slice('sha256:'.length)));
  return { digest, size };
}

async function storeLayer(
  layoutDir: string,
  layer: HostileLayer,
): Promise<{ descriptor: StoredBlob & { mediaType: string }; diffId: string }> {
  if ('tar' in layer) {
    const compression = layer.compression ?? 'gzip';
    const blob = compress(layer.tar, compression);
    const digest = await writeBlob(layoutDir, blob);
    return {
      descriptor: { mediaType: mediaTypes[compression], digest, size: blob.length },
      diffId: sha256(layer.tar),
    };
  }
  const stored =
    'blob' in layer
      ? { digest: await writeBlob(layoutDir, layer.blob), size: layer.blob.length }
      : layer.stored;
  return {
    descriptor: { mediaType: layer.mediaType, ...stored },
    diffId: layer.diffId ?? placeholderDiffId,
  };
}

/** Writes the image into `layoutDir` and names it `tag` in index.json (the only entry). */
export async function writeHostileImage(layoutDir: string, image: HostileImage, tag = 'case'): Promise<void> {
  await initLayout(layoutDir);
  const layers = [];
  for (const layer of image.layers) layers.push(await storeLayer(layoutDir, layer));
  const baseConfig: Record<string, unknown> = {
    created: '1970-01-01T00:00:00Z',
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/usr/bin:/bin'], Cmd: ['/bin/sh'] },
    rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
    history: layers.map((_, index) => ({
      created: '1970-01-01T00:00:00Z',
      created_by: `hostile layer ${index}`,
    })),
  };
  const configBytes = Buffer.from(JSON.stringify(image.config ? image.config(baseConfig) : baseConfig));
  const configDigest = await writeBlob(layoutDir, configBytes);
  const baseManifest: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: ociMediaTypes.manifest,
    config: { mediaType: ociMediaTypes.config, digest: configDigest, size: configBytes.length },
    layers: layers.map((layer) => layer.descriptor),
  };
  const manifestBytes = Buffer.from(
    JSON.stringify(image.manifest ? image.manifest(baseManifest) : baseManifest),
  );
  const manifestDigest = await writeBlob(layoutDir, manifestBytes);
  await writeIndex(layoutDir, {
    mediaType: ociMediaTypes.manifest,
    digest: manifestDigest,
    size: manifestBytes.length,
    annotations: { 'org.opencontainers.image.ref.name': tag },
  });
}

/** Writes index.json with the one entry given (which may point anywhere, or lie about anything). */
export async function writeIndex(layoutDir: string, entry: Record<string, unknown>): Promise<void> {
  await initLayout(layoutDir);
  await writeFile(
    join(layoutDir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, mediaType: ociMediaTypes.index, manifests: [entry] }),
  );
}
