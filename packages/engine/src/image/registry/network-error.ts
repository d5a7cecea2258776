import { DrydockError, toDrydockError } from '../../util/errors.ts';

/**
 * Turns what undici, `net` and `tls` throw into typed failures: `download_failed` with a reason
 * (`connect_timeout`, `headers_timeout`, `stalled`, `connection_lost`, `truncated`, `network`,
 * `tls`), or `aborted`/`timed_out` when the caller's signal ended the request. Messages name the
 * host and the error code only: never headers, so never credentials.
 */
export type NetworkFailureReason =
  'connect_timeout' | 'headers_timeout' | 'stalled' | 'connection_lost' | 'truncated' | 'network' | 'tls';

const tlsCodes: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
  'EPROTO',
]);

const networkCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = current.cause;
  }
  return codes;
}

function reasonOf(codes: readonly string[]): NetworkFailureReason | undefined {
  for (const code of codes) {
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connect_timeout';
    if (code === 'UND_ERR_HEADERS_TIMEOUT') return 'headers_timeout';
    if (code === 'UND_ERR_BODY_TIMEOUT') return 'stalled';
    if (code === 'UND_ERR_SOCKET') return 'connection_lost';
    if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || code === 'ERR_STREAM_PREMATURE_CLOSE')
      return 'truncated';
    if (tlsCodes.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return 'tls';
    if (networkCodes.has(code)) return 'network';
  }
  return undefined;
}

const messages: Readonly<Record<NetworkFailureReason, string>> = {
  connect_timeout: 'connecting timed out',
  headers_timeout: 'the registry did not answer in time',
  stalled: 'the download stalled',
  connection_lost: 'the connection was lost',
  truncated: 'the response ended early',
  network: 'network error',
  tls: 'TLS error',
};

/**
 * Maps a failure of a request to `host`. `signal` decides between the caller's abort and a network
 * failure; `phase` says whether the headers had arrived. DrydockErrors pass through unchanged.
 */
export function networkError(
  error: unknown,
  host: string,
  signal: AbortSignal | undefined,
  phase: 'request' | 'body' = 'request',
): DrydockError {
  if (error instanceof DrydockError) return error;
  if (signal?.aborted) return toDrydockError(error, signal);
  const codes = codesOf(error);
  const found = reasonOf(codes);
  // A connection that closes while the body streams has cut the body short.
  const reason = phase === 'body' && found === 'connection_lost' ? 'truncated' : found;
  if (reason === undefined) {
    const name = error instanceof Error ? error.name : 'Error';
    if (name === 'AbortError' || name === 'TimeoutError') return toDrydockError(error);
    return new DrydockError('download_failed', `request to ${host} failed (${codes[0] ?? name})`, {
      reason: 'request_failed',
      cause: error,
      details: { host, ...(codes[0] ? { code: codes[0] } : {}) },
    });
  }
  return new DrydockError(
    'download_failed',
    `request to ${host} failed: ${messages[reason]}${codes[0] ? ` (${codes[0]})` : ''}`,
    {
      reason,
      cause: error,
      details: { host, ...(codes[0] ? { code: codes[0] } : {}) },
    },
  );
}

/** Failures worth another attempt of an idempotent request (not TLS, not a stalled body, not DNS). */
export function isRetryableNetworkFailure(error: DrydockError): boolean {
  if (error.code !== 'download_failed') return false;
  if (error.details['code'] === 'ENOTFOUND') return false;
  return (
    error.reason === 'connect_timeout' ||
    error.reason === 'headers_timeout' ||
    error.reason === 'connection_lost' ||
    error.reason === 'network'
  );
}
