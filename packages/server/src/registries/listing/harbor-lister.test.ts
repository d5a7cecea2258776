/**
 * The Harbor lister against FakeHarbor (test/harness/fake-harbor.ts), whose content is a real
 * `docker-registry`'s: projects `library`, `team` and `secret` (the last denied to the users).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RegistryClient } from '@drydock/engine';
import { defaultHarborPushTime, FakeHarbor } from '../../../../../test/harness/fake-harbor.ts';
import { RegistryPusher, buildTestImage } from '../../../../../test/harness/registry-push.ts';
import { freePort, startRegistry, type TestRegistry } from '../../../../../test/harness/registry.ts';
import { registryClientOptions, type ConnectionConfig } from './connection-config.ts';
import type { DiscoveredImage } from './discovered-image.ts';
import { harborRepositoryParam } from './harbor-lister.ts';
import { createLister, type ListerOptions, type SkippedEntry } from './registry-lister.ts';
import { keysOf, pushListingContent, type ExpectedImage } from './test-content.ts';

let registry: TestRegistry;
let harbor: FakeHarbor;
let library: ExpectedImage[];
const robot = { username: 'robot$scanner', password: 'R0bot-secret' };

function signal(): AbortSignal {
  return AbortSignal.timeout(15_000);
}

function config(overrides: Partial<ConnectionConfig> = {}): ConnectionConfig {
  return {
    type: 'harbor',
    url: harbor.url,
    credentials: { kind: 'basic', ...robot },
    include: [],
    exclude: [],
    namespaces: [],
    ...overrides,
  };
}

async function collect(
  options: ListerOptions,
  overrides: Partial<ConnectionConfig> = {},
): Promise<DiscoveredImage[]> {
  const images: DiscoveredImage[] = [];
  for await (const image of createLister(config(overrides), options).list(signal())) images.push(image);
  return images;
}

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown }).code;
}

before(async () => {
  registry = await startRegistry({ schema1: true });
  library = await pushListingContent(registry, 'library/', { nested: true });
  const pusher = new RegistryPusher(registry);
  const image = await buildTestImage({ layers: [{ 'team.txt': 'team\n' }] });
  await pusher.pushImage('team/api', '2.0', image);
  await pusher.pushImage('secret/vault', '1.0', image);
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
    const client = new RegistryClient(image.pull.registry, registryClientOptions(config()));
    try {
      const manifest = await client.getManifest(image.pull.repository, image.pull.reference, signal());
      assert.equal(manifest.digest, image.digest);
    } finally {
      await client.close();
    }
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
    const ok = await createLister(config()).testConnection(signal());
    assert.ok(ok.ok && ok.detail.includes('Harbor v2.11.0-fake'), JSON.stringify(ok));
    const wrong = await createLister(
      config({ credentials: { kind: 'basic', username: robot.username, password: 'x' } }),
    ).testConnection(signal());
    assert.deepEqual(wrong.ok ? wrong : wrong.code, 'authentication_failed');
    const down = await createLister(config({ url: `http://127.0.0.1:${await freePort()}` })).testConnection(
      signal(),
    );
    assert.deepEqual(down.ok ? down : down.code, 'unreachable');
  });
});
