import type { Permission } from '../access/permissions.ts';

/**
 * Users and the caller, as the identity routes answer them (server api/routes/identity-routes.ts).
 * Dates arrive as RFC 3339 strings.
 */

export interface User {
  readonly id: string;
  readonly name: string;
  readonly displayName: string;
  readonly serviceAdmin: boolean;
  readonly disabled: boolean;
  readonly createdAt: string;
  readonly passwordChangedAt: string;
  readonly lockedUntil: string | null;
}

export interface SignInReply {
  readonly user: User;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

/** `GET /me`: the caller and what it may do in each project it holds a role in. */
export interface Me {
  readonly user: User;
  readonly via: 'session' | 'token';
  readonly projects: readonly { readonly projectId: string; readonly permissions: readonly Permission[] }[];
}
