/**
 * RegistryClient authentication against the loopback fault server: token exchange and caching,
 * pre-issued bearer tokens, credentials kept from redirects and from plain HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RegistryClient } from './client.ts';
import { basicCredentials, bearerCredentials } from './credentials.ts';
import {
  blob,
  blobDigest,
  fakeServer,
  readAll,
  rejectsWith,
  sendManifest,
  signal,
  type FakeServer,
} from './fake-registry-server.ts';

describe('RegistryClient against a fault server', () => {
  const clients: RegistryClient[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
  });

  it('refuses plain HTTP to a registry that is neither loopback nor insecure, without connecting', async () => {
    const remote = new RegistryClient('registry.example.invalid', { scheme: 'http' });
    clients.push(remote);
    await rejectsWith(remote.getManifest('a/b', 'v1', signal()), 'download_failed', 'insecure_url');
  });
});

describe('authentication against a fault server', () => {
  let registry: FakeServer;
  let realm: FakeServer;
  const password = 'pa55-word-7d1e';
  before(async () => {
    registry = await fakeServer();
    realm = await fakeServer();
  });
  after(async () => {
    await registry.close();
    await realm.close();
  });

  it('fetches a token again when the registry rejects a cached one', async () => {
    let issued = 0;
    realm.handle = (request, response) => {
      issued += 1;
      assert.equal(
        request.headers.authorization,
        `Basic ${Buffer.from(`alice:${password}`).toString('base64')}`,
      );
      const url = new URL(request.url ?? '', realm.url);
      assert.equal(url.searchParams.get('service'), 'fake');
      assert.deepEqual(url.searchParams.getAll('scope'), ['repository:a/b:pull']);
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token: `t${issued}`, expires_in: 300 }));
    };
    let accepted = 't1';
    registry.handle = (request, response) => {
      if (request.headers.authorization === `Bearer ${accepted}`) return sendManifest(response);
      response
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${realm.url}/token",service="fake",scope="repository:a/b:pull"`,
        })
        .end();
    };
    const client = new RegistryClient(registry.host, { credentials: basicCredentials('alice', password) });
    try {
      await client.getManifest('a/b', 'v1', signal());
      await client.getManifest('a/b', 'v1', signal());
      assert.equal(issued, 1, 'the second request reuses the token');
      accepted = 't2'; // the registry revokes t1
      await client.getManifest('a/b', 'v1', signal());
      assert.equal(issued, 2);
      accepted = 'never';
      const error = await rejectsWith(client.getManifest('a/b', 'v1', signal()), 'authentication_failed');
      const shown = JSON.stringify({ message: error.message, details: error.details });
      assert.ok(!shown.includes(password) && !shown.includes('t3'), shown);
    } finally {
      await client.close();
    }
  });

  it('shares one token request between concurrent requests', async () => {
    let issued = 0;
    realm.handle = (_request, response) => {
      issued += 1;
      setTimeout(() => response.writeHead(200).end(JSON.stringify({ token: 'shared' })), 50);
    };
    registry.handle = (request, response) => {
      if (request.headers.authorization === 'Bearer shared') return sendManifest(response);
      response
        .writeHead(401, { 'www-authenticate': `Bearer realm="${realm.url}/token",service="fake"` })
        .end();
    };
    const client = new RegistryClient(registry.host);
    try {
      await client.ping(signal()).catch(() => undefined); // learns the scheme
      issued = 0;
      await Promise.all(Array.from({ length: 5 }, () => client.getManifest('a/b', 'v1', signal())));
      assert.equal(issued, 1);
    } finally {
      await client.close();
    }
  });

  it('a token server refusing the credentials → authentication_failed token_denied', async () => {
    realm.handle = (_request, response) => void response.writeHead(401).end();
    registry.handle = (_request, response) =>
      void response
        .writeHead(401, { 'www-authenticate': `Bearer realm="${realm.url}/token",service="fake"` })
        .end();
    const client = new RegistryClient(registry.host, { credentials: basicCredentials('alice', password) });
    try {
      const error = await rejectsWith(
        client.getManifest('a/b', 'v1', signal()),
        'authentication_failed',
        'token_denied',
      );
      assert.ok(!error.message.includes(password));
    } finally {
      await client.close();
    }
  });

  it('sends a pre-issued bearer token as is, and fails cleanly when it is refused', async () => {
    const secret = 'pre-issued-token-abc';
    registry.handle = (request, response) => {
      if (request.headers.authorization === `Bearer ${secret}`) return sendManifest(response);
      response.writeHead(401, { 'www-authenticate': 'Bearer realm="https://auth.invalid/token"' }).end();
    };
    const good = new RegistryClient(registry.host, { credentials: bearerCredentials(secret) });
    const bad = new RegistryClient(registry.host, { credentials: bearerCredentials('expired-token-xyz') });
    try {
      await good.getManifest('a/b', 'v1', signal());
      const error = await rejectsWith(
        bad.getManifest('a/b', 'v1', signal()),
        'authentication_failed',
        'token_rejected',
      );
      assert.ok(!error.message.includes('expired-token-xyz'));
    } finally {
      await good.close();
      await bad.close();
    }
  });

  it('does not forward Authorization on a redirect to another origin', async () => {
    const cdn = await fakeServer();
    try {
      cdn.handle = (_request, response) =>
        void response.writeHead(200, { 'content-length': blob.length }).end(blob);
      registry.handle = (request, response) => {
        if (request.headers.authorization === undefined) {
          return void response.writeHead(401, { 'www-authenticate': 'Basic realm="fake"' }).end();
        }
        response
          .writeHead(307, { location: `http://localhost:${cdn.host.split(':')[1]}/blob?signed=1` })
          .end();
      };
      const client = new RegistryClient(registry.host, { credentials: basicCredentials('alice', password) });
      try {
        const bytes = await readAll(
          await client.openBlob('a/b', { digest: blobDigest, size: blob.length }, signal()),
        );
        assert.deepEqual(bytes, blob);
        assert.equal(cdn.requests.length, 1);
        assert.equal(cdn.requests[0]?.headers.authorization, undefined);
      } finally {
        await client.close();
      }
    } finally {
      await cdn.close();
    }
  });
});
