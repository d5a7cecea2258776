/**
 * The Harbor lister against FakeHarbor (test/harness/fake-harbor.ts), whose content is a real
 * `docker-registry`'s: projects `library`, `team` and `secret` (the last denied to the users).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultHarborPushTime, FakeHarbor } from '../../../../../test/harness/fake-harbor.ts';
import { freePort, startRegistry, type TestRegistry } from '../../../../../test/harness/registry.ts';
import { registryClientOptions } from './connection-config.ts';
import { harborRepositoryParam } from './harbor-lister.ts';
import type { SkippedEntry } from './registry-lister.ts';
import { keysOf, pushListingContent, pushSmallImage, type ExpectedImage } from './test-content.ts';
import { codeOf, listingSetup, pulledDigest } from './test-setup.ts';

let registry: TestRegistry;
let harbor: FakeHarbor;
let library: ExpectedImage[];
const robot = { username: 'robot$scanner', password: 'R0bot-secret' };

const { config, collect, testConnection } = listingSetup(() => ({
  type: 'harbor',
  url: harbor.url,
  credentials: { kind: 'basic', ...robot },
}));

before(async () => {
  registry = await startRegistry({ schema1: true });
  library = await pushListingContent(registry, 'library/', { nested: true });
  await pushSmallImage(registry, 'team', ['team/api:2.0', 'secret/vault:1.0']);
  harbor = await FakeHarbor.start({
    registry,
    users: [robot],
    publicProjects: ['library'],
    deniedProjects: ['secret'],
  });
});

after(async () => {
  await harbor?.stop();
  await registry?.stop();
});

describe('Harbor lister', () => {
  it('encodes a repository inside its project twice, as Harbor requires', () => {
    assert.equal(harborRepositoryParam('library', 'library/tools/cli'), 'tools%252Fcli');
    assert.equal(harborRepositoryParam('library', 'library/nginx'), 'nginx');
  });

  it('lists projects, repositories and tagged artifacts across pages, without touching /v2/', async () => {
    const images = await collect({ pageSize: 2 });
    assert.deepEqual(
      keysOf(images),
      [...library.map((entry) => `library/${entry.name}:${entry.tag}`), 'team/api:2.0'].sort(),
    );
    // Six repositories in `library`, two per page.
    assert.equal(
      harbor.count((request) => request.path.startsWith('/api/v2.0/projects/library/repositories?')),
      3,
    );
    assert.equal(
      harbor.count((request) => request.path.startsWith('/v2/')),
      0,
    );
    for (const image of images.filter((entry) => entry.namespace === 'library')) {
      const want = library.find(
        (entry) => `library/${entry.name}` === image.repository && entry.tag === image.tag,
      );
      assert.ok(want);
      assert.equal(image.digest, want.digest);
      assert.equal(image.mediaType, want.mediaType);
      assert.deepEqual(image.pushedAt, new Date(defaultHarborPushTime));
      assert.deepEqual(image.pull, {
        registry: harbor.host,
        repository: image.repository,
        reference: want.digest,
      });
      if (want.kind === 'index') {
        // Harbor names the children and their platforms; it lists no separate size for them.
        assert.deepEqual(
          image.platforms,
          want.platforms.map(({ platform, digest }) => ({ platform, digest, size: 0 })),
        );
      } else {
        assert.deepEqual(image.platforms, []);
        if (want.kind !== 'schema1') assert.equal(image.size, want.manifestSize + want.imageSize);
      }
    }
  });

  it('lists only the named projects; a project the account may not read is skipped and reported', async () => {
    const skipped: SkippedEntry[] = [];
    const images = await collect(
      { onSkip: (entry) => skipped.push(entry) },
      { namespaces: ['team', 'secret'] },
    );
    assert.deepEqual(keysOf(images), ['team/api:2.0']);
    assert.deepEqual(
      skipped.map(({ namespace, code }) => ({ namespace, code })),
      [{ namespace: 'secret', code: 'authentication_failed' }],
    );
  });

  it('anonymous access sees the public projects only', async () => {
    const images = await collect({}, { credentials: { kind: 'anonymous' } });
    assert.ok(images.length > 0);
    assert.deepEqual(new Set(images.map((image) => image.namespace)), new Set(['library']));
  });

  it('include and exclude apply to project/repository and tag', async () => {
    const images = await collect(
      {},
      { include: ['library/**'], exclude: ['library/many', 'library/app:v*'] },
    );
    assert.deepEqual(keysOf(images), [
      'library/app:latest',
      'library/chart:1.0.0',
      'library/multi:v1',
      'library/old:v1',
      'library/tools/cli:1.0',
    ]);
  });

  it('a listed image can be pulled through the same host /v2/ with the same credentials', async () => {
    const [image] = await collect({}, { include: ['library/multi:v1'] });
    assert.ok(image);
    assert.equal(await pulledDigest(image, registryClientOptions(config())), image.digest);
  });

  it('wrong password: listing throws authentication_failed', async () => {
    await assert.rejects(
      collect({}, { credentials: { kind: 'basic', username: robot.username, password: 'wrong' } }),
      (error: unknown) => codeOf(error) === 'authentication_failed',
    );
    await assert.rejects(
      collect(
        {},
        { credentials: { kind: 'basic', username: robot.username, password: 'wrong' }, namespaces: ['team'] },
      ),
      (error: unknown) => codeOf(error) === 'authentication_failed',
    );
  });

  it('connection test: ok, wrong credentials, unreachable port', async () => {
    const ok = await testConnection();
    assert.ok(ok.ok && ok.detail.includes('Harbor v2.11.0-fake'), JSON.stringify(ok));
    const wrong = await testConnection({
      credentials: { kind: 'basic', username: robot.username, password: 'x' },
    });
    assert.deepEqual(wrong.ok ? wrong : wrong.code, 'authentication_failed');
    const down = await testConnection({ url: `http://127.0.0.1:${await freePort()}` });
    assert.deepEqual(down.ok ? down : down.code, 'unreachable');
  });
});
