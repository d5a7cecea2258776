import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The random secrets of sessions and API tokens, and the digests they are stored by. A secret has
 * 256 random bits, so a plain SHA-256 is enough to keep a database copy from logging anyone in (a
 * slow hash only matters for guessable secrets such as passwords) and lets a request be looked up
 * by an index.
 */

/**
 * What every API token starts with, so secret scanners (and people) can tell a leaked Drydock token
 * from other text; a header value without it is not tried as a token at all.
 */
export const apiTokenPrefix = 'ddk_';

/** 32 random bytes as base64url (43 characters). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A new API token's secret: the prefix, then a random secret. */
export function newApiTokenSecret(): string {
  return `${apiTokenPrefix}${randomSecret()}`;
}

/** The hex SHA-256 a session or token is stored and looked up by. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Whether a secret the client sent equals the expected one (a CSRF header against the session's
 * token), in time that does not depend on where they differ.
 */
export function secretsMatch(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  // Digests have one length, so the comparison neither throws nor leaks the expected length.
  return timingSafeEqual(
    createHash('sha256').update(expected).digest(),
    createHash('sha256').update(given).digest(),
  );
}
