import type { RegistryType } from './image-types.ts';

/** Registry connections (server api/routes/registry-routes.ts); credentials go in and never come out. */

export const connectionStatuses = ['ok', 'failed', 'checking', 'unknown'] as const;
export type ConnectionStatus = (typeof connectionStatuses)[number];

export interface RegistryConnection {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly type: RegistryType;
  readonly url: string;
  readonly hasCredentials: boolean;
  readonly caPem: string | null;
  readonly skipTlsVerify: boolean;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly namespaces: readonly string[];
  readonly credentialExpiresAt: string | null;
  readonly maxConcurrentPulls: number;
  readonly status: ConnectionStatus;
  /** The typed reason of a failed status. */
  readonly statusReason: string | null;
  readonly statusMessage: string | null;
  readonly checkedAt: string | null;
}

export type RegistryCredentials =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string };

/** The body of `POST registries` (and, all optional, of `PATCH registries/:id`). */
export interface RegistryInput {
  readonly name: string;
  readonly type: RegistryType;
  readonly url: string;
  /** Absent on an update: the stored credentials stay. */
  readonly credentials?: RegistryCredentials;
  readonly caPem?: string;
  readonly skipTlsVerify?: boolean;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly namespaces?: readonly string[];
}

/** `POST registries/:id/test`. */
export interface ConnectionTestResult {
  readonly ok: boolean;
  readonly detail?: string;
  /** Why it failed: unreachable, tls_failed, authentication_failed, ... */
  readonly code?: string;
  readonly message?: string;
}
