/**
 * RegistryClient retries against the loopback fault server: 429 with Retry-After, 5xx with
 * exponential backoff, header timeouts, and the errors that are not retried.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  useFaultServer,
  fakeTime,
  manifest,
  rejectsWith,
  sendManifest,
  sha256,
  signal,
} from './fake-registry-server.ts';

describe('RegistryClient against a fault server', () => {
  const { server, client } = useFaultServer();

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
});
