import type { Kysely } from 'kysely';
import { toJson } from './json.ts';
import type { Database } from './schema.ts';

/**
 * Records `value` under `key` unless it is there already, and says whether this call recorded it:
 * of several processes doing the same once-per-value work (a day's sync, a database's re-match),
 * exactly one gets true.
 */
export async function claimServiceState(
  db: Kysely<Database>,
  key: string,
  value: string,
  now: Date,
): Promise<boolean> {
  const json = toJson<unknown>(value);
  const claimed = await db
    .insertInto('serviceState')
    .values({ key, value: json, updatedAt: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value: json, updatedAt: now }).where('serviceState.value', '!=', json),
    )
    .executeTakeFirst();
  return claimed.numInsertedOrUpdatedRows !== 0n;
}
