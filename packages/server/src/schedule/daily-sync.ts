import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { SyncService } from '../inventory/sync-service.ts';
import { claimServiceState } from '../store/service-state-claim.ts';
import type { Database } from '../store/schema.ts';
import { isInsideWindow, localDate } from './time-window.ts';

/**
 * The daily inventory sync (PRODUCT.md section 5: 01:00 by default, in each project's time zone):
 * once per local date, at or after the set time. The date done is kept in the database, so a
 * restart does not sync twice and several processes sync once.
 */
export class DailySync {
  /** Local dates already synced, per project, so a tick does not ask the database every second. */
  readonly #done = new Map<string, string>();

  private readonly db: Kysely<Database>;
  private readonly sync: SyncService;
  private readonly clock: Clock;
  private readonly at: string;

  constructor(db: Kysely<Database>, sync: SyncService, clock: Clock, at: string) {
    this.db = db;
    this.sync = sync;
    this.clock = clock;
    this.at = at;
  }

  async runDue(): Promise<number> {
    const now = this.clock.now();
    const projects = await this.db.selectFrom('project').select(['id', 'timeZone']).execute();
    let ran = 0;
    for (const project of projects) {
      if (!isInsideWindow({ start: this.at, end: '24:00', timeZone: project.timeZone }, now)) continue;
      const today = localDate(now, project.timeZone);
      if (this.#done.get(project.id) === today) continue;
      const claimed = await claimServiceState(this.db, `daily-sync:${project.id}`, today, now);
      this.#done.set(project.id, today);
      if (!claimed) continue;
      const connections = await this.db
        .selectFrom('registryConnection')
        .select('id')
        .where('projectId', '=', project.id)
        .limit(1)
        .execute();
      if (connections.length === 0) continue;
      await this.sync.sync(project.id, { trigger: 'daily' });
      ran += 1;
    }
    return ran;
  }
}
