/**
 * The receiver secrets of registry push notifications (migration 0011, notifications/). Kept beside
 * schema.ts, which lists the table in `Database`.
 */
export interface RegistryEventTokenTable {
  /** One secret per connection: creating another replaces it. */
  readonly connectionId: string;
  readonly projectId: string;
  /** Hex SHA-256 of the secret (access/access-secrets.ts `secretDigest`); the secret is never stored. */
  secretDigest: string;
  createdAt: Date;
  /** When an authenticated event last arrived; null = never. */
  lastEventAt: Date | null;
}
