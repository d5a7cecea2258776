/**
 * Why a secret scan configuration (the project's YAML, or options given in code) cannot be used. An
 * input error of the one configuring the scan, not a scan failure of an image, so it has its own code.
 * Messages and issues never quote a value that could be a secret, only names and positions.
 */
export type SecretConfigErrorCode = 'invalid_secret_config';

export class SecretConfigError extends Error {
  readonly code: SecretConfigErrorCode = 'invalid_secret_config';
  /** Where the configuration came from (a file path, or `options`). */
  readonly source: string;
  /** One line per problem: `line 7, customRules[0].pattern: must contain a named group "secret"`. */
  readonly issues: readonly string[];

  constructor(source: string, message: string, issues: readonly string[], options: { cause?: unknown } = {}) {
    super(
      `${message}: ${issues.join('; ')}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'SecretConfigError';
    this.source = source;
    this.issues = issues;
  }
}

export function isSecretConfigError(error: unknown): error is SecretConfigError {
  return error instanceof SecretConfigError;
}
