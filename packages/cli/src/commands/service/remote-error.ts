/**
 * The CLI's own reasons a call to a running service failed before the service could answer it:
 * the options that choose the server are wrong or unsafe, the server cannot be reached, or it
 * answered with something other than the API's JSON.
 */
export const clientFailureCodes = ['server_options', 'server_unreachable', 'bad_response'] as const;
export type ClientFailureCode = (typeof clientFailureCodes)[number];

/**
 * A failure of the API (its `{ code, message, details }` body, with the server's code as sent:
 * `unauthenticated`, `forbidden`, `not_found`, `invalid_request`, ...) or one of the client's own
 * codes. The server's codes are an open set to this client (a newer server may add some), so they
 * stay strings.
 */
export type RemoteErrorCode = ClientFailureCode | (string & Record<never, never>);

export class RemoteError extends Error {
  readonly code: RemoteErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  /** The HTTP status of the answer; undefined when there was none. */
  readonly status: number | undefined;
  constructor(
    code: RemoteErrorCode,
    message: string,
    options: {
      readonly details?: Readonly<Record<string, unknown>>;
      readonly status?: number;
      readonly cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RemoteError';
    this.code = code;
    this.details = options.details ?? {};
    this.status = options.status;
  }
}

export function isRemoteError(error: unknown): error is RemoteError {
  return error instanceof RemoteError;
}
