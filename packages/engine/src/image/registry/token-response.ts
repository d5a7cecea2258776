import { z } from 'zod';
import { DrydockError } from '../../util/errors.ts';

/**
 * The token endpoint's answer (distribution token auth spec, "Token Response Fields",
 * https://distribution.github.io/distribution/spec/auth/token/#token-response-fields):
 * `token` (or OAuth2's `access_token`), `expires_in` seconds (60 when omitted) and `issued_at`
 * (RFC 3339). Untrusted: validated, and the token itself never appears in an error.
 */
const tokenResponseSchema = z.object({
  token: z.string().min(1).optional(),
  access_token: z.string().min(1).optional(),
  expires_in: z.number().positive().optional(),
  issued_at: z.string().optional(),
});

export const defaultTokenLifetimeSeconds = 60;

export interface TokenGrant {
  readonly token: string;
  /** Epoch milliseconds after which the token must not be used. */
  readonly expiresAt: number;
}

/**
 * Parses a token response and computes when the token expires. `issued_at` anchors the lifetime
 * unless it is further from `now` than the lifetime itself (a skewed clock), then `now` does.
 */
export function parseTokenResponse(bytes: Buffer, now: number): TokenGrant {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new DrydockError('authentication_failed', 'the token server did not answer with JSON', {
      reason: 'token_response',
    });
  }
  const parsed = tokenResponseSchema.safeParse(json);
  const token = parsed.success ? (parsed.data.token ?? parsed.data.access_token) : undefined;
  if (!parsed.success || token === undefined) {
    throw new DrydockError('authentication_failed', 'the token server answered without a token', {
      reason: 'token_response',
    });
  }
  const lifetimeMs = (parsed.data.expires_in ?? defaultTokenLifetimeSeconds) * 1000;
  const issuedAt = parsed.data.issued_at === undefined ? Number.NaN : Date.parse(parsed.data.issued_at);
  const anchor = Number.isFinite(issuedAt) && Math.abs(issuedAt - now) <= lifetimeMs ? issuedAt : now;
  return { token, expiresAt: anchor + lifetimeMs };
}
