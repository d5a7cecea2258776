import { timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { randomSecret, secretDigest } from '../access/access-secrets.ts';
import { notFound } from '../service-error.ts';
import type { Database } from '../store/schema.ts';

/**
 * The receiver secrets of registry push notifications: one per registry connection, answered once
 * when created and kept only as its SHA-256 (256 random bits need no slow hash, and a database copy
 * cannot post events with it). The registry sends it as `Authorization: Bearer <secret>` (the
 * distribution registry's endpoint `headers`, Harbor's webhook "Auth Header").
 */

/** What every receiver secret starts with: neither an API token nor a password, at a glance. */
export const registryEventTokenPrefix = 'ddr_';

export interface RegistryEventToken {
  readonly connectionId: string;
  /** The secret itself: shown once, never stored or answered again. */
  readonly token: string;
  readonly createdAt: Date;
}

/** The connection an authenticated notification is for. */
export interface EventConnection {
  readonly connectionId: string;
  readonly projectId: string;
  readonly connectionName: string;
}

/** Compared against when the connection has no secret, so an unknown id takes as long as a wrong secret. */
const absentDigest = secretDigest('no receiver secret');

/** Creates (or replaces) the connection's secret. `not_found` for a connection of another project. */
export async function createRegistryEventToken(
  db: Kysely<Database>,
  projectId: string,
  connectionId: string,
  now: Date,
): Promise<RegistryEventToken> {
  const connection = await db
    .selectFrom('registryConnection')
    .select('id')
    .where('id', '=', connectionId)
    .where('projectId', '=', projectId)
    .executeTakeFirst();
  if (!connection) throw notFound('registry connection', connectionId);
  const token = `${registryEventTokenPrefix}${randomSecret()}`;
  const values = { secretDigest: secretDigest(token), createdAt: now, lastEventAt: null };
  await db
    .insertInto('registryEventToken')
    .values({ connectionId, projectId, ...values })
    .onConflict((conflict) => conflict.column('connectionId').doUpdateSet(values))
    .execute();
  return { connectionId, token, createdAt: now };
}

/** Removes the connection's secret (its notifications are refused from then on). `not_found` when it has none. */
export async function deleteRegistryEventToken(
  db: Kysely<Database>,
  projectId: string,
  connectionId: string,
): Promise<void> {
  const deleted = await db
    .deleteFrom('registryEventToken')
    .where('connectionId', '=', connectionId)
    .where('projectId', '=', projectId)
    .executeTakeFirst();
  if (deleted.numDeletedRows === 0n) throw notFound('registry event token', connectionId);
}

/**
 * The connection when `secret` is its receiver secret; undefined otherwise, whether the connection
 * does not exist, has no secret or another one (the caller answers all three alike). The digests
 * are compared in constant time.
 */
export async function authenticateRegistryEvent(
  db: Kysely<Database>,
  connectionId: string,
  secret: string | undefined,
  now: Date,
): Promise<EventConnection | undefined> {
  const row = await db
    .selectFrom('registryEventToken')
    .innerJoin('registryConnection', 'registryConnection.id', 'registryEventToken.connectionId')
    .select([
      'registryEventToken.secretDigest',
      'registryEventToken.projectId',
      'registryConnection.name as connectionName',
    ])
    .where('registryEventToken.connectionId', '=', connectionId)
    .executeTakeFirst();
  const expected = Buffer.from(row?.secretDigest ?? absentDigest, 'hex');
  const given = Buffer.from(secretDigest(secret ?? ''), 'hex');
  const matches = timingSafeEqual(expected, given);
  if (!row || !matches || secret === undefined) return undefined;
  await db
    .updateTable('registryEventToken')
    .set({ lastEventAt: now })
    .where('connectionId', '=', connectionId)
    .execute();
  return { connectionId, projectId: row.projectId, connectionName: row.connectionName };
}
