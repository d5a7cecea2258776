/**
 * Credentials for one registry. Secrets live only in these objects and in the `Authorization`
 * headers built from them: they are never logged, never put in error messages or details.
 *
 * - `anonymous`: no credentials; token registries still hand out anonymous pull tokens.
 * - `basic`: user and password (or robot account and secret); sent as HTTP Basic to registries
 *   that challenge with Basic, and to the token realm of registries that challenge with Bearer.
 * - `bearer`: a token issued beforehand (a registry token, not a refresh token); sent as is.
 */
export type Credentials =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string };

export const anonymous: Credentials = { kind: 'anonymous' };

export function basicCredentials(username: string, password: string): Credentials {
  return { kind: 'basic', username, password };
}

export function bearerCredentials(token: string): Credentials {
  return { kind: 'bearer', token };
}

/** The `Authorization` value for HTTP Basic (RFC 7617: user-id ":" password, UTF-8, base64). */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** A description safe for logs and errors: the kind and the user name, never a secret. */
export function describeCredentials(credentials: Credentials): string {
  switch (credentials.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'basic':
      return 'user and password';
    case 'bearer':
      return 'bearer token';
  }
}
