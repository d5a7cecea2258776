import { buildTestImage, RegistryPusher } from '../harness/registry-push.ts';
import type { TestRegistry } from '../harness/registry.ts';

/**
 * Pushes `count` distinct small images as `repository:t<n>` (distinct so each scan is a real
 * pull of its own layer). `created` sets each image config's creation time.
 */
export async function pushManyImages(
  registry: TestRegistry,
  repository: string,
  count: number,
  created: (index: number) => string = () => '2024-01-01T00:00:00Z',
): Promise<string[]> {
  const pusher = new RegistryPusher(registry);
  const tags: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const layerTar = { [`srv/item-${index}.txt`]: `item ${index} of ${repository}\n` };
    const base = await buildTestImage({ layers: [layerTar] });
    const diffIds = (JSON.parse(base.config.bytes.toString('utf8')) as { rootfs: { diff_ids: string[] } })
      .rootfs.diff_ids;
    const image = await buildTestImage({
      layers: [layerTar],
      configJson: {
        architecture: 'amd64',
        os: 'linux',
        created: created(index),
        config: { Cmd: ['/bin/sh'] },
        rootfs: { type: 'layers', diff_ids: diffIds },
        history: [{ created: created(index), created_by: 'COPY item /srv/' }],
      },
    });
    await pusher.pushImage(repository, `t${index}`, image);
    tags.push(`${repository}:t${index}`);
  }
  return tags;
}
