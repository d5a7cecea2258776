import type { AccessService } from './access-service.ts';
import type { Principal } from './principal.ts';

/** The console's session cookie. */
export const sessionCookieName = 'drydock_session';
/** The header cookie-authenticated writes must carry (the CSRF token of the session). */
export const csrfHeaderName = 'x-csrf-token';

/** What a request carries to prove who it is, as the HTTP layer read it. */
export interface RequestCredentials {
  /** `Authorization` header, if any. */
  readonly authorization: string | undefined;
  /** The session cookie's value, if any. */
  readonly sessionToken: string | undefined;
}

export interface Authentication {
  readonly principal: Principal;
  /** Set when the session cookie authenticated the request: writes must send it back. */
  readonly csrfToken?: string;
}

/**
 * Resolves a request's caller: an `Authorization: Bearer` API token wins over the cookie (scripts
 * send no cookies; a browser sends no bearer token), else the session cookie. Anything that does
 * not prove an identity (no credential, an unknown, expired or revoked one, a malformed header)
 * gives undefined, and the API answers 401 without saying which.
 */
export async function authenticateRequest(
  access: AccessService,
  credentials: RequestCredentials,
): Promise<Authentication | undefined> {
  const bearer = /^bearer\s+(\S{1,512})\s*$/i.exec(credentials.authorization ?? '')?.[1];
  if (bearer) {
    const principal = await access.tokenPrincipal(bearer);
    return principal ? { principal } : undefined;
  }
  if (credentials.authorization !== undefined) return undefined;
  const token = credentials.sessionToken;
  if (!token || token.length > 512) return undefined;
  const session = await access.session(token);
  return session ? { principal: session.principal, csrfToken: session.csrfToken } : undefined;
}
