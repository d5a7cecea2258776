/**
 * Failures of the Harbor adapter's API, each answered with the spec's ErrorResponse
 * (`{ "error": { "message": "..." } }`) and the status the code maps to in harbor-adapter-routes.ts.
 */
export const harborAdapterErrorCodes = [
  /** No credential, or not a valid Drydock API token (401). */
  'unauthorized',
  /** A token that is not limited to one project with the scan permission there (403). */
  'forbidden',
  /** The body is not JSON or not a scan request document; a report query parameter is wrong (400). */
  'invalid_request',
  /** A well-formed request with a field Drydock cannot use: the registry URL or authorization (422). */
  'invalid_field',
  /** No scan request with this id in the token's project (404). */
  'not_found',
  /** A report MIME type Drydock does not produce, or an artifact type it does not scan (501). */
  'not_capable',
  /** The scan ended without a report: the message says why (500, which ends Harbor's polling). */
  'scan_failed',
  'internal_error',
] as const;
export type HarborAdapterErrorCode = (typeof harborAdapterErrorCodes)[number];

export class HarborAdapterError extends Error {
  override readonly name = 'HarborAdapterError';
  readonly code: HarborAdapterErrorCode;

  constructor(code: HarborAdapterErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export function isHarborAdapterError(error: unknown): error is HarborAdapterError {
  return error instanceof HarborAdapterError;
}
