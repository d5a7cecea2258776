/**
 * What else was busy during a round of the scale-out benchmark (bench/scale-out.ts): the whole
 * machine's CPU (other work on a shared machine shows here), the registry's CPU, and the finding
 * index's per-project lock (it is taken for every result written, so the results of one project
 * are written one at a time): how often it was held and how often backends waited for it. Linux only.
 */
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';

/** Clock ticks per second of /proc's CPU times (USER_HZ). */
const ticksPerSecond = 100;

/** Busy and total ticks of every core together since boot (/proc/stat's `cpu` line). */
export interface MachineTicks {
  readonly busy: number;
  readonly total: number;
}

export async function machineTicks(): Promise<MachineTicks> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n').find((text) => text.startsWith('cpu '));
  // user nice system idle iowait irq softirq steal (guest time is inside user already)
  const fields = (line ?? '').trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** Cores busy on average between two readings (0 to the number of cores). */
export function busyCores(from: MachineTicks, to: MachineTicks, cores: number): number {
  const total = to.total - from.total;
  return total > 0 ? ((to.busy - from.busy) / total) * cores : 0;
}

/** The `docker-registry` this process started (test/harness/registry.ts), found through /proc. */
export async function registryPid(): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const text = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const command = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
    if (command === 'docker-registry' && ppid === process.pid) return Number(entry);
  }
  return undefined;
}

/** Seconds of CPU a process used so far, its reaped children included; 0 once it is gone. */
export async function processCpuSeconds(pid: number): Promise<number> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  if (text === '') return 0;
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (index: number) => Number(fields[index - 3] ?? 0);
  return (field(14) + field(15) + field(16) + field(17)) / ticksPerSecond;
}

export interface LockWaits {
  readonly samples: number;
  /** Share of samples in which at least one backend waited on an advisory lock. */
  readonly anyWaiting: number;
  /** Backends waiting on an advisory lock, on average over the samples. */
  readonly meanWaiting: number;
  /** Share of samples in which some transaction held the project's finding index lock. */
  readonly held: number;
}

/**
 * Samples pg_stat_activity and pg_locks of one database every `everyMs` until stopped: backends
 * waiting on an advisory lock, and whether the project's finding index lock is held. The lock is
 * results/finding-index.ts's `pg_advisory_xact_lock(hashtext('drydock finding index ' || project))`;
 * a bigint key shows in pg_locks as classid (high half) and objid (low half). One small query per
 * sample on its own connection, whose backend is left out.
 */
export class LockWaitSampler {
  readonly #url: string;
  readonly #projectId: string;
  readonly #everyMs: number;
  #running = false;
  #loop: Promise<LockWaits> | undefined;

  constructor(url: string, projectId: string, everyMs = 25) {
    this.#url = url;
    this.#projectId = projectId;
    this.#everyMs = everyMs;
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url });
    await client.connect();
    this.#running = true;
    this.#loop = (async () => {
      let samples = 0;
      let withWaiting = 0;
      let waiting = 0;
      let held = 0;
      try {
        while (this.#running) {
          const result = await client.query<{ waiting: string; held: string }>(
            `select
               (select count(*) from pg_stat_activity
                 where datname = current_database() and pid <> pg_backend_pid()
                   and wait_event_type = 'Lock' and wait_event = 'advisory') as waiting,
               (select count(*) from pg_locks
                 where locktype = 'advisory' and granted
                   and database = (select oid from pg_database where datname = current_database())
                   and objid = (hashtext($1)::bigint & 4294967295)::oid) as held`,
            [`drydock finding index ${this.#projectId}`],
          );
          const now = Number(result.rows[0]?.waiting ?? 0);
          samples += 1;
          waiting += now;
          if (now > 0) withWaiting += 1;
          if (Number(result.rows[0]?.held ?? 0) > 0) held += 1;
          await delay(this.#everyMs);
        }
      } catch {
        // The server went away (a failing run's cleanup): the samples so far are the answer.
      } finally {
        await client.end().catch(() => undefined);
      }
      return {
        samples,
        anyWaiting: samples > 0 ? withWaiting / samples : 0,
        meanWaiting: samples > 0 ? waiting / samples : 0,
        held: samples > 0 ? held / samples : 0,
      };
    })();
  }

  async stop(): Promise<LockWaits> {
    this.#running = false;
    if (!this.#loop) return { samples: 0, anyWaiting: 0, meanWaiting: 0, held: 0 };
    return this.#loop;
  }
}
