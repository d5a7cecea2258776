import { sql, type Kysely } from 'kysely';

/**
 * Task deadlines and export leases. A scan task gets the instant after which the dispatcher ends
 * it `timed_out`, and the reason a stop was asked (`user` or `timed_out`) so the task ends in the
 * status that says why. An export job records when a process claimed it, so a job whose process
 * died can be claimed again once its lease has run out.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table scan_task add column deadline_at timestamptz`.execute(db);
  await sql`alter table scan_task add column stop_reason text`.execute(db);
  await sql`create index scan_task_deadline on scan_task (deadline_at) where status = 'running'`.execute(db);
  await sql`alter table export_job add column claimed_at timestamptz`.execute(db);
}
