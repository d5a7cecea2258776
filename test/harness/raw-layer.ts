import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initLayout, ociMediaTypes, writeBlob } from './oci-builder.ts';

/**
 * Writes a one-layer image whose layer blob is given as stored bytes (a decompression bomb, a
 * mislabelled or corrupt blob). The diff id is declared, not computed: hostile blobs may be too
 * large to inflate, and Drydock never trusts diff ids for safety anyway.
 */
export async function writeOciImageWithBlob(
  layoutDir: string,
  tag: string,
  blob: Buffer,
  mediaType: string,
): Promise<void> {
  await initLayout(layoutDir);
  const layerDigest = await writeBlob(layoutDir, blob);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [`sha256:${'0'.repeat(64)}`] },
      history: [{ created_by: 'hostile layer' }],
    }),
  );
  const configDigest = await writeBlob(layoutDir, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: ociMediaTypes.manifest,
      config: { mediaType: ociMediaTypes.config, digest: configDigest, size: config.length },
      layers: [{ mediaType, digest: layerDigest, size: blob.length }],
    }),
  );
  const manifestDigest = await writeBlob(layoutDir, manifest);
  const indexFile = join(layoutDir, 'index.json');
  const index = JSON.parse(await readFile(indexFile, 'utf8')) as {
    manifests: { annotations?: Record<string, string> }[];
  };
  index.manifests = [
    ...index.manifests.filter((entry) => entry.annotations?.['org.opencontainers.image.ref.name'] !== tag),
    {
      mediaType: ociMediaTypes.manifest,
      digest: manifestDigest,
      size: manifest.length,
      annotations: { 'org.opencontainers.image.ref.name': tag },
    } as { annotations?: Record<string, string> },
  ];
  await writeFile(indexFile, JSON.stringify(index));
}
