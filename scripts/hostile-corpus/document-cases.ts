/**
 * Hostile image documents and blobs: a wrong diff_id, a layer count bomb, missing and lying
 * blobs, manifests and configs too large or not JSON, an index that names itself, and archives
 * whose own members try to climb out.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ociMediaTypes, sha256, writeBlob } from '../../test/harness/oci-builder.ts';
import { failure, ociSource, result, type CorpusCase, type CorpusContext } from './corpus-case.ts';
import { writeHostileImage, writeIndex, type HostileImage } from './layout-writer.ts';
import { alpineOsRelease, file, tarOf } from './tar-entries.ts';

const MiB = 1024 * 1024;
const blobPath = (layout: string, digest: string): string =>
  join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));

/** A tar with members named exactly as given (for archive-level attacks). */
function archiveOf(members: readonly (readonly [string, string | Buffer])[]): Buffer {
  return tarOf(...members.map(([name, content]) => file(name, content)));
}

export async function documentCases(context: CorpusContext): Promise<CorpusCase[]> {
  const cases: CorpusCase[] = [];
  const add = async (entry: CorpusCase, image: HostileImage): Promise<void> => {
    await writeHostileImage(join(context.directory, entry.id), image);
    cases.push(entry);
  };
  const osLayer = { tar: tarOf(file('etc/os-release', alpineOsRelease)) };

  await add(
    {
      id: 'wrong-diff-id',
      attack:
        'a config whose diff_id is not the layer tar (Drydock reads the blob it verified, not the claim)',
      source: ociSource('wrong-diff-id'),
      expected: result({ os: 'alpine 3.19.1', diagnostics: [], files: 1 }),
    },
    {
      layers: [osLayer],
      config: (config) => ({ ...config, rootfs: { type: 'layers', diff_ids: [sha256(Buffer.from('lie'))] } }),
    },
  );
  await add(
    {
      id: 'layer-count-bomb',
      attack: 'layer count bomb: a manifest listing 5,000 layers',
      source: ociSource('layer-count-bomb'),
      expected: failure('too_many_layers'),
    },
    { layers: Array.from({ length: 5000 }, () => osLayer) },
  );
  await add(
    {
      id: 'manifest-missing-blob',
      attack: '[1 of 11] a manifest pointing to a layer blob the layout does not hold',
      source: ociSource('manifest-missing-blob'),
      expected: failure('not_found', 'blob_not_found'),
    },
    {
      layers: [osLayer],
      manifest: (manifest) => ({
        ...manifest,
        layers: [{ mediaType: ociMediaTypes.layerGzip, digest: sha256(Buffer.from('absent')), size: 1234 }],
      }),
    },
  );
  await add(
    {
      id: 'manifest-too-large',
      attack: 'a manifest of 5 MiB (an annotation padding it)',
      source: ociSource('manifest-too-large'),
      expected: failure('malformed_image', 'document_too_large'),
    },
    {
      layers: [osLayer],
      manifest: (manifest) => ({ ...manifest, annotations: { pad: 'p'.repeat(5 * MiB) } }),
    },
  );
  await add(
    {
      id: 'config-too-large',
      attack: 'a config of 5 MiB (a label padding it)',
      source: ociSource('config-too-large'),
      expected: failure('malformed_image', 'document_too_large'),
    },
    {
      layers: [osLayer],
      config: (config) => ({ ...config, config: { Labels: { pad: 'p'.repeat(5 * MiB) } } }),
    },
  );
  await add(
    {
      id: 'blob-digest-lies',
      attack: '[1 of 11] a layer blob whose bytes do not hash to its digest',
      source: ociSource('blob-digest-lies'),
      expected: failure('download_failed', 'digest_mismatch'),
    },
    { layers: [osLayer] },
  );
  {
    // Overwrite the layer with other bytes of the same length, keeping its name.
    const layout = join(context.directory, 'blob-digest-lies');
    const manifest = await readManifest(layout);
    const layer = manifest.layers[0];
    if (layer === undefined) throw new Error('blob-digest-lies: no layer written');
    const bytes = await readFile(blobPath(layout, layer.digest));
    await writeFile(blobPath(layout, layer.digest), Buffer.from(bytes.map((byte) => byte ^ 0x5a)));
  }
  await add(
    {
      id: 'blob-shorter-than-descriptor',
      attack: '[1 of 11] a truncated blob: the descriptor says 1 KiB more than the blob holds',
      source: ociSource('blob-shorter-than-descriptor'),
      expected: failure('download_failed', 'truncated'),
    },
    {
      layers: [osLayer],
      manifest: (manifest) => ({
        ...manifest,
        layers: (manifest['layers'] as { size: number }[]).map((layer) => ({
          ...layer,
          size: layer.size + 1024,
        })),
      }),
    },
  );

  const notJson = join(context.directory, 'manifest-not-json');
  const garbage = Buffer.from('<html>this is not a manifest</html>');
  await writeIndex(notJson, {
    mediaType: ociMediaTypes.manifest,
    digest: await writeBlob(notJson, garbage),
    size: garbage.length,
    annotations: { 'org.opencontainers.image.ref.name': 'case' },
  });
  cases.push({
    id: 'manifest-not-json',
    attack: '[1 of 11] a manifest that is not JSON',
    source: ociSource('manifest-not-json'),
    expected: failure('malformed_image', 'not_json'),
  });

  // An index blob that lists itself: stored under the digest it names, which its bytes cannot have.
  const loop = join(context.directory, 'index-loop');
  const selfDigest = sha256(Buffer.from('index-loop'));
  const selfIndex = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: ociMediaTypes.index,
      manifests: [{ mediaType: ociMediaTypes.index, digest: selfDigest, size: 0 }],
    }),
  );
  const loopIndex = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: ociMediaTypes.index,
      manifests: [{ mediaType: ociMediaTypes.index, digest: selfDigest, size: selfIndex.length }],
    }),
  );
  await writeIndex(loop, {
    mediaType: ociMediaTypes.index,
    digest: selfDigest,
    size: loopIndex.length,
    annotations: { 'org.opencontainers.image.ref.name': 'case' },
  });
  await writeFile(blobPath(loop, selfDigest), loopIndex);
  cases.push({
    id: 'index-loop',
    attack: 'index loops: an index that references itself (stored under the digest it names)',
    source: ociSource('index-loop'),
    expected: failure('download_failed', 'digest_mismatch'),
  });

  // A chain of real nested indexes, deeper than any image needs.
  const chain = join(context.directory, 'index-chain');
  await writeHostileImage(chain, { layers: [osLayer] }, 'inner');
  let entry = JSON.parse(await readFile(join(chain, 'index.json'), 'utf8')).manifests[0] as Record<
    string,
    unknown
  >;
  entry = { ...entry, annotations: undefined, platform: { os: 'linux', architecture: 'amd64' } };
  for (let level = 0; level < 12; level++) {
    const bytes = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: ociMediaTypes.index, manifests: [entry] }),
    );
    entry = { mediaType: ociMediaTypes.index, digest: await writeBlob(chain, bytes), size: bytes.length };
  }
  await writeIndex(chain, { ...entry, annotations: { 'org.opencontainers.image.ref.name': 'case' } });
  cases.push({
    id: 'index-chain',
    attack: 'index loops, the form content addressing allows: twelve indexes nested in one another',
    source: ociSource('index-chain'),
    expected: failure('malformed_image', 'index_too_deep'),
  });

  const docker = join(context.directory, 'docker-archive-traversal.tar');
  const dockerManifest = JSON.stringify([
    {
      Config: 'config.json',
      RepoTags: ['hostile:case'],
      Layers: ['../../../../../../etc/passwd\u001b[2J\u001b]0;pwned\u0007'],
    },
  ]);
  await mkdir(context.directory, { recursive: true });
  await writeFile(
    docker,
    archiveOf([
      ['manifest.json', dockerManifest],
      [
        'config.json',
        JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }),
      ],
    ]),
  );
  cases.push({
    id: 'docker-archive-traversal',
    attack:
      'a docker-archive whose manifest.json names a layer ../../../../etc/passwd and ESC sequences (never read from the host, never sent to the terminal)',
    source: 'docker-archive:{corpus}/docker-archive-traversal.tar',
    expected: failure('not_found', 'blob_not_found'),
  });

  const archive = join(context.directory, 'oci-archive-truncated.tar');
  const layoutTar = archiveOf([
    ['oci-layout', JSON.stringify({ imageLayoutVersion: '1.0.0' })],
    ['index.json', JSON.stringify({ schemaVersion: 2, manifests: [] })],
  ]);
  await writeFile(archive, layoutTar.subarray(0, 700));
  cases.push({
    id: 'oci-archive-truncated',
    attack: 'an oci-archive cut off inside its second member',
    source: 'oci-archive:{corpus}/oci-archive-truncated.tar',
    expected: failure('malformed_image', 'missing_index'),
  });
  return cases;
}

async function readManifest(layout: string): Promise<{ layers: { digest: string }[] }> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
    manifests: { digest: string }[];
  };
  const digest = index.manifests[0]?.digest;
  if (digest === undefined) throw new Error(`${layout}: no manifest`);
  return JSON.parse(await readFile(blobPath(layout, digest), 'utf8')) as { layers: { digest: string }[] };
}
