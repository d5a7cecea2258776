/**
 * The figures of the scale-out benchmark (bench/scale-out.ts), read back from what the service
 * stored: per image job the `scan_task_image` timestamps (`dispatched_at` when the dispatcher sent
 * the job, `started_at` when a worker took it, `finished_at` when the worker began writing its
 * outcome, each the writing process's clock), and the database's size per table.
 */
import pg from 'pg';

/** One image job of a task as the service and its job queue stored it. */
export interface JobTimes {
  readonly status: string;
  readonly failureCode: string | null;
  readonly dispatchedAt: Date | null;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  /** pg-boss's `started_on`: when a worker fetched the job (PostgreSQL's clock, `now()` of the fetch). */
  readonly fetchedAt: Date | null;
  /** pg-boss's `completed_on`: when the worker reported the job done, after writing its outcome. */
  readonly completedAt: Date | null;
}

export async function taskJobTimes(url: string, taskId: string): Promise<JobTimes[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{
      status: string;
      failure_code: string | null;
      dispatched_at: Date | null;
      started_at: Date | null;
      finished_at: Date | null;
      fetched_at: Date | null;
      completed_at: Date | null;
    }>(
      `select s.status, s.failure_code, s.dispatched_at, s.started_at, s.finished_at,
              j.started_on as fetched_at, j.completed_on as completed_at
         from scan_task_image s left join pgboss.job j on j.id::text = s.job_id
        where s.task_id = $1 order by s.started_at nulls last`,
      [taskId],
    );
    return result.rows.map((row) => ({
      status: row.status,
      failureCode: row.failure_code,
      dispatchedAt: row.dispatched_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      fetchedAt: row.fetched_at,
      completedAt: row.completed_at,
    }));
  } finally {
    await client.end();
  }
}

/** Nearest-rank percentiles of a sample, in the sample's unit. */
export interface Distribution {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
  /** Values over one second (milliseconds samples): the stalls a percentile may hide. */
  readonly overOneSecond: number;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    p50: rank(50),
    p90: rank(90),
    p99: rank(99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    overOneSecond: sorted.filter((value) => value > 1000).length,
  };
}

/** The parts of a hand-over between two timestamps, in milliseconds. */
export interface Segment {
  readonly name: string;
  readonly values: Distribution;
}

/** What one round's job rows say. Durations in milliseconds. */
export interface RoundTimes {
  readonly succeeded: number;
  /** Jobs that did not succeed, by status and failure code. */
  readonly failures: Readonly<Record<string, number>>;
  /** First `started_at` to last `finished_at`. */
  readonly wallMs: number;
  readonly imagesPerMinute: number;
  /** `started_at` → `finished_at`: the scan itself, pull to result. */
  readonly scan: Distribution;
  /** `dispatched_at` → `started_at`. */
  readonly enqueueToStart: Distribution;
  /**
   * With one scan slot in all: each `started_at` minus the `finished_at` before it (jobs in start
   * order), the time the only slot spent between two scans. Undefined with more slots, where the
   * rows do not say which slot ran which job.
   */
  readonly finishToNextStart: Distribution | undefined;
  /**
   * Where the time goes: enqueue → start split at the fetch; with one slot, finish → next start
   * split at the next dispatch and fetch, and the outcome's write (finish → job completed).
   */
  readonly segments: readonly Segment[];
  /** Task creation → the first `dispatched_at`. */
  readonly firstDispatchMs: number;
}

type Timed = JobTimes & { dispatchedAt: Date; startedAt: Date; finishedAt: Date };

const ms = (date: Date) => date.getTime();

/** Differences `to − from` over the jobs that have both. */
function between<T>(
  items: readonly T[],
  from: (item: T) => Date | null,
  to: (item: T) => Date | null,
): number[] {
  const values: number[] = [];
  for (const item of items) {
    const start = from(item);
    const end = to(item);
    if (start && end) values.push(ms(end) - ms(start));
  }
  return values;
}

/**
 * The figures of one task's jobs, run by `slots` scan slots with the connection's `pulls`. With one
 * pull the next job is only dispatched once the previous one finished, so that step is a segment.
 */
export function roundTimes(
  jobs: readonly JobTimes[],
  slots: number,
  pulls: number,
  taskCreatedAt: Date,
): RoundTimes {
  const failures: Record<string, number> = {};
  const done = jobs.filter((job) => {
    if (job.status === 'succeeded') return true;
    const key = `${job.status}${job.failureCode ? ` (${job.failureCode})` : ''}`;
    failures[key] = (failures[key] ?? 0) + 1;
    return false;
  });
  const timed = done.filter(
    (job): job is Timed => job.dispatchedAt !== null && job.startedAt !== null && job.finishedAt !== null,
  );
  const firstStart = Math.min(...timed.map((job) => ms(job.startedAt)));
  const lastFinish = Math.max(...timed.map((job) => ms(job.finishedAt)));
  const wallMs = lastFinish - firstStart;
  const segments: Segment[] = [
    {
      name: 'dispatched → fetched by a worker',
      values: distribution(
        between(
          timed,
          (j) => j.dispatchedAt,
          (j) => j.fetchedAt,
        ),
      ),
    },
    {
      name: 'fetched → marked scanning',
      values: distribution(
        between(
          timed,
          (j) => j.fetchedAt,
          (j) => j.startedAt,
        ),
      ),
    },
  ];
  let finishToNextStart: Distribution | undefined;
  if (slots === 1) {
    const ordered = [...timed].sort((a, b) => ms(a.startedAt) - ms(b.startedAt));
    const pairs = ordered.slice(1).map((next, index) => ({ previous: ordered[index] as Timed, next }));
    finishToNextStart = distribution(
      between(
        pairs,
        (p) => p.previous.finishedAt,
        (p) => p.next.startedAt,
      ),
    );
    const handOver: Segment[] = [
      {
        name: 'finished → job completed (writing the outcome)',
        values: distribution(
          between(
            timed,
            (j) => j.finishedAt,
            (j) => j.completedAt,
          ),
        ),
      },
      {
        name: 'previous job completed → fetched by the worker',
        values: distribution(
          between(
            pairs,
            (p) => p.previous.completedAt,
            (p) => p.next.fetchedAt,
          ),
        ),
      },
    ];
    if (pulls === 1)
      handOver.push({
        name: 'finished → next job dispatched',
        values: distribution(
          between(
            pairs,
            (p) => p.previous.finishedAt,
            (p) => p.next.dispatchedAt,
          ),
        ),
      });
    segments.unshift(...handOver);
  }
  return {
    succeeded: done.length,
    failures,
    wallMs,
    imagesPerMinute: wallMs > 0 ? (timed.length * 60_000) / wallMs : Number.NaN,
    scan: distribution(timed.map((job) => ms(job.finishedAt) - ms(job.startedAt))),
    enqueueToStart: distribution(timed.map((job) => ms(job.startedAt) - ms(job.dispatchedAt))),
    finishToNextStart,
    segments,
    firstDispatchMs: Math.min(...timed.map((job) => ms(job.dispatchedAt))) - ms(taskCreatedAt),
  };
}

/** Bytes of one table with its indexes and TOAST (`pg_total_relation_size`). */
export interface TableSize {
  /** `schema.table`, `public.` left out. */
  readonly table: string;
  readonly bytes: number;
}

export interface DatabaseSize {
  /** `pg_database_size` of the whole database. */
  readonly database: number;
  readonly tables: readonly TableSize[];
}

export async function databaseSize(url: string): Promise<DatabaseSize> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const total = await client.query<{ bytes: string }>(
      'select pg_database_size(current_database()) as bytes',
    );
    const tables = await client.query<{ schema: string; name: string; bytes: string }>(`
      select n.nspname as schema, c.relname as name, pg_total_relation_size(c.oid) as bytes
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p', 'm')
         and n.nspname not in ('pg_catalog', 'information_schema')
         and n.nspname not like 'pg_toast%'`);
    return {
      database: Number(total.rows[0]?.bytes ?? 0),
      tables: tables.rows.map((row) => ({
        table: row.schema === 'public' ? row.name : `${row.schema}.${row.name}`,
        bytes: Number(row.bytes),
      })),
    };
  } finally {
    await client.end();
  }
}

/** `vacuum full analyze` of the whole database: the size the same rows take when packed. */
export async function compact(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('vacuum full analyze');
  } finally {
    await client.end();
  }
}

/** Growth per table between two sizes of one database, largest first; tables that did not grow left out. */
export function growth(before: DatabaseSize, after: DatabaseSize): TableSize[] {
  const earlier = new Map(before.tables.map((table) => [table.table, table.bytes]));
  return after.tables
    .map((table) => ({ table: table.table, bytes: table.bytes - (earlier.get(table.table) ?? 0) }))
    .filter((table) => table.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
}

/** What the scanned rows hold, to say what a scanned image weighs and what does not grow with images. */
export interface StoredContent {
  readonly results: number;
  /** Average stored size of one result's report (`pg_column_size`: after TOAST compression). */
  readonly reportBytes: number;
  /** Risk counts of one result (every image holds the same base, so they are alike). */
  readonly riskCounts: string;
  /** Distinct findings of the project: grows with the fleet's variety, not its size. */
  readonly findingGroups: number;
  /** Image–finding pairs: one per finding per image. */
  readonly imageFindings: number;
  readonly layerCacheEntries: number;
  readonly layerCacheBytes: number;
}

export async function storedContent(url: string): Promise<StoredContent> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{
      results: string;
      report_bytes: string | null;
      risk_counts: unknown;
      groups: string;
      image_findings: string;
      cache_entries: string;
      cache_bytes: string | null;
    }>(`
      select (select count(*) from scan_result) as results,
             (select avg(pg_column_size(report)) from scan_result) as report_bytes,
             (select risk_counts from scan_result limit 1) as risk_counts,
             (select count(*) from finding_group) as groups,
             (select count(*) from image_finding) as image_findings,
             (select count(*) from layer_cache) as cache_entries,
             (select sum(size) from layer_cache) as cache_bytes`);
    const row = result.rows[0];
    return {
      results: Number(row?.results ?? 0),
      reportBytes: Number(row?.report_bytes ?? 0),
      riskCounts: JSON.stringify(row?.risk_counts ?? {}),
      findingGroups: Number(row?.groups ?? 0),
      imageFindings: Number(row?.image_findings ?? 0),
      layerCacheEntries: Number(row?.cache_entries ?? 0),
      layerCacheBytes: Number(row?.cache_bytes ?? 0),
    };
  } finally {
    await client.end();
  }
}

/** PostgreSQL's current write-ahead log position, to measure the WAL bytes a step wrote. */
export async function walPosition(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
    return result.rows[0]?.lsn ?? '0/0';
  } finally {
    await client.end();
  }
}

/** Bytes of WAL between two positions (server-wide: every database's writes). */
export async function walBytes(url: string, from: string, to: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ bytes: string }>('select pg_wal_lsn_diff($2, $1) as bytes', [
      from,
      to,
    ]);
    return Number(result.rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}
