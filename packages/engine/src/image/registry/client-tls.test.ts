/** RegistryClient over TLS against the loopback fault server, with a throwaway self-signed certificate. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { selfSignedIdentity } from '../../../../../test/harness/tls.ts';
import { RegistryClient } from './client.ts';
import {
  fakeServer,
  manifest,
  rejectsWith,
  sendManifest,
  sha256,
  signal,
  type FakeServer,
} from './fake-registry-server.ts';
import type { RegistryOptions } from './options.ts';

describe('TLS', () => {
  let server: FakeServer;
  let certPem: string;
  before(async () => {
    const identity = await selfSignedIdentity();
    certPem = identity.certPem;
    server = await fakeServer({ key: identity.keyPem, cert: certPem });
    server.handle = (_request, response) => sendManifest(response);
  });
  after(async () => {
    await server.close();
  });

  it('rejects an unknown certificate with download_failed tls, not retried', async () => {
    const client = new RegistryClient(server.host, { scheme: 'https' });
    try {
      server.requests.length = 0;
      await rejectsWith(client.getManifest('a/b', 'v1', signal()), 'download_failed', 'tls');
    } finally {
      await client.close();
    }
  });

  it('trusts a custom CA, or skips verification when told to', async () => {
    for (const options of [{ caPem: certPem }, { skipTlsVerify: true }] satisfies RegistryOptions[]) {
      const client = new RegistryClient(server.host, { scheme: 'https', ...options });
      try {
        const result = await client.getManifest('a/b', 'v1', signal());
        assert.equal(result.digest, sha256(manifest));
      } finally {
        await client.close();
      }
    }
  });
});
