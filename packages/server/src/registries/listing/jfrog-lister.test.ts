/**
 * The Artifactory lister against FakeJfrog (test/harness/fake-jfrog.ts) over a real
 * `docker-registry`: `docker-local` (LOCAL, prefix `jf/local`), `docker-remote` (REMOTE, its
 * cache `jf/remote`), `docker-virtual` (VIRTUAL over `jf/local`) and `docker-secret` (denied).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultJfrogLastModified, FakeJfrog } from '../../../../../test/harness/fake-jfrog.ts';
import {
  defaultTestUser,
  freePort,
  startRegistry,
  type TestRegistry,
} from '../../../../../test/harness/registry.ts';
import { registryClientOptions } from './connection-config.ts';
import type { SkippedEntry } from './registry-lister.ts';
import { keysOf, pushListingContent, pushSmallImage, type ExpectedImage } from './test-content.ts';
import { codeOf, listingSetup, pulledDigest } from './test-setup.ts';

let registry: TestRegistry;
let jfrog: FakeJfrog;
let unlinked: FakeJfrog;
let local: ExpectedImage[];
const accessToken = 'eyJ2ZXIiOiIyIn0.fake-access-token';
const repositories = [
  { key: 'docker-local', type: 'LOCAL', prefix: 'jf/local' },
  { key: 'docker-remote', type: 'REMOTE', prefix: 'jf/remote' },
  { key: 'docker-virtual', type: 'VIRTUAL', prefix: 'jf/local' },
  { key: 'docker-secret', type: 'LOCAL', prefix: 'jf/secret' },
] as const;

const { config, collect, testConnection } = listingSetup(() => ({
  type: 'jfrog',
  url: jfrog.url,
  credentials: { kind: 'basic', ...defaultTestUser },
}));

before(async () => {
  registry = await startRegistry({ schema1: true });
  local = await pushListingContent(registry, 'jf/local/', { nested: true });
  await pushSmallImage(registry, 'cached', ['jf/remote/library/alpine:3.20', 'jf/secret/vault:1.0']);
  const options = {
    registry,
    repositories,
    accessTokens: [accessToken],
    deniedRepositories: ['docker-secret'],
  };
  jfrog = await FakeJfrog.start(options);
  unlinked = await FakeJfrog.start({ ...options, linkHeaders: false });
});

after(async () => {
  await jfrog?.stop();
  await unlinked?.stop();
  await registry?.stop();
});

describe('JFrog Artifactory lister', () => {
  it('lists local and remote Docker repositories (not virtual ones), paging catalogs and tags, without blob downloads', async () => {
    const images = await collect({ pageSize: 2 });
    assert.deepEqual(
      keysOf(
        images.map((image) => ({ repository: `${image.namespace}:${image.repository}`, tag: image.tag })),
      ),
      [
        ...local.map((entry) => `docker-local:${entry.name}:${entry.tag}`),
        'docker-remote:library/alpine:3.20',
      ].sort(),
    );
    assert.ok(
      jfrog.count((request) => request.path.includes('/v2/_catalog?') && request.path.includes('last=')) >= 2,
    );
    assert.ok(
      jfrog.count((request) => request.path.includes('/tags/list?') && request.path.includes('last=')) >= 2,
    );
    assert.equal(
      jfrog.count((request) => request.path.includes('/blobs/')),
      0,
    );
    for (const image of images.filter((entry) => entry.namespace === 'docker-local')) {
      const want = local.find((entry) => entry.name === image.repository && entry.tag === image.tag);
      assert.ok(want);
      assert.equal(image.digest, want.digest);
      assert.equal(image.mediaType, want.mediaType);
      assert.deepEqual(image.pushedAt, new Date(defaultJfrogLastModified));
      assert.deepEqual(image.pull, {
        registry: jfrog.host,
        repository: `docker-local/${image.repository}`,
        reference: want.digest,
      });
      if (want.kind === 'index') {
        assert.deepEqual(
          image.platforms,
          want.platforms.map(({ platform, digest, imageSize }) => ({ platform, digest, size: imageSize })),
        );
      }
      if (want.kind === 'image' || want.kind === 'artifact') assert.equal(image.size, want.imageSize);
    }
  });

  it('pages by `last` when the server sends no Link header', async () => {
    const images = await collect({ pageSize: 2 }, { url: unlinked.url, namespaces: ['docker-local'] });
    assert.deepEqual(keysOf(images), local.map((entry) => `${entry.name}:${entry.tag}`).sort());
  });

  it('a virtual repository is listed when named; a repository the account cannot see is reported', async () => {
    const skipped: SkippedEntry[] = [];
    const images = await collect(
      { onSkip: (entry) => skipped.push(entry) },
      { namespaces: ['docker-virtual', 'docker-secret'], include: ['app'] },
    );
    assert.deepEqual(images.map((image) => `${image.namespace}/${image.repository}:${image.tag}`).sort(), [
      'docker-virtual/app:latest',
      'docker-virtual/app:v1',
      'docker-virtual/app:v2',
    ]);
    assert.deepEqual(
      skipped.map(({ namespace, code }) => ({ namespace, code })),
      [{ namespace: 'docker-secret', code: 'not_found' }],
    );
  });

  it('takes an access token as bearer credentials', async () => {
    const images = await collect(
      {},
      { credentials: { kind: 'bearer', token: accessToken }, namespaces: ['docker-remote'] },
    );
    assert.deepEqual(keysOf(images), ['library/alpine:3.20']);
  });

  it('a listed image can be pulled from the host by repository path', async () => {
    const [image] = await collect({}, { namespaces: ['docker-local'], include: ['multi'] });
    assert.ok(image);
    assert.equal(await pulledDigest(image, registryClientOptions(config())), image.digest);
  });

  it('wrong password or no credentials: listing throws authentication_failed', async () => {
    await assert.rejects(
      collect({}, { credentials: { kind: 'basic', username: 'alice', password: 'wrong' } }),
      (error: unknown) => codeOf(error) === 'authentication_failed',
    );
    await assert.rejects(
      collect({}, { credentials: { kind: 'anonymous' } }),
      (error: unknown) => codeOf(error) === 'authentication_failed',
    );
  });

  it('connection test: ok, wrong credentials, unreachable port', async () => {
    const ok = await testConnection();
    assert.deepEqual(ok, { ok: true, detail: 'Artifactory; 3 Docker repositories visible' });
    const wrong = await testConnection({ credentials: { kind: 'bearer', token: 'expired' } });
    assert.deepEqual(wrong.ok ? wrong : wrong.code, 'authentication_failed');
    const down = await testConnection({ url: `http://127.0.0.1:${await freePort()}/artifactory` });
    assert.deepEqual(down.ok ? down : down.code, 'unreachable');
  });
});
