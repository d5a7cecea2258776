/**
 * RegistryClient against a loopback fault server: a tiny node:http server that answers as each
 * test needs (429, 5xx, stalls, truncation, lies, redirects, TLS), so the failure paths run fast
 * and deterministically. The real registry is exercised in test/registry-client.test.ts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { DrydockError, type FailureCode } from '../../util/errors.ts';
import { RegistryClient } from './client.ts';
import { basicCredentials, bearerCredentials } from './credentials.ts';
import type { RegistryOptions } from './options.ts';
import { RegistryImageSource } from './registry-source.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

interface FakeServer {
  readonly host: string;
  readonly url: string;
  readonly requests: IncomingMessage[];
  handle: Handler;
  close(): Promise<void>;
}

async function listen(
  server: Server,
  fake: { requests: IncomingMessage[]; handle: Handler },
): Promise<number> {
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    fake.requests.push(request);
    fake.handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

async function fakeServer(tls?: { key: string; cert: string }): Promise<FakeServer> {
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }) : createHttpServer();
  const fake = {
    requests: [] as IncomingMessage[],
    handle: ((_request, response) => {
      response.writeHead(500).end();
    }) as Handler,
  };
  const port = await listen(server, fake);
  const host = `127.0.0.1:${port}`;
  return Object.assign(fake, {
    host,
    url: `${tls ? 'https' : 'http'}://${host}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

const sha256 = (bytes: Buffer | string): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const blob = Buffer.alloc(256 * 1024, 7);
const blobDigest = sha256(blob);

const config = Buffer.from(
  JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [sha256('tar')] },
    history: [{ created_by: 'ADD x /' }],
  }),
);
const manifest = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: sha256(config),
      size: config.length,
    },
    layers: [
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: blobDigest, size: blob.length },
    ],
  }),
);

function sendManifest(
  response: ServerResponse,
  bytes: Buffer = manifest,
  digest = sha256(bytes),
  type = 'application/vnd.oci.image.manifest.v1+json',
): void {
  response
    .writeHead(200, { 'content-type': type, 'docker-content-digest': digest, 'content-length': bytes.length })
    .end(bytes);
}

/** Sleeps recorded instead of slept. */
function fakeTime(start = Date.parse('2026-01-01T00:00:00Z')): {
  now: number;
  sleeps: number[];
  options: Pick<RegistryOptions, 'clock' | 'sleep' | 'random'>;
} {
  const state = {
    now: start,
    sleeps: [] as number[],
    options: {} as Pick<RegistryOptions, 'clock' | 'sleep' | 'random'>,
  };
  state.options = {
    clock: () => state.now,
    sleep: async (ms: number, signal: AbortSignal) => {
      signal.throwIfAborted();
      state.sleeps.push(ms);
      state.now += ms;
    },
    random: () => 0.5,
  };
  return state;
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
    assert.equal(error.code, code, `${error.message} (${error.reason})`);
    if (reason !== undefined) assert.equal(error.reason, reason, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

const signal = (): AbortSignal => AbortSignal.timeout(10_000);

describe('RegistryClient against a fault server', () => {
  let server: FakeServer;
  const clients: RegistryClient[] = [];
  const client = (options: RegistryOptions = {}): RegistryClient => {
    const made = new RegistryClient(server.host, {
      retries: { baseDelayMs: 10, maxDelayMs: 50 },
      ...options,
    });
    clients.push(made);
    return made;
  };

  before(async () => {
    server = await fakeServer();
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
  });

  it('obeys 429 Retry-After in seconds, then succeeds', async () => {
    const time = fakeTime();
    let calls = 0;
    server.handle = (_request, response) => {
      calls += 1;
      if (calls === 1)
        return void response
          .writeHead(429, { 'retry-after': '7' })
          .end('{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}');
      sendManifest(response);
    };
    const result = await client(time.options).getManifest('a/b', 'v1', signal());
    assert.equal(result.digest, sha256(manifest));
    assert.deepEqual(time.sleeps, [7000]);
  });

  it('obeys 429 Retry-After as an HTTP date', async () => {
    const time = fakeTime();
    let calls = 0;
    server.handle = (_request, response) => {
      calls += 1;
      if (calls === 1)
        return void response.writeHead(429, { 'retry-after': new Date(time.now + 3000).toUTCString() }).end();
      sendManifest(response);
    };
    await client(time.options).getManifest('a/b', 'v1', signal());
    assert.deepEqual(time.sleeps, [3000]);
  });

  it('gives up at once with registry_rate_limited when Retry-After exceeds the wait budget', async () => {
    const time = fakeTime();
    server.handle = (_request, response) => void response.writeHead(429, { 'retry-after': '3600' }).end();
    const error = await rejectsWith(
      client(time.options).getManifest('a/b', 'v1', signal()),
      'registry_rate_limited',
      'retry_after_too_long',
    );
    assert.equal(error.details['retryAfterMs'], 3_600_000);
    assert.deepEqual(time.sleeps, []);
  });

  it('gives up with registry_rate_limited after the allowed attempts', async () => {
    const time = fakeTime();
    let calls = 0;
    server.handle = (_request, response) => {
      calls += 1;
      response.writeHead(429, { 'retry-after': '1' }).end();
    };
    await rejectsWith(
      client({ ...time.options, retries: { maxAttempts: 3 } }).getManifest('a/b', 'v1', signal()),
      'registry_rate_limited',
    );
    assert.equal(calls, 3);
    assert.deepEqual(time.sleeps, [1000, 1000]);
  });

  it('retries 500 then succeeds, with exponential backoff', async () => {
    const time = fakeTime();
    let calls = 0;
    server.handle = (_request, response) => {
      calls += 1;
      if (calls <= 2) return void response.writeHead(500).end('boom');
      sendManifest(response);
    };
    await client({ ...time.options, retries: { baseDelayMs: 100, maxDelayMs: 10_000 } }).getManifest(
      'a/b',
      'v1',
      signal(),
    );
    assert.equal(calls, 3);
    assert.deepEqual(time.sleeps, [75, 150]);
  });

  it('fails with download_failed after 5xx outlasts the attempts', async () => {
    const time = fakeTime();
    let calls = 0;
    server.handle = (_request, response) => {
      calls += 1;
      response.writeHead(503).end();
    };
    const error = await rejectsWith(
      client({ ...time.options, retries: { maxAttempts: 3 } }).getManifest('a/b', 'v1', signal()),
      'download_failed',
      'server_error',
    );
    assert.equal(error.details['status'], 503);
    assert.equal(calls, 3);
  });

  it('does not retry 404 and maps registry error codes', async () => {
    let calls = 0;
    server.handle = (_request, response) => {
      calls += 1;
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
    };
    const error = await rejectsWith(
      client().getManifest('a/b', 'v1', signal()),
      'not_found',
      'manifest_unknown',
    );
    assert.equal(error.details['registryCode'], 'MANIFEST_UNKNOWN');
    assert.equal(calls, 1);
  });

  it('fails a stalled blob within the body idle timeout', async () => {
    server.handle = (_request, response) => {
      response.writeHead(200, { 'content-length': blob.length, 'content-type': 'application/octet-stream' });
      response.write(blob.subarray(0, 1000)); // …and then nothing
    };
    const started = Date.now();
    const stream = await client({ timeouts: { bodyIdleMs: 300 } }).openBlob(
      'a/b',
      { digest: blobDigest, size: blob.length },
      signal(),
    );
    await rejectsWith(readAll(stream), 'download_failed', 'stalled');
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 250 && elapsed < 1000, `failed after ${elapsed} ms`);
  });

  it('does not take a slow consumer for a stalled download', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 3);
    server.handle = (_request, response) =>
      void response.writeHead(200, { 'content-length': big.length }).end(big);
    const stream = await client({ timeouts: { bodyIdleMs: 150 } }).openBlob(
      'a/b',
      { digest: sha256(big), size: big.length },
      signal(),
    );
    let total = 0;
    let first = true;
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (first) await new Promise((resolve) => setTimeout(resolve, 400));
      first = false;
    }
    assert.equal(total, big.length);
  });

  it('fails a truncated blob with download_failed', async () => {
    server.handle = (_request, response) => {
      response.writeHead(200, { 'content-length': blob.length, 'content-type': 'application/octet-stream' });
      response.write(blob.subarray(0, 5000), () => response.socket?.destroy());
    };
    await rejectsWith(
      readAll(await client().openBlob('a/b', { digest: blobDigest, size: blob.length }, signal())),
      'download_failed',
      'truncated',
    );
  });

  it('fails a blob shorter than its descriptor before streaming', async () => {
    server.handle = (_request, response) =>
      void response.writeHead(200, { 'content-length': 10 }).end(blob.subarray(0, 10));
    await rejectsWith(
      client().openBlob('a/b', { digest: blobDigest, size: blob.length }, signal()),
      'download_failed',
      'size_mismatch',
    );
  });

  it('aborts a download mid-body through the AbortSignal', async () => {
    server.handle = (_request, response) => {
      response.writeHead(200, { 'content-length': blob.length });
      response.write(blob.subarray(0, 64 * 1024)); // the rest never comes
    };
    const controller = new AbortController();
    const stream = await client().openBlob(
      'a/b',
      { digest: blobDigest, size: blob.length },
      controller.signal,
      () => controller.abort(),
    );
    await rejectsWith(readAll(stream), 'aborted');
  });

  it('reports progress and verifies a good blob', async () => {
    server.handle = (_request, response) =>
      void response.writeHead(200, { 'content-length': blob.length }).end(blob);
    let seen = 0;
    const bytes = await readAll(
      await client().openBlob('a/b', { digest: blobDigest, size: blob.length }, signal(), (n) => (seen += n)),
    );
    assert.equal(seen, blob.length);
    assert.deepEqual(bytes, blob);
  });

  it('catches manifests that differ from Docker-Content-Digest or from the digest pulled', async () => {
    server.handle = (_request, response) => sendManifest(response, manifest, sha256('something else'));
    await rejectsWith(client().getManifest('a/b', 'v1', signal()), 'download_failed', 'digest_mismatch');
    server.handle = (_request, response) => sendManifest(response, manifest, '');
    await rejectsWith(
      client().getManifest('a/b', sha256('other'), signal()),
      'download_failed',
      'digest_mismatch',
    );
    const fine = await client().getManifest('a/b', sha256(manifest), signal());
    assert.equal(fine.digest, sha256(manifest));
  });

  it('sends the Accept header listing OCI and Docker manifest types', async () => {
    server.handle = (_request, response) => sendManifest(response);
    server.requests.length = 0;
    await client().getManifest('a/b', 'v1', signal());
    const accept = server.requests[0]?.headers.accept ?? '';
    for (const type of [
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
    ]) {
      assert.ok(accept.includes(type), type);
    }
  });

  it('a manifest that is not JSON → malformed_image', async () => {
    const garbage = Buffer.from('<html>this is not a manifest</html>');
    server.handle = (_request, response) => sendManifest(response, garbage);
    const source = new RegistryImageSource(`${server.host}/a/b:v1`, { client: client() });
    await rejectsWith(source.describe(signal()), 'malformed_image', 'not_json');
  });

  it('serves a whole image: manifest, verified config and layer', async () => {
    server.handle = (request, response) => {
      if (request.url?.includes('/manifests/')) return sendManifest(response);
      if (request.url?.endsWith(sha256(config))) return void response.writeHead(200).end(config);
      if (request.url?.endsWith(blobDigest)) return void response.writeHead(200).end(blob);
      response.writeHead(404).end();
    };
    const source = new RegistryImageSource(`${server.host}/a/b:v1`, { client: client() });
    const image = await source.select(undefined, signal());
    assert.equal(image.metadata.layers[0]?.createdBy, 'ADD x /');
    assert.deepEqual(await readAll(await image.openLayer(0, signal())), blob);
    await rejectsWith(
      source.select({ os: 'linux', architecture: 'arm64' }, signal()),
      'not_found',
      'platform_not_found',
    );
  });

  it('fails when the headers do not come in time, after retrying', async () => {
    let calls = 0;
    server.handle = () => {
      calls += 1; // never answers
    };
    await rejectsWith(
      client({
        timeouts: { headersMs: 100 },
        retries: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      }).getManifest('a/b', 'v1', signal()),
      'download_failed',
      'headers_timeout',
    );
    assert.equal(calls, 2);
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

describe('TLS', () => {
  let dir: string;
  let server: FakeServer;
  let certPem: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drydock-tls-'));
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]);
    certPem = await readFile(join(dir, 'cert.pem'), 'utf8');
    server = await fakeServer({ key: await readFile(join(dir, 'key.pem'), 'utf8'), cert: certPem });
    server.handle = (_request, response) => sendManifest(response);
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
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
