/**
 * Failures of API calls as the console sees them. The API answers every failure with
 * `{ code, message, details? }` (server api/error-mapping.ts); the codes it documents are listed
 * here so pages can branch on them, and two more name what happens before an answer arrives.
 */
export const apiErrorCodes = [
  // The HTTP layer's own (server api/api-error.ts).
  'unauthenticated',
  'forbidden',
  'csrf_required',
  'not_found',
  'invalid_request',
  'payload_too_large',
  'unsupported_media_type',
  'method_not_allowed',
  'rate_limited',
  'not_ready',
  'internal_error',
  // The service's (conflicts, estimates, identity, registries).
  'conflict',
  'estimate_required',
  'estimate_expired',
  'estimate_mismatch',
  'nothing_to_scan',
  'connection_failed',
  'authentication_failed',
  'login_locked',
  // The engine's, for registry work done inside a request.
  'download_failed',
  'image_too_large',
  'layer_too_large',
  'too_many_layers',
  'too_many_files',
  'schema_v1_not_supported',
  'registry_rate_limited',
  'timed_out',
  'credential_expired',
  'invalid_reference',
  'malformed_image',
  'aborted',
  // The console's: no answer (the network or the service is down), or an answer that is not the API's.
  'network_failed',
  'unexpected_response',
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

function isApiErrorCode(value: string): value is ApiErrorCode {
  return (apiErrorCodes as readonly string[]).includes(value);
}

export class ConsoleApiError extends Error {
  override readonly name = 'ConsoleApiError';
  /** A code the API sends that this console does not know yet becomes `unexpected_response`. */
  readonly code: ApiErrorCode;
  /** The code exactly as the API sent it. */
  readonly serverCode: string;
  /** 0 when no answer arrived. */
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  /** The `x-request-id` of the answer: the service's log finds the request by it. */
  readonly requestId: string | undefined;

  constructor(init: {
    readonly code: string;
    readonly message: string;
    readonly status: number;
    readonly details?: Readonly<Record<string, unknown>> | undefined;
    readonly requestId?: string | undefined;
  }) {
    super(init.message);
    this.serverCode = init.code;
    this.code = isApiErrorCode(init.code) ? init.code : 'unexpected_response';
    this.status = init.status;
    this.details = init.details;
    this.requestId = init.requestId;
  }
}

export function isConsoleApiError(error: unknown): error is ConsoleApiError {
  return error instanceof ConsoleApiError;
}

/** What to show people for a failure: the API's own message, with the request id for support. */
export function describeError(error: unknown): string {
  if (!isConsoleApiError(error)) return error instanceof Error ? error.message : String(error);
  return error.requestId ? `${error.message} (request ${error.requestId})` : error.message;
}
