/**
 * Failures the HTTP layer itself decides (who may call, what a request may look like), as opposed
 * to the service's `ServiceError` and the engine's `DrydockError`, which error-mapping.ts maps
 * beside these. Every error response has the same body: `{ code, message, details? }`.
 */
export const apiErrorCodes = [
  /** No principal: no session cookie, no API token, or one that is no longer valid. */
  'unauthenticated',
  /** The principal sees the project but lacks the route's permission. */
  'forbidden',
  /** A write authenticated by the session cookie without the matching `x-csrf-token` header. */
  'csrf_required',
  'not_found',
  'invalid_request',
  'payload_too_large',
  'unsupported_media_type',
  'method_not_allowed',
  'rate_limited',
  /** The service cannot answer yet (readiness: the database does not answer). */
  'not_ready',
  'internal_error',
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ApiErrorCode, message: string, details?: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
