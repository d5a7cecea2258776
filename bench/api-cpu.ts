/**
 * CPU time spent by the API process and by PostgreSQL, for the API benchmark (bench/api-load.ts). Divided by the requests served, it says what a request costs on each
 * side, which the latencies alone hide: with 20 clients and one event loop, a request that costs
 * 5 ms of the process's CPU cannot be answered faster than about 20 × 5 ms at the median.
 * Linux only (reads /proc).
 */
import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

interface ProcStat {
  readonly ppid: number;
  /** utime + stime, and with children: + cutime + cstime (children already reaped), in ticks. */
  readonly own: number;
  readonly children: number;
}

async function procStat(pid: number): Promise<ProcStat | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const field = (index: number) => Number(fields[index - 3]);
    return { ppid: field(4), own: field(14) + field(15), children: field(16) + field(17) };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** The postmaster of the server at `url`: the parent of one of its backends. */
export async function postmasterPid(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const backend = result.rows[0]?.pid;
    const stat = backend === undefined ? undefined : await procStat(backend);
    if (!stat) throw new Error('cannot find the PostgreSQL backend in /proc');
    return stat.ppid;
  } finally {
    await client.end();
  }
}

/** Seconds of CPU used so far by the postmaster and every backend, live or exited. */
export async function postgresCpuSeconds(postmaster: number): Promise<number> {
  const root = await procStat(postmaster);
  if (!root) throw new Error(`PostgreSQL (pid ${postmaster}) is not running`);
  let ticks = root.own + root.children;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await procStat(Number(entry));
    if (stat?.ppid === postmaster) ticks += stat.own;
  }
  return ticks / ticksPerSecond;
}

/** Seconds of CPU used so far by one process (a PostgreSQL backend); 0 once it is gone. */
export async function pidCpuSeconds(pid: number): Promise<number> {
  return ((await procStat(pid))?.own ?? 0) / ticksPerSecond;
}
