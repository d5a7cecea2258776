import type { ApiToken } from '../api/identity-types.ts';

/** Whether a token still opens the API: revoked wins over expired (both end it for good). */
export type TokenState = 'active' | 'expired' | 'revoked';

export function tokenState(token: ApiToken, now: Date = new Date()): TokenState {
  if (token.revokedAt !== null) return 'revoked';
  if (token.expiresAt !== null && new Date(token.expiresAt).getTime() <= now.getTime()) return 'expired';
  return 'active';
}

export const tokenStateTags: Readonly<
  Record<TokenState, { readonly color: string; readonly label: string }>
> = {
  active: { color: 'success', label: 'Active' },
  expired: { color: 'default', label: 'Expired' },
  revoked: { color: 'error', label: 'Revoked' },
};
