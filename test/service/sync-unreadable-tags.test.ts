import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listerFactory } from '@drydock/server';
import { CountingProxy } from '../harness/counting-proxy.ts';
import { RegistryPusher, buildTestImage } from '../harness/registry-push.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { startTestService, type TestService } from '../harness/service.ts';

/**
 * A registry that lists a tag but cannot serve its manifest: the sync goes on without that tag,
 * keeps what it knew of the image (a transient failure must not delete it from the inventory, nor
 * forget its scan status), ends `partial` and names the tag.
 */
describe('a sync with an unreadable tag', () => {
  let registry: TestRegistry;
  let proxy: CountingProxy;
  let env: TestService;
  const tags = ['team/app:v1', 'team/app:v2', 'team/tool:v1'];

  before(async () => {
    registry = await startRegistry();
    const pusher = new RegistryPusher(registry);
    for (const [index, entry] of tags.entries()) {
      const [repository = '', tag = ''] = entry.split(':');
      await pusher.pushImage(
        repository,
        tag,
        await buildTestImage({ layers: [{ [`etc/${index}`]: `${index}\n` }] }),
      );
    }
    proxy = await CountingProxy.start(registry.url);
    // One attempt per read: the registry client's retries would only slow the test down.
    env = await startTestService({
      listers: listerFactory({
        registryOptions: { retries: { maxAttempts: 1 }, sleep: () => Promise.resolve() },
      }),
    });
    await env.service.connections.create(env.projectId, { name: 'local', type: 'registry', url: proxy.url });
  });
  after(async () => {
    await env?.close();
    await proxy?.stop();
    await registry?.stop();
  });

  async function liveImages(): Promise<string[]> {
    const page = await env.service.images(env.projectId, {}, { limit: 100 });
    return page.images.map((image) => `${image.repository}:${image.tag}`).sort();
  }

  test('the unreadable tag is skipped and kept; the next good sync finishes again', async () => {
    const first = await env.service.sync.sync(env.projectId, { trigger: 'manual' });
    assert.equal(first.status, 'finished', JSON.stringify(first.errors));
    assert.deepEqual(await liveImages(), tags);

    proxy.breakManifests(['team/app:v2']);
    const broken = await env.service.sync.sync(env.projectId, { trigger: 'manual' });
    assert.equal(broken.status, 'partial');
    assert.deepEqual(broken.counts, { added: 0, changed: 0, deleted: 0, unchanged: 2, skipped: 1 });
    assert.equal(broken.errors.length, 1);
    assert.equal(broken.errors[0]?.image, 'team/app:v2');
    assert.match(broken.errors[0]?.code ?? '', /^(registry_unavailable|download_failed)$/);
    assert.deepEqual(await liveImages(), tags, 'the unreadable tag is still in the inventory');

    proxy.mendManifests();
    const mended = await env.service.sync.sync(env.projectId, { trigger: 'manual' });
    assert.equal(mended.status, 'finished', JSON.stringify(mended.errors));
    assert.deepEqual(mended.errors, []);
    assert.equal(mended.counts.skipped, 0);
  });
});
