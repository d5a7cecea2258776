/**
 * Test support for the lister tests (not used by the service): pushes one set of repositories to a
 * real test registry under a prefix and returns what a listing should report for each tag. The set
 * covers shared digests, both manifest formats, a multi-architecture index with an attestation
 * entry, a schema 1 manifest, an artifact that is not a container image, and enough tags to page.
 */
import {
  buildIndex,
  buildSchema1Manifest,
  buildTestImage,
  RegistryPusher,
  type TestImage,
} from '../../../../../test/harness/registry-push.ts';
import type { TestRegistry } from '../../../../../test/harness/registry.ts';

export interface ExpectedPlatform {
  readonly platform: string;
  readonly digest: string;
  /** Config plus layers. */
  readonly imageSize: number;
  readonly layersSize: number;
}

export interface ExpectedImage {
  /** Repository without the prefix. */
  readonly name: string;
  readonly tag: string;
  readonly kind: 'image' | 'index' | 'schema1' | 'artifact';
  readonly digest: string;
  readonly mediaType: string;
  readonly manifestSize: number;
  /** Config plus layers (for an index: the sum over its image platforms). */
  readonly imageSize: number;
  readonly layersSize: number;
  readonly platforms: readonly ExpectedPlatform[];
  /** The image config's `created`. */
  readonly created: Date | null;
}

export const manyTags = ['t1', 't2', 't3', 't4', 't5'] as const;

function sizes(image: TestImage): { readonly imageSize: number; readonly layersSize: number } {
  const layersSize = image.layers.reduce((sum, layer) => sum + layer.size, 0);
  return { imageSize: image.config.size + layersSize, layersSize };
}

const created = new Date('2024-01-01T00:00:00Z');

/**
 * Pushes `{prefix}app` (v1, v2: one image; latest: a Docker-format image), `{prefix}multi` (v1: an
 * index of linux/amd64, linux/arm64/v8 and an attestation), `{prefix}old` (v1: schema 1; the
 * registry must accept schema 1), `{prefix}chart` (1.0.0: a Helm chart), `{prefix}many` (t1…t5)
 * and, when `nested`, `{prefix}tools/cli` (1.0).
 */
export async function pushListingContent(
  registry: TestRegistry,
  prefix: string,
  options: { readonly nested?: boolean } = {},
): Promise<ExpectedImage[]> {
  const pusher = new RegistryPusher(registry);
  const app = await buildTestImage({
    layers: [{ 'etc/os-release': 'ID=test\n' }, { 'app/main.js': 'main\n' }],
  });
  const dockerApp = await buildTestImage({ format: 'docker', layers: [{ 'docker.txt': 'docker\n' }] });
  const amd64 = await buildTestImage({ architecture: 'amd64', layers: [{ 'arch.txt': 'amd64\n' }] });
  const arm64 = await buildTestImage({
    architecture: 'arm64',
    variant: 'v8',
    layers: [{ 'arch.txt': 'arm64 v8\n' }],
  });
  const attestation = await buildTestImage({
    configJson: { architecture: 'unknown', os: 'unknown', rootfs: { type: 'layers', diff_ids: [] } },
    layers: [{ 'provenance.json': '{}' }],
  });
  const chart = await buildTestImage({
    configMediaType: 'application/vnd.cncf.helm.config.v1+json',
    layerMediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
    configJson: { name: 'chart', version: '1.0.0' },
  });
  const small = await buildTestImage({ layers: [{ 't.txt': 't\n' }] });
  const expected: ExpectedImage[] = [];
  const image = (
    name: string,
    tag: string,
    pushed: TestImage,
    digest: string,
    kind: 'image' | 'artifact' = 'image',
  ): ExpectedImage => ({
    name,
    tag,
    kind,
    digest,
    mediaType: pushed.manifest.mediaType,
    manifestSize: pushed.manifest.size,
    ...sizes(pushed),
    platforms: [],
    created: kind === 'image' ? created : null,
  });

  const appDigest = await pusher.pushImage(`${prefix}app`, 'v1', app);
  await pusher.pushManifest(`${prefix}app`, 'v2', app.manifest.bytes, app.manifest.mediaType);
  const dockerDigest = await pusher.pushImage(`${prefix}app`, 'latest', dockerApp);
  expected.push(
    image('app', 'v1', app, appDigest),
    image('app', 'v2', app, appDigest),
    image('app', 'latest', dockerApp, dockerDigest),
  );

  const index = buildIndex([
    { image: amd64, platform: { os: 'linux', architecture: 'amd64' } },
    { image: arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    { image: attestation, platform: { os: 'unknown', architecture: 'unknown' } },
  ]);
  const indexDigest = await pusher.pushIndex(`${prefix}multi`, 'v1', index, [amd64, arm64, attestation]);
  const platforms = [
    { platform: 'linux/amd64', digest: amd64.manifest.digest, ...sizes(amd64) },
    { platform: 'linux/arm64/v8', digest: arm64.manifest.digest, ...sizes(arm64) },
  ];
  expected.push({
    name: 'multi',
    tag: 'v1',
    kind: 'index',
    digest: indexDigest,
    mediaType: index.mediaType,
    manifestSize: index.size,
    imageSize: platforms.reduce((sum, platform) => sum + platform.imageSize, 0),
    layersSize: platforms.reduce((sum, platform) => sum + platform.layersSize, 0),
    platforms,
    created: null,
  });

  for (const layer of app.layers) await pusher.pushBlob(`${prefix}old`, layer.bytes);
  const schema1 = buildSchema1Manifest(`${prefix}old`, 'v1', app.layers);
  const schema1Digest = await pusher.pushManifest(`${prefix}old`, 'v1', schema1.bytes, schema1.mediaType);
  expected.push({
    name: 'old',
    tag: 'v1',
    kind: 'schema1',
    digest: schema1Digest,
    mediaType: schema1.mediaType,
    manifestSize: schema1.size,
    imageSize: schema1.size,
    layersSize: 0,
    platforms: [],
    created: null,
  });

  expected.push(
    image('chart', '1.0.0', chart, await pusher.pushImage(`${prefix}chart`, '1.0.0', chart), 'artifact'),
  );

  const smallDigest = await pusher.pushImage(`${prefix}many`, manyTags[0], small);
  for (const tag of manyTags.slice(1))
    await pusher.pushManifest(`${prefix}many`, tag, small.manifest.bytes, small.manifest.mediaType);
  for (const tag of manyTags) expected.push(image('many', tag, small, smallDigest));

  if (options.nested) {
    const cliDigest = await pusher.pushImage(`${prefix}tools/cli`, '1.0', app);
    expected.push(image('tools/cli', '1.0', app, cliDigest));
  }
  return expected;
}

/** `name:tag` keys, sorted, for comparing listings. */
export function keysOf(images: readonly { readonly repository: string; readonly tag: string }[]): string[] {
  return images.map((image) => `${image.repository}:${image.tag}`).sort();
}

/** Pushes one small image, whose only file is `{name}.txt`, to each `repository:tag` of `references`. */
export async function pushSmallImage(
  registry: TestRegistry,
  name: string,
  references: readonly string[],
): Promise<void> {
  const pusher = new RegistryPusher(registry);
  const image = await buildTestImage({ layers: [{ [`${name}.txt`]: `${name}\n` }] });
  for (const reference of references) {
    const colon = reference.lastIndexOf(':');
    await pusher.pushImage(reference.slice(0, colon), reference.slice(colon + 1), image);
  }
}
