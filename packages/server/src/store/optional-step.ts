import { sql, type Kysely } from 'kysely';

/**
 * Runs a migration step that may fail where the database lacks something optional (the pg_trgm
 * extension: no contrib package, no privilege to create it) inside a savepoint of the
 * migration's transaction, so its failure is rolled back alone instead of aborting the whole
 * migration. Returns whether the step took effect.
 */
export async function optionalStep(
  db: Kysely<unknown>,
  name: string,
  step: () => Promise<void>,
): Promise<boolean> {
  const savepoint = sql.id(name);
  await sql`savepoint ${savepoint}`.execute(db);
  try {
    await step();
    await sql`release savepoint ${savepoint}`.execute(db);
    return true;
  } catch {
    await sql`rollback to savepoint ${savepoint}`.execute(db);
    return false;
  }
}
