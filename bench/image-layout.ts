/**
 * Writes a one-image OCI layout whose layers are streamed through `pigz -1` to disk, for benchmark
 * images too large to hold in memory (test/harness/oci-builder.ts builds each layer in a Buffer).
 * The layout is written to a temporary directory and renamed into place when complete, so a
 * layout that exists is whole. `pigz -n` leaves out name and time, so the same tar gives the same
 * blob on every build.
 */
import { spawn } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { initLayout, ociMediaTypes, writeBlob } from '../test/harness/oci-builder.ts';

export interface StreamedLayer {
  /** The history `created_by` of the layer. */
  readonly createdBy: string;
  /** Opens the layer's uncompressed tar. */
  readonly open: () => Readable;
}

interface WrittenLayer {
  readonly digest: string;
  readonly diffId: string;
  readonly size: number;
}

function hashing(hash: Hash): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
}

async function writeLayer(layout: string, layer: StreamedLayer, index: number): Promise<WrittenLayer> {
  const temporary = join(layout, 'blobs', 'sha256', `.layer-${index}.tmp`);
  const tarHash = createHash('sha256');
  const blobHash = createHash('sha256');
  const pigz = spawn('pigz', ['-1', '-n', '-c'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve, reject) => {
    pigz.once('error', reject);
    pigz.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`pigz exited with ${code}`))));
  });
  await Promise.all([
    pipeline(layer.open(), hashing(tarHash), pigz.stdin),
    pipeline(pigz.stdout, hashing(blobHash), createWriteStream(temporary)),
    exited,
  ]);
  const digest = `sha256:${blobHash.digest('hex')}`;
  const blob = join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));
  await rename(temporary, blob);
  return {
    digest,
    diffId: `sha256:${tarHash.digest('hex')}`,
    size: (await stat(blob)).size,
  };
}

/** Builds `layout` (tag `tag`) from `layers` unless it exists already; returns the layout. */
export async function streamedImageLayout(
  layout: string,
  tag: string,
  layers: readonly StreamedLayer[],
): Promise<string> {
  if (existsSync(join(layout, 'index.json'))) return layout;
  process.stderr.write(`bench: building ${layout} (once; reused by later runs)...\n`);
  const building = `${layout}.building`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { recursive: true });
  await initLayout(building);
  const written: WrittenLayer[] = [];
  for (const [index, layer] of layers.entries()) written.push(await writeLayer(building, layer, index));
  const epoch = '1970-01-01T00:00:00Z';
  const config = Buffer.from(
    JSON.stringify({
      created: epoch,
      architecture: 'amd64',
      os: 'linux',
      config: {
        Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
        Cmd: ['/bin/sh'],
      },
      rootfs: { type: 'layers', diff_ids: written.map((layer) => layer.diffId) },
      history: layers.map((layer) => ({ created: epoch, created_by: layer.createdBy })),
    }),
  );
  const configDigest = await writeBlob(building, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: ociMediaTypes.manifest,
      config: { mediaType: ociMediaTypes.config, digest: configDigest, size: config.length },
      layers: written.map((layer) => ({
        mediaType: ociMediaTypes.layerGzip,
        digest: layer.digest,
        size: layer.size,
      })),
    }),
  );
  const manifestDigest = await writeBlob(building, manifest);
  await writeFile(
    join(building, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: ociMediaTypes.index,
      manifests: [
        {
          mediaType: ociMediaTypes.manifest,
          digest: manifestDigest,
          size: manifest.length,
          platform: { os: 'linux', architecture: 'amd64' },
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  await rm(layout, { recursive: true, force: true });
  await rename(building, layout);
  return layout;
}
