/**
 * The Docker Hub lister against FakeDockerHub (test/harness/fake-dockerhub.ts) over a real
 * `docker-registry`, which also serves the pulls (`pullRegistry`). Namespaces: `acme` (public),
 * `private` (visible only when signed in).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultDockerHubPushTime, FakeDockerHub } from '../../../../../test/harness/fake-dockerhub.ts';
import {
  defaultTestUser,
  freePort,
  startRegistry,
  type TestRegistry,
} from '../../../../../test/harness/registry.ts';
import type { ConnectionConfig } from './connection-config.ts';
import type { DiscoveredImage } from './discovered-image.ts';
import { createLister, type ListerOptions } from './registry-lister.ts';
import { keysOf, manyTags, pushListingContent, pushSmallImage, type ExpectedImage } from './test-content.ts';
import { codeOf, listingSetup, pulledDigest, signal } from './test-setup.ts';

let registry: TestRegistry;
let hub: FakeDockerHub;
let acme: ExpectedImage[];
let options: ListerOptions;

const { config, collect, testConnection } = listingSetup(
  () => ({ type: 'dockerhub', url: hub.url, credentials: { kind: 'anonymous' }, namespaces: ['acme'] }),
  () => options,
);
const signedIn: Partial<ConnectionConfig> = { credentials: { kind: 'basic', ...defaultTestUser } };

before(async () => {
  registry = await startRegistry({ schema1: true });
  acme = await pushListingContent(registry, 'acme/');
  await pushSmallImage(registry, 'private', ['private/app:v1']);
  hub = await FakeDockerHub.start({ registry, privateNamespaces: ['private'] });
  options = { pullRegistry: registry.host };
});

after(async () => {
  await hub?.stop();
  await registry?.stop();
});

describe('Docker Hub lister', () => {
  it('lists a namespace’s repositories and tags across pages from the web API alone', async () => {
    const images = await collect({ pageSize: 2 });
    assert.deepEqual(keysOf(images), acme.map((entry) => `acme/${entry.name}:${entry.tag}`).sort());
    assert.ok(
      hub.count((request) => request.path.includes('/tags?') && request.path.includes('page=3')) >= 1,
    );
    for (const image of images) {
      const want = acme.find((entry) => `acme/${entry.name}` === image.repository && entry.tag === image.tag);
      assert.ok(want);
      assert.equal(image.namespace, 'acme');
      assert.equal(image.digest, want.digest);
      assert.equal(image.mediaType, want.mediaType);
      assert.deepEqual(image.pushedAt, new Date(defaultDockerHubPushTime));
      assert.deepEqual(image.pull, {
        registry: registry.host,
        repository: image.repository,
        reference: want.digest,
      });
      if (want.kind === 'index') {
        assert.deepEqual(
          image.platforms,
          want.platforms.map(({ platform, digest, layersSize }) => ({ platform, digest, size: layersSize })),
        );
        assert.equal(image.size, want.layersSize);
      } else {
        assert.deepEqual(image.platforms, []);
      }
      if (want.kind === 'image') assert.equal(image.size, want.layersSize);
    }
  });

  it('a listed image can be pulled from the pull registry', async () => {
    const [image] = await collect({}, { include: ['acme/multi'] });
    assert.ok(image);
    assert.equal(await pulledDigest(image), image.digest);
  });

  it('private repositories need a signed-in account; include/exclude apply', async () => {
    assert.deepEqual(await collect({}, { namespaces: ['private'] }), []);
    const images = await collect(
      {},
      { ...signedIn, namespaces: ['private', 'acme'], exclude: ['acme/*:t*', 'acme/old', 'acme/chart'] },
    );
    assert.deepEqual(keysOf(images), [
      'acme/app:latest',
      'acme/app:v1',
      'acme/app:v2',
      'acme/multi:v1',
      'private/app:v1',
    ]);
    assert.equal(
      hub.count((request) => request.path === '/v2/auth/token'),
      1,
    );
  });

  it('signs in again when the session token stops being accepted mid-listing', async () => {
    const before = hub.count((request) => request.path === '/v2/auth/token');
    const images: DiscoveredImage[] = [];
    for await (const image of createLister(config({ ...signedIn, include: ['acme/many'] }), {
      ...options,
      pageSize: 2,
    }).list(signal())) {
      images.push(image);
      if (images.length === 1) hub.revokeTokens();
    }
    assert.deepEqual(
      keysOf(images),
      manyTags.map((tag) => `acme/many:${tag}`),
    );
    assert.equal(hub.count((request) => request.path === '/v2/auth/token') - before, 2);
  });

  it('waits as 429 Retry-After asks, within the attempts; past them the failure is registry_rate_limited', async () => {
    const waits: number[] = [];
    const sleep = (ms: number): Promise<void> => {
      waits.push(ms);
      return Promise.resolve();
    };
    hub.rateLimitNext(2, 7);
    const images = await collect({ registryOptions: { sleep } }, { include: ['acme/app'] });
    assert.equal(images.length, 3);
    assert.deepEqual(waits, [7000, 7000]);
    hub.rateLimitNext(10, 1);
    await assert.rejects(
      collect({ registryOptions: { sleep, retries: { maxAttempts: 2 } } }),
      (error: unknown) => codeOf(error) === 'registry_rate_limited',
    );
    const limited = await testConnection({}, { registryOptions: { sleep, retries: { maxAttempts: 1 } } });
    assert.deepEqual(limited.ok ? limited : limited.code, 'registry_rate_limited');
    hub.rateLimitNext(0);
  });

  it('wrong password: listing throws authentication_failed', async () => {
    await assert.rejects(
      collect({}, { credentials: { kind: 'basic', username: 'alice', password: 'wrong' } }),
      (error: unknown) => codeOf(error) === 'authentication_failed',
    );
  });

  it('connection test: ok, wrong credentials, unreachable port', async () => {
    const ok = await testConnection(signedIn);
    assert.deepEqual(ok, { ok: true, detail: 'Docker Hub; namespace acme readable' });
    const wrong = await testConnection({ credentials: { kind: 'basic', username: 'alice', password: 'x' } });
    assert.deepEqual(wrong.ok ? wrong : wrong.code, 'authentication_failed');
    const down = await testConnection({ url: `http://127.0.0.1:${await freePort()}` });
    assert.deepEqual(down.ok ? down : down.code, 'unreachable');
  });
});
