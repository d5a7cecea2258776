/**
 * The plain-registry lister against the real Debian `docker-registry` (HTTP Basic), with content
 * pushed through the distribution API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CountingProxy } from '../../../../../test/harness/counting-proxy.ts';
import { freePort, startRegistry, type TestRegistry } from '../../../../../test/harness/registry.ts';
import type { ListerOptions, SkippedEntry } from './registry-lister.ts';
import { keysOf, manyTags, pushListingContent, type ExpectedImage } from './test-content.ts';
import { listingSetup } from './test-setup.ts';
import { unreadableTagsInARow } from './unreadable-tags.ts';

let registry: TestRegistry;
let expected: ExpectedImage[];
let others: ExpectedImage[];
const noWait: ListerOptions = {
  registryOptions: { sleep: () => Promise.resolve(), retries: { maxAttempts: 1 } },
};

const { collect, testConnection } = listingSetup(
  () => {
    const user = registry.users[0];
    assert.ok(user);
    return {
      type: 'registry',
      url: registry.url,
      credentials: { kind: 'basic', username: user.username, password: user.password },
    };
  },
  () => noWait,
);

before(async () => {
  registry = await startRegistry({ auth: 'basic', schema1: true });
  expected = await pushListingContent(registry, 'team/', { nested: true });
  others = await pushListingContent(registry, 'other/');
});

after(async () => {
  await registry?.stop();
});

describe('OCI registry lister', () => {
  it('lists every tag with digest, media type, size, platforms and config time, across pages', async () => {
    const images = await collect({ pageSize: 2 });
    assert.deepEqual(
      keysOf(images),
      [
        ...expected.map((entry) => `team/${entry.name}:${entry.tag}`),
        ...others.map((entry) => `other/${entry.name}:${entry.tag}`),
      ].sort(),
    );
    for (const image of images.filter((entry) => entry.repository.startsWith('team/'))) {
      const want = expected.find(
        (entry) => `team/${entry.name}` === image.repository && entry.tag === image.tag,
      );
      assert.ok(want, image.repository);
      assert.equal(image.namespace, '');
      assert.equal(image.digest, want.digest, `${image.repository}:${image.tag}`);
      assert.equal(image.mediaType, want.mediaType);
      assert.deepEqual(image.pushedAt, want.created);
      assert.deepEqual(image.pull, {
        registry: registry.host,
        repository: image.repository,
        reference: want.digest,
      });
      switch (want.kind) {
        case 'index':
          assert.deepEqual(
            image.platforms,
            want.platforms.map(({ platform, digest, imageSize }) => ({ platform, digest, size: imageSize })),
          );
          assert.equal(image.size, want.imageSize);
          break;
        case 'schema1':
          assert.equal(image.size, want.manifestSize);
          assert.deepEqual(image.platforms, []);
          break;
        default:
          assert.equal(image.size, want.imageSize);
          assert.deepEqual(image.platforms, []);
      }
    }
  });

  it('applies include and exclude patterns (exclude wins)', async () => {
    const images = await collect(
      {},
      { include: ['team/*', 'other/app:v*'], exclude: ['team/many', 'team/app:latest', 'other/app:v2'] },
    );
    assert.deepEqual(keysOf(images), [
      'other/app:v1',
      'team/app:v1',
      'team/app:v2',
      'team/chart:1.0.0',
      'team/multi:v1',
      'team/old:v1',
    ]);
  });

  it('a repository:tag include lists just that tag', async () => {
    const images = await collect({}, { include: [`team/many:${manyTags[2]}`] });
    assert.deepEqual(keysOf(images), [`team/many:${manyTags[2]}`]);
  });

  it('a tag whose manifest cannot be read is skipped and told; the rest is listed', async () => {
    const proxy = await CountingProxy.start(registry.url);
    try {
      proxy.breakManifests(['team/app:v2']);
      const skipped: SkippedEntry[] = [];
      const images = await collect({ onSkip: (entry) => skipped.push(entry) }, { url: proxy.url });
      assert.deepEqual(
        keysOf(images),
        [
          ...expected.map((entry) => `team/${entry.name}:${entry.tag}`),
          ...others.map((entry) => `other/${entry.name}:${entry.tag}`),
        ]
          .filter((key) => key !== 'team/app:v2')
          .sort(),
      );
      assert.equal(skipped.length, 1, JSON.stringify(skipped));
      const [entry] = skipped;
      assert.deepEqual(
        { ...entry, message: undefined },
        {
          namespace: '',
          repository: 'team/app',
          tag: 'v2',
          code: entry?.code,
          message: undefined,
        },
      );
      assert.match(entry?.code ?? '', /^(registry_unavailable|download_failed)$/);
    } finally {
      await proxy.stop();
    }
  });

  it(`${unreadableTagsInARow} unreadable tags in a row end the listing: the registry is failing, not a tag`, async () => {
    const proxy = await CountingProxy.start(registry.url);
    try {
      proxy.breakManifests(manyTags.map((tag) => `team/many:${tag}`));
      assert.ok(manyTags.length >= unreadableTagsInARow);
      const skipped: SkippedEntry[] = [];
      await assert.rejects(
        collect(
          { onSkip: (entry) => skipped.push(entry), concurrency: 1 },
          { url: proxy.url, include: ['team/many'] },
        ),
        (error: unknown) =>
          /^(registry_unavailable|download_failed)$/.test((error as { code?: string }).code ?? ''),
      );
      assert.equal(skipped.length, unreadableTagsInARow - 1);
    } finally {
      await proxy.stop();
    }
  });

  it('wrong password: the listing throws authentication_failed and nothing is skipped', async () => {
    const skipped: SkippedEntry[] = [];
    await assert.rejects(
      collect(
        { onSkip: (entry) => skipped.push(entry) },
        { credentials: { kind: 'basic', username: 'alice', password: 'wrong' } },
      ),
      (error: unknown) => (error as { code?: string }).code === 'authentication_failed',
    );
    assert.deepEqual(skipped, []);
  });

  it('anonymous access to a registry that requires credentials fails typed', async () => {
    await assert.rejects(
      collect({}, { credentials: { kind: 'anonymous' } }),
      (error: unknown) => (error as { code?: string }).code === 'authentication_failed',
    );
  });

  it('connection test: ok, wrong credentials, unreachable port', async () => {
    const ok = await testConnection();
    assert.equal(ok.ok, true, JSON.stringify(ok));
    const wrong = await testConnection({
      credentials: { kind: 'basic', username: 'alice', password: 'nope' },
    });
    assert.deepEqual(wrong.ok ? wrong : { ok: wrong.ok, code: wrong.code }, {
      ok: false,
      code: 'authentication_failed',
    });
    const port = await freePort();
    const down = await testConnection({ url: `http://127.0.0.1:${port}` });
    assert.deepEqual(down.ok ? down : { ok: down.ok, code: down.code }, { ok: false, code: 'unreachable' });
  });

  it('a URL with a path is refused as invalid, not guessed', async () => {
    const result = await testConnection({ url: `${registry.url}/some/path` });
    assert.equal(result.ok, false);
  });
});
