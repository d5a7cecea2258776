/**
 * The web API clients of Harbor, Artifactory and Docker Hub over HTTPS: each fake serves TLS with
 * a throwaway self-signed certificate (test/harness/tls.ts). Without the connection's CA the
 * certificate is refused with a typed `tls_failed`; with it, or with skip-verify, the listing
 * works, and pulls through Harbor's `/v2/` use the same trust.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeDockerHub } from '../../../../../test/harness/fake-dockerhub.ts';
import { FakeHarbor } from '../../../../../test/harness/fake-harbor.ts';
import { FakeJfrog } from '../../../../../test/harness/fake-jfrog.ts';
import { defaultTestUser, startRegistry, type TestRegistry } from '../../../../../test/harness/registry.ts';
import { selfSignedIdentity, type TlsIdentity } from '../../../../../test/harness/tls.ts';
import { registryClientOptions, type ConnectionConfig } from './connection-config.ts';
import { pushSmallImage } from './test-content.ts';
import { listingSetup, pulledDigest, type ListingSetup } from './test-setup.ts';

let registry: TestRegistry;
let tls: TlsIdentity;
let harbor: FakeHarbor;
let jfrog: FakeJfrog;
let hub: FakeDockerHub;

before(async () => {
  registry = await startRegistry();
  await pushSmallImage(registry, 'tls', ['library/web:1.0', 'jf/local/api:2.0', 'acme/tool:3.0']);
  tls = await selfSignedIdentity();
  harbor = await FakeHarbor.start({ registry, tls, publicProjects: ['library'] });
  jfrog = await FakeJfrog.start({
    registry,
    tls,
    repositories: [{ key: 'docker-local', type: 'LOCAL', prefix: 'jf/local' }],
  });
  hub = await FakeDockerHub.start({ registry, tls });
});

after(async () => {
  await Promise.all([harbor?.stop(), jfrog?.stop(), hub?.stop()]);
  await registry?.stop();
});

const connections: readonly {
  readonly type: ConnectionConfig['type'];
  readonly setup: ListingSetup;
  readonly expected: string;
}[] = [
  {
    type: 'harbor',
    setup: listingSetup(() => ({ type: 'harbor', url: harbor.url, credentials: { kind: 'anonymous' } })),
    expected: 'library/web:1.0',
  },
  {
    type: 'jfrog',
    setup: listingSetup(() => ({
      type: 'jfrog',
      url: jfrog.url,
      credentials: { kind: 'basic', ...defaultTestUser },
    })),
    expected: 'api:2.0',
  },
  {
    type: 'dockerhub',
    setup: listingSetup(
      () => ({ type: 'dockerhub', url: hub.url, credentials: { kind: 'anonymous' }, namespaces: ['acme'] }),
      () => ({ pullRegistry: registry.host }),
    ),
    expected: 'acme/tool:3.0',
  },
];

describe('registry web APIs over TLS', () => {
  for (const { type, setup, expected } of connections) {
    it(`${type}: refuses an unknown certificate, trusts the connection's CA, or skips verification when told`, async () => {
      const refused = await setup.testConnection();
      assert.equal(refused.ok, false);
      assert.equal(refused.ok ? undefined : refused.code, 'tls_failed');
      await assert.rejects(setup.collect(), { code: 'download_failed', reason: 'tls' });

      for (const trust of [{ caPem: tls.certPem }, { skipTlsVerify: true }]) {
        const trusted = await setup.testConnection(trust);
        assert.equal(trusted.ok, true, JSON.stringify(trusted));
        const images = await setup.collect({}, trust);
        assert.ok(
          images.some((image) => `${image.repository}:${image.tag}` === expected),
          `${type} listed ${images.map((image) => `${image.repository}:${image.tag}`).join(', ')}`,
        );
      }
    });
  }

  it('pulls through Harbor with the same trust as its API', async () => {
    const setup = connections[0]?.setup;
    assert.ok(setup);
    const config = setup.config({ caPem: tls.certPem });
    const [image] = (await setup.collect({}, { caPem: tls.certPem })).filter(
      (entry) => entry.repository === 'library/web',
    );
    assert.ok(image);
    assert.equal(await pulledDigest(image, registryClientOptions(config)), image.digest);
    await assert.rejects(pulledDigest(image, registryClientOptions(setup.config())), {
      code: 'download_failed',
      reason: 'tls',
    });
  });
});
