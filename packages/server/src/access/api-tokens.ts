import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { ServiceError, notFound, parseRequest } from '../service-error.ts';
import { toJson } from '../store/json.ts';
import type { ApiTokenTable, Database } from '../store/schema.ts';
import { apiTokenPrefix, newApiTokenSecret, secretDigest } from './access-secrets.ts';
import { knownPermissions } from './permission-set.ts';
import { permissions, type Permission, type Principal } from './principal.ts';
import { grantHolderRows, holderFromRows, type GrantHolder } from './project-roles.ts';

export const apiTokenInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  /** null or absent = never expires; must lie in the future. */
  expiresAt: z.coerce.date().nullish(),
  /** The permissions the token may use, at most the user's own; absent = all of the user's. */
  permissions: z.array(z.enum(permissions)).min(1).optional(),
  /** Only in this project; absent = in every project of the user. */
  projectId: z.string().min(1).optional(),
});
export type ApiTokenInput = z.input<typeof apiTokenInputSchema>;

/** A token as it is listed: everything but the secret, which only its creation returns. */
export interface ApiTokenInfo {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  /** null = all of the user's permissions. */
  readonly permissions: readonly Permission[] | null;
  /** null = every project of the user. */
  readonly projectId: string | null;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
  readonly createdAt: Date;
}

export interface CreatedApiToken {
  /** The secret (`ddk_…`): shown this once, stored only as a hash. */
  readonly token: string;
  readonly info: ApiTokenInfo;
}

/** What a valid token lets its user do, before the user's roles are applied. */
export interface TokenGrant {
  readonly tokenId: string;
  readonly userId: string;
  readonly permissions: readonly Permission[] | null;
  readonly projectId: string | null;
}

/** last_used_at is written at most this often, so a busy CI job does not write on every request. */
const touchIntervalMs = 60_000;

function toInfo(row: Selectable<ApiTokenTable>): ApiTokenInfo {
  return {
    id: row.id,
    userId: row.userId,
    name: row.name,
    permissions: row.permissions === null ? null : knownPermissions(row.permissions),
    projectId: row.projectId,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
    createdAt: row.createdAt,
  };
}

/**
 * A user's principal as seen through a token: only the token's project, and in each project only
 * the permissions both the token and the user's current roles hold (a role taken away later takes
 * the token's use of it too). Projects left without permissions disappear. A restricted token is
 * not a service admin, whatever its user is: service administration needs an unrestricted token.
 */
export function restrictPrincipal(principal: Principal, grant: TokenGrant): Principal {
  const allowed = grant.permissions === null ? undefined : new Set<Permission>(grant.permissions);
  const projects = new Map<string, ReadonlySet<Permission>>();
  for (const [projectId, held] of principal.projects) {
    if (grant.projectId !== null && projectId !== grant.projectId) continue;
    const kept =
      allowed === undefined ? held : new Set([...held].filter((permission) => allowed.has(permission)));
    if (kept.size > 0) projects.set(projectId, kept);
  }
  const unrestricted = grant.permissions === null && grant.projectId === null;
  return { ...principal, via: 'token', serviceAdmin: principal.serviceAdmin && unrestricted, projects };
}

/** API tokens for scripts and CI (PRODUCT.md section 6). */
export class ApiTokens {
  private readonly db: Kysely<Database>;
  private readonly clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  async create(userId: string, input: unknown): Promise<CreatedApiToken> {
    const data = parseRequest(apiTokenInputSchema, input, 'API token');
    const now = this.clock.now();
    if (data.expiresAt && data.expiresAt <= now)
      throw new ServiceError('invalid_request', 'a token must expire in the future', {
        issues: [{ path: 'expiresAt', message: 'in the past' }],
      });
    const user = await this.db.selectFrom('appUser').select('id').where('id', '=', userId).executeTakeFirst();
    if (!user) throw notFound('user', userId);
    if (data.projectId !== undefined) {
      const project = await this.db
        .selectFrom('project')
        .select('id')
        .where('id', '=', data.projectId)
        .executeTakeFirst();
      if (!project) throw notFound('project', data.projectId);
    }
    const token = newApiTokenSecret();
    const row = await this.db
      .insertInto('apiToken')
      .values({
        id: randomUUID(),
        userId,
        name: data.name,
        secretHash: secretDigest(token),
        permissions:
          data.permissions === undefined
            ? null
            : toJson<readonly string[]>(knownPermissions(data.permissions)),
        projectId: data.projectId ?? null,
        expiresAt: data.expiresAt ?? null,
        revokedAt: null,
        lastUsedAt: null,
        createdAt: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { token, info: toInfo(row) };
  }

  /** The user's tokens, newest first, revoked and expired ones included (they show when they ended). */
  async list(userId: string): Promise<ApiTokenInfo[]> {
    const rows = await this.db
      .selectFrom('apiToken')
      .selectAll()
      .where('userId', '=', userId)
      .orderBy('createdAt', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(toInfo);
  }

  /**
   * Revokes one of the user's tokens (another user's token is `not_found`); revoking twice keeps
   * the first time.
   */
  async revoke(userId: string, tokenId: string): Promise<ApiTokenInfo> {
    const row = await this.db
      .selectFrom('apiToken')
      .selectAll()
      .where('id', '=', tokenId)
      .where('userId', '=', userId)
      .executeTakeFirst();
    if (!row) throw notFound('API token', tokenId);
    if (row.revokedAt) return toInfo(row);
    const revoked = await this.db
      .updateTable('apiToken')
      .set({ revokedAt: this.clock.now() })
      .where('id', '=', tokenId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toInfo(revoked);
  }

  /**
   * The grant of a live token (known, not revoked, not expired) with its user and the user's role
   * grants, read in one statement; touches `lastUsedAt` at most once a minute.
   */
  async resolve(secret: string): Promise<{ grant: TokenGrant; holder: GrantHolder } | undefined> {
    if (!secret.startsWith(apiTokenPrefix)) return undefined;
    const rows = await grantHolderRows(this.db)
      .innerJoin('apiToken', 'apiToken.userId', 'appUser.id')
      .select([
        'apiToken.id',
        'apiToken.permissions',
        'apiToken.projectId',
        'apiToken.expiresAt',
        'apiToken.revokedAt',
        'apiToken.lastUsedAt',
      ])
      .where('apiToken.secretHash', '=', secretDigest(secret))
      .execute();
    const row = rows[0];
    const holder = holderFromRows(rows);
    if (!row || !holder || row.revokedAt) return undefined;
    const now = this.clock.now();
    if (row.expiresAt && row.expiresAt <= now) return undefined;
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= touchIntervalMs)
      await this.db.updateTable('apiToken').set({ lastUsedAt: now }).where('id', '=', row.id).execute();
    const grant: TokenGrant = {
      tokenId: row.id,
      userId: holder.user.id,
      permissions: row.permissions === null ? null : knownPermissions(row.permissions),
      projectId: row.projectId,
    };
    return { grant, holder };
  }
}
