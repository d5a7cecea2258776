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

/** Passwords the service accepts have at least this many characters (server access/password-hash.ts). */
export const minPasswordLength = 12;

/** `POST /users` (service administrators): a local user with its initial password. */
export interface UserInput {
  /** 1–64 letters, digits, dots, @, dashes or underscores, starting with a letter or digit. */
  readonly name: string;
  readonly displayName?: string;
  readonly password: string;
  readonly serviceAdmin?: boolean;
}

/** `PATCH /users/{userId}`: absent fields stay as they are. */
export interface UserUpdate {
  readonly displayName?: string;
  /** A new password also ends the lockout and the user's sessions. */
  readonly password?: string;
  readonly disabled?: boolean;
  readonly serviceAdmin?: boolean;
}

/** The roles every project has; their permissions are fixed (server access/principal.ts). */
export const builtInRoles = ['admin', 'operator', 'viewer'] as const;
export type BuiltInRole = (typeof builtInRoles)[number];

/** A role of a project (`GET /projects/{projectId}/roles`): a built-in one (its id is its name) or a custom one. */
export interface Role {
  readonly id: string;
  readonly name: string;
  readonly builtIn: boolean;
  readonly permissions: readonly Permission[];
}

/** `POST roles` and `PATCH roles/{roleId}` (the update leaves absent fields as they are). */
export interface RoleInput {
  /** 1–63 letters, digits, spaces, dots, dashes or underscores; not a built-in role's name. */
  readonly name: string;
  /** At least one. */
  readonly permissions: readonly Permission[];
}

/** Who holds which role in a project (`GET /projects/{projectId}/members`). */
export interface Member {
  readonly userId: string;
  readonly userName: string;
  readonly displayName: string;
  /** A built-in role name or a custom role id (what `PUT members/{userId}` takes back). */
  readonly role: string;
  readonly roleName: string;
  readonly permissions: readonly Permission[];
}

/** One of the caller's API tokens (`GET /me/tokens`): never its secret. */
export interface ApiToken {
  readonly id: string;
  readonly name: string;
  /** null = every permission of the user. */
  readonly permissions: readonly Permission[] | null;
  /** null = every project of the user. */
  readonly projectId: string | null;
  /** null = never expires. */
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
  readonly createdAt: string;
}

/** `POST /me/tokens`. */
export interface ApiTokenInput {
  /** 1–100 characters. */
  readonly name: string;
  /** RFC 3339 with an offset, in the future; absent or null = never expires. */
  readonly expiresAt?: string | null;
  /** Absent = all of the user's; a token never does more than the user's roles allow. */
  readonly permissions?: readonly Permission[];
  /** Absent = every project of the user. */
  readonly projectId?: string;
}

/** The reply that creates a token: the only time its secret (`ddk_…`) is sent. */
export interface CreatedApiToken {
  readonly token: string;
  readonly info: ApiToken;
}
