/**
 * Why an ignore file or a VEX document could not be used. These are input errors of the one
 * running a scan (a CLI user, a CI job), never scan failures of an image, so they have their own
 * codes instead of the image failure codes of util/errors.ts.
 */
export type SuppressionFileErrorCode =
  /** The file given (or defaulted to) does not exist or cannot be read. */
  | 'suppression_file_unreadable'
  /** The ignore file is not YAML, or not a list of valid entries. */
  | 'invalid_ignore_file'
  /** The VEX document is not JSON, or not a valid OpenVEX document. */
  | 'invalid_vex_document';

export class SuppressionFileError extends Error {
  readonly code: SuppressionFileErrorCode;
  /** The file the problem is in. */
  readonly source: string;
  /** What is wrong, one line each, with the location inside the file where known. */
  readonly issues: readonly string[];

  constructor(
    code: SuppressionFileErrorCode,
    source: string,
    message: string,
    options: { readonly issues?: readonly string[]; readonly cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SuppressionFileError';
    this.code = code;
    this.source = source;
    this.issues = options.issues ?? [];
  }
}

export function isSuppressionFileError(error: unknown): error is SuppressionFileError {
  return error instanceof SuppressionFileError;
}
