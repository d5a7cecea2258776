/**
 * The registry client and RegistryImageSource against the real Debian `docker-registry`, in its
 * three authentication modes (none, htpasswd Basic, Bearer tokens from the project's token server),
 * with content pushed through the distribution push API by test/harness/registry-push.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { Readable } from 'node:stream';
import { RegistryClient } from '../packages/engine/src/image/registry/client.ts';
import { basicCredentials, type Credentials } from '../packages/engine/src/image/registry/credentials.ts';
import {
  RegistryImageSource,
  type LayerProgress,
} from '../packages/engine/src/image/registry/registry-source.ts';
import { DrydockError, type FailureCode } from '../packages/engine/src/util/errors.ts';
import { startRegistries, type RegistryAuth, type TestRegistry } from './harness/registry.ts';
import {
  buildIndex,
  buildSchema1Manifest,
  buildTestImage,
  corruptBlob,
  RegistryPusher,
  type TestImage,
} from './harness/registry-push.ts';

const modes: readonly RegistryAuth[] = ['none', 'basic', 'token'];

interface Fixture {
  readonly registry: TestRegistry;
  readonly app: TestImage;
  readonly appDigest: string;
  readonly dockerApp: TestImage;
  readonly amd64: TestImage;
  readonly arm64: TestImage;
  readonly indexDigest: string;
}

const fixtures = new Map<RegistryAuth, Fixture>();
let lying: TestImage;
const repositoriesInNone = [
  'test/app',
  'test/docker',
  'test/multi',
  'test/old',
  'test/lie',
  'test/artifact',
  'test/tags',
];

function signal(): AbortSignal {
  return AbortSignal.timeout(10_000);
}

function fixture(mode: RegistryAuth): Fixture {
  const found = fixtures.get(mode);
  assert.ok(found, `fixture for ${mode}`);
  return found;
}

function credentialsFor(mode: RegistryAuth): Credentials | undefined {
  if (mode === 'none') return undefined;
  const user = fixture(mode).registry.users[0];
  assert.ok(user);
  return basicCredentials(user.username, user.password);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function rejectsWith(
  promise: Promise<unknown>,
  code: FailureCode,
  reason?: string,
): Promise<DrydockError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DrydockError, `expected a DrydockError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (reason !== undefined) assert.equal(error.reason, reason, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

before(async () => {
  const registries = await startRegistries({ schema1: true });
  await Promise.all(
    modes.map(async (mode) => {
      const registry = registries[mode];
      const pusher = new RegistryPusher(registry);
      const app = await buildTestImage({
        layers: [
          { 'etc/os-release': 'ID=test\n' },
          { 'app/main.js': `console.log("${mode}")\n`, 'app/package.json': '{}' },
        ],
      });
      const dockerApp = await buildTestImage({
        format: 'docker',
        layers: [{ 'docker.txt': 'docker format\n' }],
      });
      const amd64 = await buildTestImage({ architecture: 'amd64', layers: [{ 'arch.txt': 'amd64\n' }] });
      const arm64 = await buildTestImage({
        architecture: 'arm64',
        variant: 'v8',
        layers: [{ 'arch.txt': 'arm64\n' }],
      });
      const appDigest = await pusher.pushImage('test/app', 'v1', app);
      await pusher.pushImage('test/docker', 'v1', dockerApp);
      const index = buildIndex([
        { image: amd64, platform: { os: 'linux', architecture: 'amd64' } },
        { image: arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ]);
      const indexDigest = await pusher.pushIndex('test/multi', 'v1', index, [amd64, arm64]);
      fixtures.set(mode, { registry, app, appDigest, dockerApp, amd64, arm64, indexDigest });
    }),
  );
  // Exotic content, in the registry without authentication.
  const { registry, app } = fixture('none');
  const pusher = new RegistryPusher(registry);
  for (const layer of app.layers) await pusher.pushBlob('test/old', layer.bytes);
  const schema1 = buildSchema1Manifest('test/old', 'v1', app.layers);
  await pusher.pushManifest('test/old', 'v1', schema1.bytes, schema1.mediaType);
  lying = await buildTestImage({
    layers: [{ 'ok.txt': 'fine\n' }, { 'evil.txt': 'these bytes will be altered in storage\n' }],
  });
  await pusher.pushImage('test/lie', 'v1', lying);
  const liar = lying.layers[1];
  assert.ok(liar);
  await corruptBlob(registry.storageDir, liar.digest, 20);
  const artifact = await buildTestImage({
    configMediaType: 'application/vnd.cncf.helm.config.v1+json',
    layerMediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
  });
  await pusher.pushImage('test/artifact', 'v1', artifact);
  const tagged = await buildTestImage({ layers: [{ 't.txt': 't' }] });
  for (const tag of ['a', 'b', 'c', 'd', 'e']) await pusher.pushImage('test/tags', tag, tagged);
});

after(async () => {
  await Promise.all([...fixtures.values()].map((entry) => entry.registry.stop()));
});

for (const mode of modes) {
  describe(`registry with auth=${mode}`, () => {
    it('pings and reports the authentication scheme', async () => {
      const client = new RegistryClient(fixture(mode).registry.host, { credentials: credentialsFor(mode) });
      try {
        const ping = await client.ping(signal());
        assert.equal(ping.authScheme, { none: 'none', basic: 'basic', token: 'bearer' }[mode]);
        assert.equal(ping.apiVersion, 'registry/2.0');
      } finally {
        await client.close();
      }
    });

    it('pulls manifest, config and layers by tag, with progress', async () => {
      const { registry, app, appDigest } = fixture(mode);
      const progress: LayerProgress[] = [];
      const source = new RegistryImageSource(`${registry.host}/test/app:v1`, {
        credentials: credentialsFor(mode),
        onProgress: (p) => progress.push(p),
      });
      try {
        const description = await source.describe(signal());
        assert.deepEqual(description, {
          kind: 'registry',
          name: `${registry.host}/test/app:v1`,
          digest: appDigest,
          mediaType: app.manifest.mediaType,
          platforms: [],
        });
        const image = await source.select(undefined, signal());
        assert.equal(image.metadata.manifestDigest, appDigest);
        assert.equal(image.metadata.configDigest, app.config.digest);
        assert.deepEqual(image.metadata.repoTags, [`${registry.host}/test/app:v1`]);
        assert.deepEqual(image.metadata.platform, { os: 'linux', architecture: 'amd64' });
        assert.deepEqual(
          image.metadata.layers.map((layer) => [layer.digest, layer.size, layer.createdBy]),
          app.layers.map((layer, index) => [layer.digest, layer.size, `ADD layer-${index} /`]),
        );
        for (const [index, layer] of app.layers.entries()) {
          const bytes = await readAll(await image.openLayer(index, signal()));
          assert.deepEqual(bytes, layer.bytes);
          assert.deepEqual(gunzipSync(bytes), app.layerTars[index]);
        }
        const last = progress.filter((p) => p.layerIndex === 1).at(-1);
        assert.deepEqual(last, { layerIndex: 1, bytes: app.layers[1]?.size, total: app.layers[1]?.size });
      } finally {
        await source.close();
      }
    });

    it('pulls by digest, HEADs a manifest, and pulls a Docker v2 manifest', async () => {
      const { registry, app, appDigest, dockerApp } = fixture(mode);
      const byDigest = new RegistryImageSource(`${registry.host}/test/app@${appDigest}`, {
        credentials: credentialsFor(mode),
      });
      try {
        const image = await byDigest.select(undefined, signal());
        assert.equal(image.metadata.manifestDigest, appDigest);
        assert.deepEqual(image.metadata.repoTags, []);
        const bytes = await readAll(await image.openLayer(0, signal()));
        assert.deepEqual(bytes, app.layers[0]?.bytes);
      } finally {
        await byDigest.close();
      }
      const client = new RegistryClient(registry.host, { credentials: credentialsFor(mode) });
      try {
        const head = await client.headManifest('test/app', 'v1', signal());
        assert.deepEqual(head, {
          digest: appDigest,
          mediaType: app.manifest.mediaType,
          size: app.manifest.size,
        });
      } finally {
        await client.close();
      }
      const docker = new RegistryImageSource(`${registry.host}/test/docker:v1`, {
        credentials: credentialsFor(mode),
      });
      try {
        const image = await docker.select(undefined, signal());
        assert.equal(
          image.metadata.manifestMediaType,
          'application/vnd.docker.distribution.manifest.v2+json',
        );
        assert.equal(image.metadata.manifestDigest, dockerApp.manifest.digest);
      } finally {
        await docker.close();
      }
    });

    it('selects amd64 and arm64 from a multi-arch index', async () => {
      const { registry, amd64, arm64, indexDigest } = fixture(mode);
      const source = new RegistryImageSource(`${registry.host}/test/multi:v1`, {
        credentials: credentialsFor(mode),
      });
      try {
        const description = await source.describe(signal());
        assert.equal(description.digest, indexDigest);
        assert.equal(description.mediaType, 'application/vnd.oci.image.index.v1+json');
        assert.deepEqual(
          description.platforms.map((p) => [p.platform, p.digest]),
          [
            [{ os: 'linux', architecture: 'amd64' }, amd64.manifest.digest],
            [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, arm64.manifest.digest],
          ],
        );
        const intel = await source.select({ os: 'linux', architecture: 'amd64' }, signal());
        assert.equal(intel.metadata.manifestDigest, amd64.manifest.digest);
        assert.equal(gunzipSync(await readAll(await intel.openLayer(0, signal()))).includes('amd64'), true);
        const arm = await source.select({ os: 'linux', architecture: 'arm64' }, signal());
        assert.equal(arm.metadata.manifestDigest, arm64.manifest.digest);
        assert.equal(arm.metadata.config.architecture, 'arm64');
        assert.deepEqual(arm.metadata.platform, { os: 'linux', architecture: 'arm64', variant: 'v8' });
        await rejectsWith(
          source.select({ os: 'linux', architecture: 's390x' }, signal()),
          'not_found',
          'platform_not_found',
        );
      } finally {
        await source.close();
      }
    });

    it('reports a missing repository, tag or blob as not_found', async () => {
      const { registry } = fixture(mode);
      const client = new RegistryClient(registry.host, { credentials: credentialsFor(mode) });
      try {
        await rejectsWith(client.getManifest('test/nope', 'v1', signal()), 'not_found');
        await rejectsWith(client.getManifest('test/app', 'v404', signal()), 'not_found', 'manifest_unknown');
        await rejectsWith(
          client.openBlob('test/app', { digest: `sha256:${'0'.repeat(64)}`, size: 1 }, signal()),
          'not_found',
          'blob_unknown',
        );
      } finally {
        await client.close();
      }
    });

    if (mode !== 'none') {
      it('rejects wrong credentials with authentication_failed, without echoing them', async () => {
        const { registry } = fixture(mode);
        const password = 'wrong-password-9f2c';
        const source = new RegistryImageSource(`${registry.host}/test/app:v1`, {
          credentials: basicCredentials('alice', password),
        });
        try {
          const error = await rejectsWith(source.describe(signal()), 'authentication_failed');
          assert.ok(!JSON.stringify({ message: error.message, details: error.details }).includes(password));
        } finally {
          await source.close();
        }
      });
    }
  });
}

describe('authentication specifics', () => {
  it('basic registry without credentials → authentication_failed', async () => {
    const client = new RegistryClient(fixture('basic').registry.host);
    try {
      await rejectsWith(
        client.getManifest('test/app', 'v1', signal()),
        'authentication_failed',
        'credentials_required',
      );
    } finally {
      await client.close();
    }
  });

  it('token registry lets anonymous users pull but not list the catalog', async () => {
    const client = new RegistryClient(fixture('token').registry.host);
    try {
      const manifest = await client.getManifest('test/app', 'v1', signal());
      assert.equal(manifest.digest, fixture('token').appDigest);
      await rejectsWith(
        (async () => {
          for await (const _ of client.catalog(signal())) void _;
        })(),
        'authentication_failed',
      );
    } finally {
      await client.close();
    }
  });

  it('caches tokens per scope and asks again once they expire', async () => {
    const { registry, app } = fixture('token');
    const server = registry.tokenServer;
    assert.ok(server);
    let now = Date.now();
    const client = new RegistryClient(registry.host, {
      credentials: credentialsFor('token'),
      clock: () => now,
    });
    const source = new RegistryImageSource(`${registry.host}/test/app:v1`, { client });
    try {
      server.resetStats();
      const image = await source.select(undefined, signal());
      for (const index of app.layers.keys()) await readAll(await image.openLayer(index, signal()));
      await client.getManifest('test/app', 'v1', signal());
      assert.equal(
        server.stats().tokenRequests,
        1,
        'one token for manifest, config, layers and a second manifest',
      );
      await client.getManifest('test/multi', 'v1', signal());
      assert.equal(server.stats().tokenRequests, 2, 'another repository is another scope');
      now += 301_000; // the token server's tokens live 300 s
      await client.getManifest('test/app', 'v1', signal());
      assert.equal(server.stats().tokenRequests, 3, 'expired tokens are fetched again');
      assert.equal(client.tokenRequests, 3);
    } finally {
      await source.close();
      await client.close();
    }
  });
});

describe('listing', () => {
  it('follows catalog pagination with n=2', async () => {
    const client = new RegistryClient(fixture('none').registry.host);
    try {
      const names: string[] = [];
      for await (const name of client.catalog(signal(), { pageSize: 2 })) names.push(name);
      assert.deepEqual(names, [...repositoriesInNone].sort());
    } finally {
      await client.close();
    }
  });

  it('follows tag pagination with n=2, with bearer tokens', async () => {
    const clientNone = new RegistryClient(fixture('none').registry.host);
    const clientToken = new RegistryClient(fixture('token').registry.host, {
      credentials: credentialsFor('token'),
    });
    try {
      const tags: string[] = [];
      for await (const tag of clientNone.tags('test/tags', signal(), { pageSize: 2 })) tags.push(tag);
      // distribution 2.8 pages tags in its own order; each must come exactly once.
      assert.deepEqual(tags.sort(), ['a', 'b', 'c', 'd', 'e']);
      const repositories: string[] = [];
      for await (const name of clientToken.catalog(signal(), { pageSize: 2 })) repositories.push(name);
      assert.deepEqual(repositories, ['test/app', 'test/docker', 'test/multi']);
      const multiTags: string[] = [];
      for await (const tag of clientToken.tags('test/multi', signal(), { pageSize: 2 })) multiTags.push(tag);
      assert.deepEqual(multiTags, ['v1']);
      await rejectsWith(
        (async () => {
          for await (const _ of clientNone.tags('test/nope', signal())) void _;
        })(),
        'not_found',
        'name_unknown',
      );
    } finally {
      await clientNone.close();
      await clientToken.close();
    }
  });
});

describe('content Drydock refuses', () => {
  it('schema 1 manifests → schema_v1_not_supported', async () => {
    const source = new RegistryImageSource(`${fixture('none').registry.host}/test/old:v1`);
    try {
      await rejectsWith(source.describe(signal()), 'schema_v1_not_supported');
    } finally {
      await source.close();
    }
  });

  it('a blob whose bytes lie about their digest → download_failed digest_mismatch', async () => {
    const source = new RegistryImageSource(`${fixture('none').registry.host}/test/lie:v1`);
    try {
      const image = await source.select(undefined, signal());
      assert.deepEqual(await readAll(await image.openLayer(0, signal())), lying.layers[0]?.bytes);
      await rejectsWith(readAll(await image.openLayer(1, signal())), 'download_failed', 'digest_mismatch');
    } finally {
      await source.close();
    }
  });

  it('an artifact that is not a container image → unsupported_media_type before any layer download', async () => {
    const source = new RegistryImageSource(`${fixture('none').registry.host}/test/artifact:v1`);
    try {
      await rejectsWith(source.select(undefined, signal()), 'unsupported_media_type', 'config_media_type');
    } finally {
      await source.close();
    }
  });

  it('descriptor limits fail before any download', async () => {
    const source = new RegistryImageSource(`${fixture('none').registry.host}/test/app:v1`, {
      limits: { maxLayers: 1 },
    });
    try {
      await rejectsWith(source.select(undefined, signal()), 'too_many_layers');
    } finally {
      await source.close();
    }
  });
});
