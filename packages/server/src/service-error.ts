/**
 * Typed failures of the service's operations (not of image scans, which carry the engine's failure
 * codes). The API maps each code to an HTTP status in one place.
 */
export const serviceErrorCodes = [
  'not_found',
  'invalid_request',
  'conflict',
  'estimate_required',
  'estimate_expired',
  'estimate_mismatch',
  'nothing_to_scan',
  'connection_failed',
] as const;
export type ServiceErrorCode = (typeof serviceErrorCodes)[number];

export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(
    code: ServiceErrorCode,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ServiceError';
    this.code = code;
    this.details = details;
  }
}

export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof ServiceError;
}

export function notFound(what: string, id: string): ServiceError {
  return new ServiceError('not_found', `${what} ${id} does not exist`, { what, id });
}
