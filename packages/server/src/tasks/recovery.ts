import type { Kysely } from 'kysely';
import type { JobQueue } from '../queue/job-queue.ts';
import type { Database } from '../store/schema.ts';

/**
 * Puts scans that were running when the process died back in the queue: their rows return to
 * `queued` (the dispatcher sends a fresh job) and their old jobs are cancelled. Billing is keyed by
 * task, image and platform, so a scan that had already been billed is never billed again.
 */
export async function recoverInterruptedScans(db: Kysely<Database>, queue: JobQueue): Promise<number> {
  const rows = await db
    .selectFrom('scanTaskImage')
    .innerJoin('scanTask', 'scanTask.id', 'scanTaskImage.taskId')
    .select(['scanTaskImage.taskId', 'scanTaskImage.jobId', 'scanTask.type'])
    .where('scanTaskImage.status', '=', 'scanning')
    .execute();
  if (rows.length === 0) return 0;
  await db
    .updateTable('scanTaskImage')
    .set({ status: 'queued', jobId: null, dispatchedAt: null, startedAt: null })
    .where('status', '=', 'scanning')
    .execute();
  for (const type of ['manual', 'scheduled'] as const) {
    const jobIds = rows.flatMap((row) => (row.type === type && row.jobId ? [row.jobId] : []));
    await queue.cancel(type, jobIds);
  }
  return rows.length;
}
