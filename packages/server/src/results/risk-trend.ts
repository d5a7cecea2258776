import { sql, type Kysely } from 'kysely';
import { riskTypes, type Database, type RiskType } from '../store/schema.ts';
import {
  findingCounts,
  findingSeverities,
  type FindingCount,
  type FindingSeverity,
} from './risk-overview.ts';

/**
 * The trend of findings over time (migration 0007): per UTC day and project, the finding index's
 * counts per risk kind and severity (results/risk-overview.ts), every kind × severity written,
 * zeros included. Recording again on the same day overwrites the day, so a day keeps its last
 * counts and concurrent recorders (several service processes) are harmless. The service's tick
 * records every project on a new day and hourly within it; reading the trend records today's.
 *
 * A day's point is therefore the index as it stood at the day's last recording (within the last
 * hour of the day while the service runs). Days the service did not run have no point, and
 * nothing before the first recorded day can be rebuilt: the trend starts when the service first
 * recorded it. Counting is an index-only GROUP BY per project (results/risk-overview.ts).
 */

const dayMs = 86_400_000;

/** `YYYY-MM-DD`: the UTC calendar day of `at`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The UTC day `days` before `day` (a `YYYY-MM-DD`). */
function daysBefore(day: string, days: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) - days * dayMs));
}

export interface TrendDay {
  /** `YYYY-MM-DD` (UTC). */
  readonly day: string;
  /** When the day's counts were taken. */
  readonly recordedAt: Date;
  /** Every risk kind × severity recorded that day, in `riskTypes` × `findingSeverities` order. */
  readonly counts: readonly FindingCount[];
}

export interface RiskTrend {
  /** The first day of the range asked for (UTC), `days - 1` days before `until`. */
  readonly since: string;
  /** Today (UTC). */
  readonly until: string;
  /** The project's first recorded day ever: the trend holds nothing earlier. */
  readonly firstRecordedDay: string | null;
  /** The recorded days of the range, oldest first; days the service did not record are absent. */
  readonly days: readonly TrendDay[];
}

/** Writes (or overwrites) today's counts of a project; a project deleted meanwhile gets none. */
export async function recordRiskTrend(db: Kysely<Database>, projectId: string, now: Date): Promise<void> {
  const counts = await findingCounts(db, projectId);
  await sql`
    insert into risk_trend (project_id, day, kind, severity, findings, image_findings, recorded_at)
    select ${projectId}, ${utcDay(now)}::date, c.kind, c.severity, c.findings, c.image_findings, ${now}
    from unnest(
      ${counts.map((count) => count.kind)}::text[],
      ${counts.map((count) => count.severity)}::text[],
      ${counts.map((count) => count.findings)}::int[],
      ${counts.map((count) => count.imageFindings)}::bigint[]
    ) as c(kind, severity, findings, image_findings)
    where exists (select 1 from project where id = ${projectId})
    on conflict (project_id, day, kind, severity) do update set
      findings = excluded.findings, image_findings = excluded.image_findings, recorded_at = excluded.recorded_at
  `.execute(db);
}

/** Records (or refreshes) today's counts of every project; returns how many it recorded. */
export async function recordRiskTrends(db: Kysely<Database>, now: Date): Promise<number> {
  const projects = await db.selectFrom('project').select('id').orderBy('id').execute();
  for (const { id } of projects) await recordRiskTrend(db, id, now);
  return projects.length;
}

/**
 * When the service's tick records the projects' counts: at its first round, at once on a new UTC
 * day, and every `refreshMs` within a day, so each day's point ends up close to how the day ended
 * even when nobody reads the trend. Holds only the time of the last recording.
 */
export class RiskTrendRecorder {
  #recordedAt = Number.NEGATIVE_INFINITY;

  private readonly refreshMs: number;

  constructor(refreshMs = 60 * 60_000) {
    this.refreshMs = refreshMs;
  }

  async runDue(db: Kysely<Database>, now: Date): Promise<number> {
    const last = this.#recordedAt;
    const sameDay = Number.isFinite(last) && utcDay(new Date(last)) === utcDay(now);
    if (sameDay && now.getTime() - last < this.refreshMs) return 0;
    const recorded = await recordRiskTrends(db, now);
    this.#recordedAt = now.getTime();
    return recorded;
  }
}

/** Allowed trend ranges, in days. */
export const maxTrendDays = 366;

/**
 * The project's recorded days among the last `days` (today included). Today's counts are taken
 * (and recorded) on every read, so today's point agrees with the findings overview; a fresh
 * install shows that one point.
 */
export async function riskTrend(
  db: Kysely<Database>,
  projectId: string,
  options: { readonly days: number; readonly now: Date },
): Promise<RiskTrend> {
  const until = utcDay(options.now);
  const since = daysBefore(until, Math.min(Math.max(options.days, 1), maxTrendDays) - 1);
  await recordRiskTrend(db, projectId, options.now);
  const [rows, first] = await Promise.all([
    sql<{
      day: string;
      kind: RiskType;
      severity: FindingSeverity;
      findings: number;
      imageFindings: number;
      recordedAt: Date;
    }>`
      select to_char(day, 'YYYY-MM-DD') as day, kind, severity, findings, image_findings, recorded_at
      from risk_trend
      where project_id = ${projectId} and day between ${since}::date and ${until}::date
      order by day
    `.execute(db),
    sql<{ day: string | null }>`
      select to_char(min(day), 'YYYY-MM-DD') as day from risk_trend where project_id = ${projectId}
    `.execute(db),
  ]);
  const days = new Map<string, { recordedAt: Date; counts: FindingCount[] }>();
  for (const row of rows.rows) {
    const entry = days.get(row.day) ?? { recordedAt: row.recordedAt, counts: [] };
    days.set(row.day, entry);
    if (row.recordedAt > entry.recordedAt) entry.recordedAt = row.recordedAt;
    entry.counts.push({
      kind: row.kind,
      severity: row.severity,
      findings: row.findings,
      imageFindings: Number(row.imageFindings),
    });
  }
  const order = (count: FindingCount) =>
    riskTypes.indexOf(count.kind) * findingSeverities.length + findingSeverities.indexOf(count.severity);
  return {
    since,
    until,
    firstRecordedDay: first.rows[0]?.day ?? null,
    days: [...days].map(([day, entry]) => ({
      day,
      recordedAt: entry.recordedAt,
      counts: entry.counts.sort((a, b) => order(a) - order(b)),
    })),
  };
}
