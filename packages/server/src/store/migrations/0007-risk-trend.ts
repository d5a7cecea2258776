import { sql, type Kysely } from 'kysely';

/**
 * The risk trend (results/risk-trend.ts): once a day per project, the finding index's distinct
 * findings and image-findings (the sum over findings of the live images holding each) per risk
 * kind and severity, zeros included, so a day with no findings is still a recorded day. `day` is
 * the UTC calendar day; a second snapshot on the same day overwrites the first. The trend only
 * exists from the first day the service recorded it: there is no history to rebuild it from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table risk_trend (
      project_id text not null references project(id) on delete cascade,
      day date not null,
      kind text not null,
      severity text not null,
      findings integer not null,
      image_findings bigint not null,
      recorded_at timestamptz not null,
      primary key (project_id, day, kind, severity)
    )
  `.execute(db);
}
