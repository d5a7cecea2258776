import { sql, type Kysely } from 'kysely';

/**
 * Project webhooks (notifications/): each with its URL, the events it wants and its signing
 * secret sealed by the credential vault. A delivery is one event for one webhook: its body is
 * stored as the exact text that is signed, so a redelivery sends the same bytes. `event_key`
 * (e.g. the task id of `task.finished`) makes an event enqueued twice one delivery. Deliveries
 * start `queued` (written in the transaction of the change that caused them) until a round hands
 * them to the job queue; every attempt is one row of `webhook_attempt`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhook (
      id text primary key,
      project_id text not null references project(id) on delete cascade,
      url text not null,
      events jsonb not null,
      secret_sealed text not null,
      enabled boolean not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )
  `.execute(db);
  await sql`create index webhook_project on webhook (project_id)`.execute(db);
  await sql`
    create table webhook_delivery (
      id text primary key,
      webhook_id text not null references webhook(id) on delete cascade,
      project_id text not null references project(id) on delete cascade,
      event text not null,
      event_key text,
      body text not null,
      status text not null,
      attempts integer not null default 0,
      round_start integer not null default 0,
      response_code integer,
      error text,
      created_at timestamptz not null,
      last_attempt_at timestamptz,
      next_attempt_at timestamptz
    )
  `.execute(db);
  await sql`
    create unique index webhook_delivery_event on webhook_delivery (webhook_id, event_key)
    where event_key is not null
  `.execute(db);
  await sql`create index webhook_delivery_list on webhook_delivery (webhook_id, created_at desc, id)`.execute(
    db,
  );
  await sql`create index webhook_delivery_queued on webhook_delivery (created_at) where status = 'queued'`.execute(
    db,
  );
  await sql`
    create table webhook_attempt (
      delivery_id text not null references webhook_delivery(id) on delete cascade,
      attempt integer not null,
      started_at timestamptz not null,
      duration_ms integer not null,
      succeeded boolean not null,
      response_code integer,
      error text,
      next_attempt_at timestamptz,
      primary key (delivery_id, attempt)
    )
  `.execute(db);
}
