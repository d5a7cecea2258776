import type { Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';

/**
 * The images-per-hour limit of a task on one registry connection: a token bucket of capacity one
 * kept in the database, so every process dispatching for the task shares it. A pull may start
 * when `nextAllowedAt` has passed; each pull moves it one interval (3600 s / limit) on, so any hour
 * holds at most `limit` pulls and they are spread evenly rather than bunched at the hour's start.
 */
export async function takeToken(
  trx: Transaction<Database>,
  taskId: string,
  connectionId: string,
  imagesPerHour: number,
  now: Date,
): Promise<boolean> {
  if (imagesPerHour <= 0) return true;
  const interval = 3_600_000 / imagesPerHour;
  const bucket = await trx
    .selectFrom('rateBucket')
    .select('nextAllowedAt')
    .where('taskId', '=', taskId)
    .where('connectionId', '=', connectionId)
    .forUpdate()
    .executeTakeFirst();
  if (bucket && bucket.nextAllowedAt > now) return false;
  const from = bucket ? Math.max(now.getTime(), bucket.nextAllowedAt.getTime()) : now.getTime();
  const nextAllowedAt = new Date(from + interval);
  await trx
    .insertInto('rateBucket')
    .values({ taskId, connectionId, nextAllowedAt })
    .onConflict((oc) => oc.columns(['taskId', 'connectionId']).doUpdateSet({ nextAllowedAt }))
    .execute();
  return true;
}
