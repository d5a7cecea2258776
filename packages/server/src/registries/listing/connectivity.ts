import { isDrydockError, toDrydockError, type DrydockError } from '@drydock/engine';

/**
 * Why a connection test failed, for the connection's status (PRODUCT.md section 2): the engine's
 * failure codes where they fit, plus `unreachable` (no TCP connection), `tls_failed` (certificate
 * or handshake) and `invalid_response` (the server answered, but not as this registry type would).
 */
export const connectivityFailureCodes = [
  'authentication_failed',
  'not_found',
  'unreachable',
  'tls_failed',
  'timed_out',
  'registry_rate_limited',
  'invalid_response',
  'download_failed',
] as const;
export type ConnectivityFailureCode = (typeof connectivityFailureCodes)[number];

export type ConnectivityResult =
  | { readonly ok: true; readonly detail: string }
  | { readonly ok: false; readonly code: ConnectivityFailureCode; readonly message: string };

export function connectivityCode(error: DrydockError): ConnectivityFailureCode {
  switch (error.code) {
    case 'authentication_failed':
    case 'credential_expired':
      return 'authentication_failed';
    case 'not_found':
    case 'registry_rate_limited':
    case 'timed_out':
      return error.code;
    case 'download_failed':
      switch (error.reason) {
        case 'tls':
          return 'tls_failed';
        case 'connect_timeout':
        case 'headers_timeout':
          return 'timed_out';
        case 'network':
        case 'connection_lost':
          return 'unreachable';
        case 'invalid_response':
        case 'invalid_list':
        case 'foreign_link':
        case 'pagination_loop':
          return 'invalid_response';
        default:
          return 'download_failed';
      }
    default:
      return 'invalid_response';
  }
}

/**
 * Runs a connection test: its steps return a detail for the user, and a typed failure becomes a
 * failed result. The caller's abort is not a result: it is thrown (a timeout of its signal is `timed_out`).
 */
export async function runConnectivityTest(
  signal: AbortSignal,
  test: () => Promise<string>,
): Promise<ConnectivityResult> {
  try {
    return { ok: true, detail: await test() };
  } catch (error) {
    const failure = isDrydockError(error) ? error : toDrydockError(error, signal);
    if (failure.code === 'aborted') throw failure;
    return { ok: false, code: connectivityCode(failure), message: failure.message };
  }
}
