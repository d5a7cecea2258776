import { rm } from 'node:fs/promises';
import {
  buildIndex,
  buildSchema1Manifest,
  buildTestImage,
  blobDataPath,
  RegistryPusher,
  type TestImage,
} from '../harness/registry-push.ts';
import type { TestRegistry } from '../harness/registry.ts';

/** What the fleet holds, for assertions. */
export interface Fleet {
  /** `repository:tag` of every plain single-platform image that scans cleanly. */
  readonly plain: readonly string[];
  readonly multiArch: string;
  readonly schema1: string;
  readonly unsupported: string;
  /** Its layer blob is removed from the registry's storage after the push. */
  readonly missingBlob: string;
  readonly eicar: string;
}

const eicar = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/**
 * Pushes a fleet of images to a real registry: several repositories and tags, a multi-architecture
 * index, a schema 1 manifest, an artifact of an unsupported media type, an image whose layer blob
 * is gone, and one with the EICAR test file.
 */
export async function pushFleet(registry: TestRegistry, plainCount = 24): Promise<Fleet> {
  const pusher = new RegistryPusher(registry);
  const plain: string[] = [];
  for (let index = 0; index < plainCount; index += 1) {
    const repository = `team-${index % 4}/app-${index % 6}`;
    const tag = `v${index}`;
    const image = await buildTestImage({ layers: [{ [`etc/app-${index}.conf`]: `build ${index}\n` }] });
    await pusher.pushImage(repository, tag, image);
    plain.push(`${repository}:${tag}`);
  }
  const arm = await buildTestImage({
    architecture: 'arm64',
    variant: 'v8',
    layers: [{ 'etc/arch': 'arm64\n' }],
  });
  const amd = await buildTestImage({ architecture: 'amd64', layers: [{ 'etc/arch': 'amd64\n' }] });
  const index = buildIndex([
    { image: amd, platform: { os: 'linux', architecture: 'amd64' } },
    { image: arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
  ]);
  await pusher.pushIndex('library/multi', '1.0', index, [amd, arm]);

  const layerImage: TestImage = await buildTestImage({
    layers: [{ 'etc/old': 'schema 1\n' }],
    format: 'docker',
  });
  for (const blob of layerImage.layers) await pusher.pushBlob('legacy/old', blob.bytes);
  const schema1 = buildSchema1Manifest('legacy/old', 'v1', layerImage.layers);
  await pusher.pushManifest('legacy/old', 'v1', schema1.bytes, schema1.mediaType);

  const artifact = await buildTestImage({
    configMediaType: 'application/vnd.example.thing.config.v1+json',
    layerMediaType: 'application/vnd.example.thing.layer.v1',
    configJson: { thing: true },
  });
  await pusher.pushImage('artifacts/thing', 'v1', artifact);

  const doomed = await buildTestImage({ layers: [{ 'etc/doomed': 'soon gone\n' }] });
  await pusher.pushImage('broken/app', 'v1', doomed);
  const doomedLayer = doomed.layers[0];
  if (!doomedLayer) throw new Error('no layer');
  await rm(blobDataPath(registry.storageDir, doomedLayer.digest));

  const infected = await buildTestImage({ layers: [{ 'tmp/eicar.com': eicar }] });
  await pusher.pushImage('team-0/infected', 'v1', infected);
  return {
    plain,
    multiArch: 'library/multi:1.0',
    schema1: 'legacy/old:v1',
    unsupported: 'artifacts/thing:v1',
    missingBlob: 'broken/app:v1',
    eicar: 'team-0/infected:v1',
  };
}
