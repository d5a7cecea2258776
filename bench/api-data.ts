/**
 * The API benchmark's data (bench/api-load.ts), written straight into the service's PostgreSQL
 * tables with set-based SQL: registry connections, the asked number of repository images over namespaces,
 * repositories and tags (a quarter of them multi-architecture), scan statuses, and for every
 * succeeded image and platform a current `scan_result` (a fifth with an older one as history)
 * whose report is assembled in the database from the typed pools of bench/api-finding-pools.ts.
 * Stored counts and levels follow the same rules as results/risk-summary.ts; `verifySample` in
 * bench/api-data-check.ts checks that on a sample with the real functions.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { packReportJson } from '../packages/server/src/store/packed-report.ts';
import { pidCpuSeconds } from './api-cpu.ts';
import {
  findingPools,
  licenseSummary,
  poolSizes,
  reportSkeleton,
  type PoolEntry,
} from './api-finding-pools.ts';

export interface DataSize {
  readonly images: number;
  /** Findings (vulnerabilities, secrets, malware, failed baseline checks, compliance) in current results. */
  readonly findings: number;
  /** Packages per report besides the vulnerable ones. */
  readonly extraPackages: number;
  readonly tagsPerRepository: number;
}

export interface GeneratedData {
  readonly projectId: string;
  readonly connections: number;
  readonly images: number;
  readonly currentResults: number;
  readonly historyResults: number;
  /** Findings in current results, by risk type. */
  readonly findings: Readonly<
    Record<'vulnerability' | 'secret' | 'malware' | 'baseline' | 'compliance', number>
  >;
  /** Seconds per step: wall time, and CPU time of the PostgreSQL backend that ran it. */
  readonly steps: readonly { readonly step: string; readonly seconds: number; readonly cpuSeconds: number }[];
  /** A name fragment matched by about one repository in forty (for the name filter). */
  readonly nameFragment: string;
}

/** Sessions that build reports at once: one per core. */
const reportSessions = Math.max(1, availableParallelism());

/** Shares of each risk type among the findings (vulnerabilities dominate in real inventories). */
const findingShares = {
  vulnerability: 0.86,
  baseline: 0.07,
  compliance: 0.05,
  secret: 0.018,
  malware: 0.002,
} as const;

/** Repository names: `<first>-<second>`; one first word in forty, so a name filter is selective. */
const firstWords = (
  'payment billing auth catalog search checkout inventory shipping profile gateway notify ' +
  'report ledger pricing orders cart review media upload session audit metrics config ' +
  'scheduler mailer tenant export import identity loyalty fraud promo content ingest stream ' +
  'cache proxy admin portal booking'
).split(' ');
const secondWords = (
  'api worker web service consumer job cron ui backend frontend db migrator sidecar agent ' +
  'bridge adapter server client engine processor sync batch hook core edge'
).split(' ');
const failureCodes = [
  'download_failed',
  'authentication_failed',
  'timed_out',
  'image_too_large',
  'not_found',
];

/** Runs one statement and returns its rows. */
export async function query<R extends pg.QueryResultRow>(
  client: pg.Client,
  text: string,
  values: readonly unknown[] = [],
): Promise<R[]> {
  return (await client.query<R>(text, [...values])).rows;
}

async function loadPool(
  client: pg.Client,
  table: string,
  entries: readonly PoolEntry[],
  extra: 'package_n' | 'pass_doc' | undefined,
): Promise<void> {
  // Documents stay JSON text: reports are assembled by concatenation (see the scan results step).
  const columns = extra === undefined ? '' : `, ${extra} ${extra === 'package_n' ? 'int' : 'text'}`;
  await client.query(
    `create unlogged table bench_work.${table} (n int primary key, severity text not null, doc text not null${columns})`,
  );
  const extraValues =
    extra === 'package_n'
      ? entries.map((entry) => entry.packageN ?? 0)
      : extra === 'pass_doc'
        ? entries.map((entry) => entry.passDoc ?? 'null')
        : undefined;
  const batch = 2_000;
  for (let start = 0; start < entries.length; start += batch) {
    const slice = entries.slice(start, start + batch);
    const values: unknown[] = [
      slice.map((entry) => entry.n),
      slice.map((entry) => entry.severity),
      slice.map((entry) => entry.doc),
    ];
    if (extraValues) values.push(extraValues.slice(start, start + batch));
    await client.query(
      extra === undefined
        ? `insert into bench_work.${table} select * from unnest($1::int[], $2::text[], $3::text[])`
        : `insert into bench_work.${table} select * from unnest($1::int[], $2::text[], $3::text[], $4::${extra === 'package_n' ? 'int' : 'text'}[])`,
      values,
    );
  }
}

/**
 * Writes the data into the database at `url` (the service has migrated it) for project
 * `projectId`. One session, so the pools and working tables are temporary tables.
 */
export async function generateData(url: string, projectId: string, size: DataSize): Promise<GeneratedData> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const steps: { step: string; seconds: number; cpuSeconds: number }[] = [];
  const [backend] = await query<{ pid: number }>(client, 'select pg_backend_pid() as pid');
  const backendPid = backend?.pid ?? 0;
  // Wall time and the CPU time of this session's backend: on a busy machine the second is steadier.
  // `addCpu`: CPU seconds of other sessions the step opened.
  const step = async <T>(
    name: string,
    work: (addCpu: (seconds: number) => void) => Promise<T>,
  ): Promise<T> => {
    const started = performance.now();
    const cpu = await pidCpuSeconds(backendPid);
    let other = 0;
    const value = await work((seconds) => {
      other += seconds;
    });
    steps.push({
      step: name,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: (await pidCpuSeconds(backendPid)) - cpu + other,
    });
    return value;
  };
  try {
    await client.query(`set work_mem = '64MB'`);
    await client.query(`set maintenance_work_mem = '256MB'`);
    // Working tables: unlogged (nothing to recover), in a schema of their own, shared by the
    // sessions that build the reports in parallel, dropped at the end.
    await client.query(`create schema bench_work`);
    // A uniform number in [0, 1) from an integer: deterministic, so two runs store the same data.
    await client.query(`
      create function bench_work.u(x bigint) returns float8 language sql immutable
      as $$ select (hashint8(x)::float8 + 2147483648) / 4294967296 $$`);
    await client.query(`
      create function bench_work.severity_rank(severity text) returns int language sql immutable
      as $$ select case severity when 'critical' then 5 when 'high' then 4 when 'medium' then 3
                                 when 'low' then 2 when 'unknown' then 1 else 0 end $$`);

    await step('finding pools (typed, loaded with unnest)', async () => {
      const pools = findingPools();
      await loadPool(client, 'vuln', pools.vulnerability, 'package_n');
      await loadPool(client, 'package', pools.package, undefined);
      await loadPool(client, 'secret', pools.secret, undefined);
      await loadPool(client, 'malware', pools.malware, undefined);
      await loadPool(client, 'baseline', pools.baseline, 'pass_doc');
      await loadPool(client, 'compliance', pools.compliance, undefined);
    });

    const connections = [
      {
        id: randomUUID(),
        name: 'harbor-prod',
        type: 'harbor',
        url: 'https://harbor.example.com',
        host: 'harbor.example.com',
      },
      {
        id: randomUUID(),
        name: 'artifactory',
        type: 'jfrog',
        url: 'https://acme.jfrog.io',
        host: 'acme.jfrog.io',
      },
      {
        id: randomUUID(),
        name: 'docker-hub',
        type: 'dockerhub',
        url: 'https://hub.docker.com',
        host: 'registry-1.docker.io',
      },
    ] as const;
    const [harbor, jfrog, dockerhub] = connections;
    await step('registry connections', async () => {
      for (const connection of connections) {
        await client.query(
          `insert into registry_connection
             (id, project_id, name, type, url, namespaces, status, checked_at, created_at, updated_at)
           values ($1, $2, $3, $4, $5, $6::jsonb, 'ok', now(), now(), now())`,
          [
            connection.id,
            projectId,
            connection.name,
            connection.type,
            connection.url,
            connection.type === 'dockerhub' ? '["acme","acme-labs"]' : '[]',
          ],
        );
      }
    });

    await step('repository images (generate_series)', async () => {
      // r: the repository (r modulo the number of word pairs picks the two words, the quotient
      // tells repositories apart), t: the tag. Half the repositories are in Harbor, three in ten in Artifactory, the rest on Docker Hub.
      await client.query(
        `create unlogged table bench_work.image as
         with base as (
           select i, i / $2 as r, i % $2 as t from generate_series(0, $1::int - 1) i
         ), named as (
           select b.*,
                  case when b.r % 10 < 5 then 0 when b.r % 10 < 8 then 1 else 2 end as c,
                  ($3::text[])[1 + b.r % cardinality($3::text[])] || '-'
                    || ($4::text[])[1 + (b.r / cardinality($3::text[])) % cardinality($4::text[])]
                    || case when b.r >= cardinality($3::text[]) * cardinality($4::text[])
                            then '-' || (b.r / (cardinality($3::text[]) * cardinality($4::text[])))::text
                            else '' end as name
           from base b
         )
         select gen_random_uuid()::text as id, n.i, n.r, n.t,
                (array[$5, $6, $7])[1 + n.c] as connection_id,
                (array[$8, $9, $10])[1 + n.c] as host,
                case n.c when 0 then 'team-' || (n.r % 40)
                         when 1 then (array['docker-local', 'docker-release', 'docker-remote'])[1 + n.r % 3]
                         else (array['acme', 'acme-labs'])[1 + n.r % 2] end as namespace,
                n.name, n.c,
                case when n.t = 0 then 'latest'
                     else (1 + n.r % 4)::text || '.' || (n.t / 4)::text || '.' || (n.t % 4)::text end as tag,
                'sha256:' || encode(sha256(('image-' || n.i)::bytea), 'hex') as digest,
                bench_work.u(n.i * 16 + 1) as u_arch,
                bench_work.u(n.i * 16 + 2) as u_status,
                bench_work.u(n.i * 16 + 3) as u_deleted,
                bench_work.u(n.i * 16 + 4) as u_size
         from named n`,
        [
          size.images,
          size.tagsPerRepository,
          firstWords,
          secondWords,
          harbor.id,
          jfrog.id,
          dockerhub.id,
          harbor.host,
          jfrog.host,
          dockerhub.host,
        ],
      );
      await client.query(
        `insert into repository_image
           (id, project_id, connection_id, namespace, repository, tag, pull_registry, pull_repository,
            digest, media_type, size, platforms, pushed_at, synced_at, deleted_at, scan_status,
            failure_code, failure_message, last_scan_at, created_at)
         select b.id, $1, b.connection_id, b.namespace, b.repository, b.tag, b.host,
                case b.c when 1 then b.namespace || '/' || b.repository else b.repository end,
                b.digest,
                case when b.u_arch < 0.25 then 'application/vnd.oci.image.index.v1+json'
                     else 'application/vnd.docker.distribution.manifest.v2+json' end,
                b.size, b.platforms, b.pushed_at, now(),
                case when b.u_deleted < 0.02 then now() - interval '3 days' end,
                b.status,
                case when b.status = 'failed' then ($2::text[])[1 + b.i % 5] end,
                case when b.status = 'failed' then 'the scan failed: ' || ($2::text[])[1 + b.i % 5] end,
                case when b.status in ('succeeded', 'failed', 'terminated') then b.pushed_at + interval '1 hour' end,
                b.pushed_at
         from (
           select x.*,
                  case x.c when 0 then x.namespace || '/' || x.name
                           when 1 then replace(x.name, '-', '/')
                           else x.namespace || '/' || x.name end as repository,
                  (30 + floor(x.u_size * 800))::bigint * 1000000 as size,
                  case when x.u_arch < 0.25 then
                    jsonb_build_array(
                      jsonb_build_object('platform', 'linux/amd64', 'size', 0,
                        'digest', 'sha256:' || encode(sha256(('amd64-' || x.i)::bytea), 'hex')),
                      jsonb_build_object('platform', 'linux/arm64', 'size', 0,
                        'digest', 'sha256:' || encode(sha256(('arm64-' || x.i)::bytea), 'hex')))
                    || case when x.u_arch < 0.05 then jsonb_build_array(
                      jsonb_build_object('platform', 'linux/arm/v7', 'size', 0,
                        'digest', 'sha256:' || encode(sha256(('armv7-' || x.i)::bytea), 'hex')))
                       else '[]'::jsonb end
                  else '[]'::jsonb end as platforms,
                  now() - ((x.i * 37) % 365) * interval '1 day' - x.t * interval '1 hour' as pushed_at,
                  case when x.u_status < 0.70 then 'succeeded' when x.u_status < 0.84 then 'not_scanned'
                       when x.u_status < 0.92 then 'failed' when x.u_status < 0.96 then 'terminated'
                       when x.u_status < 0.99 then 'queued' else 'scanning' end as status
           from bench_work.image x
         ) b`,
        [projectId, failureCodes],
      );
    });

    const taskIds = { current: randomUUID(), previous: randomUUID() };
    const results = await step('result rows (current and history)', async () => {
      for (const [id, age] of [
        [taskIds.current, '1 hour'],
        [taskIds.previous, '15 days'],
      ] as const) {
        await client.query(
          `insert into scan_task (id, project_id, name, type, scope, risk_types, speed_limit, creator,
                                  status, created_at, finished_at)
           values ($1, $2, 'bench full scan', 'manual', '{"kind":"all"}',
                   '["vulnerability","baseline","malware","secret","compliance"]', 0, 'bench',
                   'finished', now() - $3::interval, now() - $3::interval + interval '50 minutes')`,
          [id, projectId, age],
        );
      }
      await client.query(
        `create unlogged table bench_work.result as
         select (row_number() over (order by i.i, p.k) - 1)::int as seq, gen_random_uuid()::text as id,
                i.id as image_id, i.i, i.r, i.t, coalesce(p.e ->> 'platform', '') as platform,
                coalesce(p.e ->> 'digest', i.digest) as digest, coalesce(p.k, 1)::int as k,
                true as current, ri.last_scan_at as created_at
         from bench_work.image i
         join repository_image ri on ri.id = i.id
         left join lateral jsonb_array_elements(ri.platforms) with ordinality p(e, k) on true
         where ri.scan_status = 'succeeded'`,
      );
      const [current] = await query<{ n: number }>(
        client,
        `select count(*)::int as n from bench_work.result`,
      );
      await client.query(
        `insert into bench_work.result
         select (select count(*) from bench_work.result)::int + (row_number() over (order by seq) - 1)::int,
                gen_random_uuid()::text, image_id, i, r, t, platform, digest, k, false,
                created_at - interval '15 days'
         from bench_work.result where bench_work.u(seq * 16 + 5) < 0.2`,
      );
      const [all] = await query<{ n: number }>(client, `select count(*)::int as n from bench_work.result`);
      return { current: current?.n ?? 0, history: (all?.n ?? 0) - (current?.n ?? 0) };
    });

    // Per result: how many of each kind, from a per-repository weight (tags of one repository look
    // alike) and a per-result one, rounded stochastically so the totals come out as asked.
    const perResult = (share: number) => (size.findings * share) / Math.max(1, results.current);
    await step('finding picks (generate_series over results)', async () => {
      await client.query(
        `alter table bench_work.result
           add column nv int, add column vbase bigint, add column vstride bigint,
           add column ns int, add column sbase bigint, add column nm int, add column nb int,
           add column bbase int, add column nc int, add column cbase bigint, add column np int,
           add column pbase bigint`,
      );
      await client.query(
        `update bench_work.result set
           vstride = 1 + floor(bench_work.u(r * 64 + 14) * ($6::int - 1))::bigint,
           nv = least(400, floor($1 * (0.8 * -ln(1 - bench_work.u(r * 64 + 10)) + 0.2 * -ln(1 - bench_work.u(seq * 64 + 11)))
                      + bench_work.u(seq * 64 + 12))::int + case when current then 0 else 3 end + (k - 1)),
           ns = least(30, floor($2 * -ln(1 - bench_work.u(r * 64 + 20)) + bench_work.u(seq * 64 + 21))::int),
           sbase = floor(bench_work.u(r * 64 + 22) * $7::int)::bigint,
           nm = least(3, floor($3 * -ln(1 - bench_work.u(r * 64 + 30)) + bench_work.u(seq * 64 + 31))::int),
           nb = least(13, floor($4 * -ln(1 - bench_work.u(r * 64 + 40)) + bench_work.u(seq * 64 + 41))::int),
           bbase = floor(bench_work.u(r * 64 + 42) * 13)::int,
           nc = least(50, floor($5 * -ln(1 - bench_work.u(r * 64 + 50)) + bench_work.u(seq * 64 + 51))::int),
           cbase = floor(bench_work.u(r * 64 + 52) * $8::int)::bigint,
           np = $9::int,
           pbase = floor(bench_work.u(r * 64 + 60) * $10::int)::bigint`,
        [
          perResult(findingShares.vulnerability),
          perResult(findingShares.secret),
          perResult(findingShares.malware),
          perResult(findingShares.baseline),
          perResult(findingShares.compliance),
          poolSizes.vulnerability,
          poolSizes.secret,
          poolSizes.compliance,
          size.extraPackages,
          poolSizes.package,
        ],
      );
      await client.query(
        `update bench_work.result set vbase = floor(bench_work.u(r * 64 + 13) * $1::int)::bigint + (t % 5) * vstride`,
        [poolSizes.vulnerability],
      );
      await client.query(
        `create unlogged table bench_work.pick (seq int not null, kind smallint not null, n int not null, ord int not null)`,
      );
      // kind: 0 vulnerability, 1 package, 2 secret, 3 malware, 5 compliance (baseline is a rotation).
      await client.query(
        `insert into bench_work.pick
         select r.seq, 0, ((r.vbase + g * r.vstride) % $1)::int, g
           from bench_work.result r, generate_series(0, r.nv - 1) g
         union all
         select r.seq, 2, ((r.sbase + g * 37) % $2)::int, g
           from bench_work.result r, generate_series(0, r.ns - 1) g
         union all
         select r.seq, 3, ((r.r + g * 5) % $3)::int, g
           from bench_work.result r, generate_series(0, r.nm - 1) g
         union all
         select r.seq, 5, ((r.cbase + g * 101) % $4)::int, g
           from bench_work.result r, generate_series(0, r.nc - 1) g`,
        [poolSizes.vulnerability, poolSizes.secret, poolSizes.malware, poolSizes.compliance],
      );
      await client.query(
        `insert into bench_work.pick
         select seq, 1, n, min(ord) from (
           select p.seq, v.package_n as n, p.ord from bench_work.pick p join bench_work.vuln v on v.n = p.n where p.kind = 0
           union all
           select r.seq, ((r.pbase + g * 97) % $1)::int, 1000 + g
             from bench_work.result r, generate_series(0, r.np - 1) g
         ) x group by seq, n`,
        [poolSizes.package],
      );
      await client.query(`create index on bench_work.pick (seq, kind, ord)`);
      await client.query(`analyze bench_work.pick`);
      await client.query(`analyze bench_work.result`);
    });

    const skeleton = reportSkeleton();
    await step(`scan results (reports built in SQL, ${reportSessions} sessions)`, async (addCpu) => {
      // The report is assembled as JSON text and parsed once: jsonb_agg and jsonb concatenation
      // rebuild every document they touch, several times over per report.
      const insert = `insert into scan_result (id, project_id, image_id, task_id, digest, platform, report, risk_types,
                                  risk_counts, risk_level, matched_at, database_built_at, created_at)
         select r.id, $1, r.image_id, case when r.current then $2 else $3 end, r.digest, r.platform,
                (left($4::text, -1)
                  || ',"platform":' || jsonb_strip_nulls(jsonb_build_object(
                       'os', 'linux',
                       'architecture', case when r.platform = '' then 'amd64' else split_part(r.platform, '/', 2) end,
                       'variant', nullif(split_part(r.platform, '/', 3), '')))::text
                  || ',"manifestDigest":"' || r.digest || '"'
                  || ',"packages":[' || pk.docs || ']'
                  || ',"vulnerabilities":[' || v.docs || ']'
                  || ',"secrets":[' || s.docs || ']'
                  || ',"malware":[' || m.docs || ']'
                  || ',"baseline":{"checks":[' || b.docs || ']}'
                  || ',"compliance":{"findings":[' || c.docs || '],"licenses":' || $5::text || '}}')::json::text,
                '["vulnerability","baseline","malware","secret","compliance"]'::jsonb,
                jsonb_build_object(
                  'vulnerability', jsonb_build_object('critical', v.critical, 'high', v.high,
                    'medium', v.medium, 'low', v.low, 'unknown', v.unknown),
                  'secret', s.count, 'malware', m.count, 'baseline', r.nb, 'compliance', c.count),
                (array['none', 'unknown', 'low', 'medium', 'high', 'critical'])
                  [1 + greatest(v.rank, s.rank, m.rank, b.rank, c.rank)],
                r.created_at, '2026-11-27T00:00:00Z', r.created_at
         from bench_work.result r
         cross join lateral (
           select coalesce(string_agg(x.doc, ',' order by p.ord), '') as docs,
                  count(*) filter (where x.severity = 'critical')::int as critical,
                  count(*) filter (where x.severity = 'high')::int as high,
                  count(*) filter (where x.severity = 'medium')::int as medium,
                  count(*) filter (where x.severity = 'low')::int as low,
                  count(*) filter (where x.severity = 'unknown')::int as unknown,
                  coalesce(max(bench_work.severity_rank(x.severity)), 0) as rank
           from bench_work.pick p join bench_work.vuln x on x.n = p.n where p.seq = r.seq and p.kind = 0) v
         cross join lateral (
           select coalesce(string_agg(x.doc, ',' order by p.ord), '') as docs
           from bench_work.pick p join bench_work.package x on x.n = p.n where p.seq = r.seq and p.kind = 1) pk
         cross join lateral (
           select coalesce(string_agg(x.doc, ',' order by p.ord), '') as docs, count(*)::int as count,
                  coalesce(max(bench_work.severity_rank(x.severity)), 0) as rank
           from bench_work.pick p join bench_work.secret x on x.n = p.n where p.seq = r.seq and p.kind = 2) s
         cross join lateral (
           select coalesce(string_agg(x.doc, ',' order by p.ord), '') as docs, count(*)::int as count,
                  case when count(*) > 0 then 5 else 0 end as rank
           from bench_work.pick p join bench_work.malware x on x.n = p.n where p.seq = r.seq and p.kind = 3) m
         cross join lateral (
           select string_agg(case when (x.n + r.bbase) % 13 < r.nb then x.doc else x.pass_doc end, ',' order by x.n) as docs,
                  coalesce(max(case when (x.n + r.bbase) % 13 < r.nb then bench_work.severity_rank(x.severity) end), 0) as rank
           from bench_work.baseline x) b
         cross join lateral (
           select coalesce(string_agg(x.doc, ',' order by p.ord), '') as docs, count(*)::int as count,
                  coalesce(max(bench_work.severity_rank(x.severity)), 0) as rank
           from bench_work.pick p join bench_work.compliance x on x.n = p.n where p.seq = r.seq and p.kind = 5) c
         where r.seq % $6 = $7`;
      const values = [
        projectId,
        taskIds.current,
        taskIds.previous,
        JSON.stringify(skeleton),
        JSON.stringify(licenseSummary),
        reportSessions,
      ];
      // One session per core: each builds the reports of every other result.
      const cpu = await Promise.all(
        Array.from({ length: reportSessions }, async (_, part) => {
          const session = new pg.Client({ connectionString: url });
          await session.connect();
          try {
            const [own] = await query<{ pid: number }>(session, 'select pg_backend_pid() as pid');
            // lz4 rather than the default pglz: half the CPU time to store the reports.
            await session.query(`set default_toast_compression = lz4`);
            await session.query(insert, [...values, part]);
            return pidCpuSeconds(own?.pid ?? 0);
          } finally {
            await session.end();
          }
        }),
      );
      addCpu(cpu.reduce((sum, seconds) => sum + seconds, 0));
    });

    await step('reports packed as the service stores them (store/packed-report.ts)', async () => {
      // Built as JSON text above, where SQL is fast; compressed here, a page at a time.
      let after = '';
      for (;;) {
        const rows = await query<{ id: string; report: string }>(
          client,
          `select id, report from scan_result where id > $1 order by id limit 500`,
          [after],
        );
        const last = rows.at(-1);
        if (!last) break;
        after = last.id;
        await client.query(
          `update scan_result s set report = v.report from unnest($1::text[], $2::text[]) as v(id, report)
           where s.id = v.id`,
          [rows.map((row) => row.id), rows.map((row) => packReportJson(row.report))],
        );
      }
    });

    await step('image counts and levels from current results', async () => {
      // As results/current-results.ts writeImagesRisk does: the platforms' counts summed, the worst level.
      await client.query(
        `update repository_image i set risk_counts = a.counts, risk_level = a.level
         from (
           select s.image_id,
                  jsonb_build_object(
                    'vulnerability', jsonb_build_object(
                      'critical', sum((s.risk_counts -> 'vulnerability' ->> 'critical')::int),
                      'high', sum((s.risk_counts -> 'vulnerability' ->> 'high')::int),
                      'medium', sum((s.risk_counts -> 'vulnerability' ->> 'medium')::int),
                      'low', sum((s.risk_counts -> 'vulnerability' ->> 'low')::int),
                      'unknown', sum((s.risk_counts -> 'vulnerability' ->> 'unknown')::int)),
                    'secret', sum((s.risk_counts ->> 'secret')::int),
                    'malware', sum((s.risk_counts ->> 'malware')::int),
                    'baseline', sum((s.risk_counts ->> 'baseline')::int),
                    'compliance', sum((s.risk_counts ->> 'compliance')::int)) as counts,
                  (array['none', 'unknown', 'low', 'medium', 'high', 'critical'])
                    [1 + max(bench_work.severity_rank(s.risk_level))] as level
           from scan_result s join bench_work.result r on r.id = s.id
           where r.current
           group by s.image_id
         ) a
         where i.id = a.image_id`,
      );
    });

    const [counts] = await query<{
      vulnerability: number;
      secret: number;
      malware: number;
      baseline: number;
      compliance: number;
    }>(
      client,
      `select sum(nv)::int as vulnerability, sum(ns)::int as secret, sum(nm)::int as malware,
              sum(nb)::int as baseline, sum(nc)::int as compliance
       from bench_work.result where current`,
    );

    await step('vacuum analyze', async () => {
      for (const table of ['repository_image', 'scan_result', 'registry_connection', 'scan_task'])
        await client.query(`vacuum (analyze) ${table}`);
    });

    await client.query(`drop schema bench_work cascade`);
    return {
      projectId,
      connections: connections.length,
      images: size.images,
      currentResults: results.current,
      historyResults: results.history,
      findings: counts ?? { vulnerability: 0, secret: 0, malware: 0, baseline: 0, compliance: 0 },
      steps,
      nameFragment: firstWords[0] ?? 'payment',
    };
  } finally {
    await client.end();
  }
}
