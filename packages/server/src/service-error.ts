import type { ZodType } from 'zod';

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
  'authentication_failed',
  'login_locked',
  'forbidden',
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

/**
 * Validates `input` against a zod schema; on failure an `invalid_request` error names every field
 * at fault (`issues: [{ path, message }]`), which the API returns as is.
 */
export function parseRequest<T>(schema: ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ServiceError('invalid_request', `invalid ${what}`, {
    issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  });
}
