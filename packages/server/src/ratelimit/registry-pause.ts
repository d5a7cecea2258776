import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

/** When a registry answers 429 without a usable `Retry-After`. */
export const defaultRateLimitPauseMs = 60_000;

/**
 * Pauses every task's pulls from a registry connection until `until` (a registry's 429 with
 * `Retry-After`). A later, longer pause wins; a shorter one never shortens it.
 */
export async function pauseRegistry(
  db: Kysely<Database>,
  connectionId: string,
  until: Date,
  reason: string,
): Promise<void> {
  await db
    .insertInto('registryPause')
    .values({ connectionId, pausedUntil: until, reason })
    .onConflict((oc) =>
      oc.column('connectionId').doUpdateSet((eb) => ({
        pausedUntil: eb.fn('greatest', ['registryPause.pausedUntil', eb.ref('excluded.pausedUntil')]),
        reason: eb.ref('excluded.reason'),
      })),
    )
    .execute();
}

/** Connections paused at `now`, with the end of their pause. */
export async function pausedConnections(db: Kysely<Database>, now: Date): Promise<Map<string, Date>> {
  const rows = await db.selectFrom('registryPause').selectAll().where('pausedUntil', '>', now).execute();
  return new Map(rows.map((row) => [row.connectionId, row.pausedUntil]));
}
