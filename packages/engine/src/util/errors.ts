/**
 * Typed failures. `code` is the failure code of PRODUCT.md section 3.2 (plus the few codes that only
 * a command-line user meets: an invalid reference, a malformed image, an aborted scan). The API and
 * console map codes to messages and remedies in one place; `reason` narrows a code for logs and
 * tests (for example `layer_too_large` with reason `compression_ratio`).
 */
export const failureCodes = [
  'authentication_failed',
  'not_found',
  'download_failed',
  'image_too_large',
  'layer_too_large',
  'too_many_layers',
  'too_many_files',
  'schema_v1_not_supported',
  'unsupported_media_type',
  'registry_rate_limited',
  'timed_out',
  'credential_expired',
  'analysis_failed',
  'internal_error',
  'invalid_reference',
  'malformed_image',
  'aborted',
] as const;

export type FailureCode = (typeof failureCodes)[number];

export interface DrydockErrorOptions {
  /** A narrower, machine-readable reason within the code (`digest_mismatch`, `compression_ratio`, ...). */
  readonly reason?: string;
  readonly cause?: unknown;
  /** Structured context for logs and the API's `details` (never secrets). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export class DrydockError extends Error {
  readonly code: FailureCode;
  readonly reason: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: FailureCode, message: string, options: DrydockErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DrydockError';
    this.code = code;
    this.reason = options.reason;
    this.details = options.details ?? {};
  }
}

export function isDrydockError(error: unknown): error is DrydockError {
  return error instanceof DrydockError;
}

/**
 * Turns anything thrown into a DrydockError: aborts become `aborted` (or `timed_out` when the
 * signal's reason was a timeout), unknown errors `internal_error` with the original as cause.
 */
export function toDrydockError(error: unknown, signal?: AbortSignal): DrydockError {
  if (error instanceof DrydockError) return error;
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof DrydockError) return reason;
    const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
    return new DrydockError(
      timedOut ? 'timed_out' : 'aborted',
      timedOut ? 'the scan timed out' : 'the scan was aborted',
      {
        cause: error,
      },
    );
  }
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return new DrydockError(error.name === 'TimeoutError' ? 'timed_out' : 'aborted', error.message, {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DrydockError('internal_error', message, { cause: error });
}
