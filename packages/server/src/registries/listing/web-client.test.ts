/** The web client's pure parts: Link parsing, status and network failure mapping, connectivity codes, document reading. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DrydockError } from '@drydock/engine';
import { connectivityCode } from './connectivity.ts';
import { httpFetchErrorCodes } from './http-fetch.ts';
import { parseDocument, parseTime } from './manifest-documents.ts';
import { nextLink, requestFailure, statusFailure, type WebResponse } from './web-client.ts';

const base = new URL('https://harbor.example/api/v2.0/projects?page=2&page_size=10');

function answer(status: number, body: unknown, headers: Record<string, string> = {}): WebResponse {
  return { status, headers: new Headers(headers), url: base, body: Buffer.from(JSON.stringify(body)) };
}

describe('nextLink', () => {
  it('reads Harbor’s prev-and-next header and the distribution form', () => {
    const harbor = new Headers({
      link: '</api/v2.0/projects?page=1&page_size=10>; rel="prev" , </api/v2.0/projects?page=3&page_size=10>; rel="next"',
    });
    assert.equal(
      nextLink(harbor, base)?.href,
      'https://harbor.example/api/v2.0/projects?page=3&page_size=10',
    );
    const distribution = new Headers({ link: '</v2/_catalog?last=b&n=2>; rel=next' });
    assert.equal(nextLink(distribution, base)?.href, 'https://harbor.example/v2/_catalog?last=b&n=2');
    assert.equal(nextLink(new Headers({ link: '</x>; rel="prev"' }), base), undefined);
    assert.equal(nextLink(new Headers(), base), undefined);
  });
});

describe('statusFailure', () => {
  const cases: readonly (readonly [number, unknown, string, string])[] = [
    [
      401,
      { errors: [{ code: 'UNAUTHORIZED', message: 'unauthorized' }] },
      'authentication_failed',
      'unauthorized',
    ],
    [403, { errors: [{ status: 403, message: 'Forbidden' }] }, 'authentication_failed', 'forbidden'],
    [404, { message: 'object not found', errinfo: {} }, 'not_found', 'not_found'],
    [429, { message: 'Too Many Requests' }, 'registry_rate_limited', 'too_many_requests'],
    [503, 'down', 'download_failed', 'server_error'],
    [418, {}, 'download_failed', 'unexpected_status'],
  ];
  for (const [status, body, code, reason] of cases) {
    it(`HTTP ${status} → ${code} (${reason}), keeping the server's message`, () => {
      const failure = statusFailure(answer(status, body), 'the projects');
      assert.equal(failure.code, code);
      assert.equal(failure.reason, reason);
      assert.equal(failure.details['status'], status);
    });
  }

  it('quotes the server message but never a request header', () => {
    const failure = statusFailure(
      answer(401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad robot' }] }),
      'the projects',
    );
    assert.match(failure.message, /bad robot/);
    assert.equal(failure.details['registryCode'], 'UNAUTHORIZED');
  });
});

describe('requestFailure and connectivityCode', () => {
  const signal = new AbortController().signal;
  const coded = (code: string): Error => Object.assign(new Error(code), { code });

  it('maps refused connections, TLS and idle timeouts to the connection test codes', () => {
    assert.equal(connectivityCode(requestFailure(coded('ECONNREFUSED'), 'h', signal)), 'unreachable');
    assert.equal(
      connectivityCode(requestFailure(coded('DEPTH_ZERO_SELF_SIGNED_CERT'), 'h', signal)),
      'tls_failed',
    );
    assert.equal(
      connectivityCode(requestFailure(coded('ERR_TLS_CERT_ALTNAME_INVALID'), 'h', signal)),
      'tls_failed',
    );
    assert.equal(
      connectivityCode(requestFailure(coded(httpFetchErrorCodes.timeout), 'h', signal)),
      'timed_out',
    );
    const wrapped = new TypeError('fetch failed', { cause: coded('ECONNREFUSED') });
    assert.equal(connectivityCode(requestFailure(wrapped, 'h', signal)), 'unreachable');
  });

  it('keeps the engine’s codes and narrows download failures by reason', () => {
    assert.equal(connectivityCode(new DrydockError('authentication_failed', 'x')), 'authentication_failed');
    assert.equal(connectivityCode(new DrydockError('not_found', 'x')), 'not_found');
    assert.equal(
      connectivityCode(new DrydockError('download_failed', 'x', { reason: 'invalid_response' })),
      'invalid_response',
    );
    assert.equal(
      connectivityCode(new DrydockError('download_failed', 'x', { reason: 'server_error' })),
      'download_failed',
    );
    assert.equal(connectivityCode(new DrydockError('invalid_reference', 'x')), 'invalid_response');
  });

  it('an aborted request stays an abort', () => {
    const controller = new AbortController();
    controller.abort();
    assert.equal(requestFailure(coded('ECONNRESET'), 'h', controller.signal).code, 'aborted');
  });
});

describe('manifest documents', () => {
  it('reads index platforms, leaving attestations out', () => {
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { digest: 'sha256:a', size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
        { digest: 'sha256:b', size: 1, platform: { os: 'unknown', architecture: 'unknown' } },
        {
          digest: 'sha256:c',
          size: 1,
          platform: { os: 'linux', architecture: 'amd64' },
          annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
        },
      ],
    };
    assert.deepEqual(
      parseDocument(Buffer.from(JSON.stringify(index)), 'application/vnd.oci.image.index.v1+json'),
      {
        kind: 'index',
        children: [{ platform: 'linux/arm/v7', digest: 'sha256:a' }],
      },
    );
    assert.deepEqual(parseDocument(Buffer.from('not json'), 'x'), { kind: 'other' });
  });

  it('treats Go’s zero time and garbage as unknown', () => {
    assert.equal(parseTime('0001-01-01T00:00:00Z'), null);
    assert.equal(parseTime('yesterday-ish'), null);
    assert.deepEqual(parseTime('2024-03-01T10:00:00.000Z'), new Date('2024-03-01T10:00:00.000Z'));
  });
});
