import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DrydockError } from '../../util/errors.ts';
import { isRetryableNetworkFailure, networkError } from './network-error.ts';
import { registryError } from './registry-errors.ts';

const body = (code: string): Buffer =>
  Buffer.from(JSON.stringify({ errors: [{ code, message: `${code.toLowerCase()} happened`, detail: {} }] }));

describe('registryError', () => {
  const table: readonly (readonly [number, Buffer | undefined, string, string])[] = [
    [401, undefined, 'authentication_failed', 'unauthorized'],
    [401, body('UNAUTHORIZED'), 'authentication_failed', 'unauthorized'],
    [403, body('DENIED'), 'authentication_failed', 'denied'],
    [403, undefined, 'authentication_failed', 'denied'],
    [404, body('NAME_UNKNOWN'), 'not_found', 'name_unknown'],
    [404, body('MANIFEST_UNKNOWN'), 'not_found', 'manifest_unknown'],
    [404, body('BLOB_UNKNOWN'), 'not_found', 'blob_unknown'],
    [404, Buffer.from('<html>nope</html>'), 'not_found', 'not_found'],
    [429, body('TOOMANYREQUESTS'), 'registry_rate_limited', 'too_many_requests'],
    [400, body('NAME_INVALID'), 'invalid_reference', 'name_invalid'],
    [400, body('MANIFEST_INVALID'), 'malformed_image', 'manifest_invalid'],
    [415, undefined, 'unsupported_media_type', 'unsupported'],
    [500, undefined, 'download_failed', 'server_error'],
    [502, Buffer.from('bad gateway'), 'download_failed', 'server_error'],
    [418, undefined, 'download_failed', 'unexpected_status'],
  ];
  for (const [status, errorBody, code, reason] of table) {
    it(`${status} ${errorBody?.toString().slice(0, 40) ?? ''} → ${code}/${reason}`, () => {
      const error = registryError(status, errorBody, 'manifest v1 of a/b', 'registry.test');
      assert.equal(error.code, code);
      assert.equal(error.reason, reason);
      assert.equal(error.details['status'], status);
      assert.match(error.message, /registry\.test/);
    });
  }

  it('keeps the registry code and a bounded message', () => {
    const long = Buffer.from(JSON.stringify({ errors: [{ code: 'DENIED', message: 'x'.repeat(5000) }] }));
    const error = registryError(403, long, 'blob', 'h');
    assert.equal(error.details['registryCode'], 'DENIED');
    assert.equal(String(error.details['registryMessage']).length, 300);
  });
});

describe('networkError', () => {
  const coded = (code: string, cause?: unknown): Error =>
    Object.assign(new Error(`failed ${code}`, cause === undefined ? undefined : { cause }), { code });

  it('maps undici and system error codes to reasons', () => {
    const cases: readonly (readonly [Error, string, 'request' | 'body'])[] = [
      [coded('UND_ERR_CONNECT_TIMEOUT'), 'connect_timeout', 'request'],
      [coded('UND_ERR_HEADERS_TIMEOUT'), 'headers_timeout', 'request'],
      [coded('UND_ERR_BODY_TIMEOUT'), 'stalled', 'body'],
      [coded('UND_ERR_SOCKET'), 'connection_lost', 'request'],
      [coded('UND_ERR_SOCKET'), 'truncated', 'body'],
      [coded('ECONNREFUSED'), 'network', 'request'],
      [new Error('fetch failed', { cause: coded('ECONNRESET') }), 'network', 'request'],
      [coded('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls', 'request'],
      [coded('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls', 'request'],
      [coded('ERR_SSL_WRONG_VERSION_NUMBER'), 'tls', 'request'],
      [coded('SOMETHING_ELSE'), 'request_failed', 'request'],
    ];
    for (const [error, reason, phase] of cases) {
      const mapped = networkError(error, 'h:1', undefined, phase);
      assert.equal(mapped.code, 'download_failed');
      assert.equal(mapped.reason, reason, String((error as Error & { code?: string }).code));
    }
  });

  it('turns the caller abort into aborted and a timeout signal into timed_out', () => {
    const controller = new AbortController();
    controller.abort();
    assert.equal(networkError(coded('UND_ERR_ABORTED'), 'h', controller.signal).code, 'aborted');
    const timeout = AbortSignal.abort(new DOMException('timed out', 'TimeoutError'));
    assert.equal(networkError(coded('UND_ERR_ABORTED'), 'h', timeout).code, 'timed_out');
    const own = new DrydockError('download_failed', 'x', { reason: 'stalled' });
    assert.equal(networkError(own, 'h', undefined), own);
  });

  it('retries connection problems, not TLS, stalls, DNS misses or unknown errors', () => {
    const retryable = (error: Error): boolean =>
      isRetryableNetworkFailure(networkError(error, 'h', undefined));
    assert.equal(retryable(coded('ECONNRESET')), true);
    assert.equal(retryable(coded('UND_ERR_HEADERS_TIMEOUT')), true);
    assert.equal(retryable(coded('UND_ERR_SOCKET')), true);
    assert.equal(retryable(coded('ENOTFOUND')), false);
    assert.equal(retryable(coded('DEPTH_ZERO_SELF_SIGNED_CERT')), false);
    assert.equal(
      isRetryableNetworkFailure(networkError(coded('UND_ERR_BODY_TIMEOUT'), 'h', undefined, 'body')),
      false,
    );
    assert.equal(retryable(coded('WHATEVER')), false);
  });
});
