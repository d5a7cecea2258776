import { sql, type Kysely } from 'kysely';

/** The first schema: projects, connections, the image inventory, tasks, results, metering, policies. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One statement per round trip: the extended protocol (pg and PGlite alike) takes one at a time.
  for (const statement of schema.split(/;\s*\n/).filter((text) => text.trim() !== '')) {
    await sql.raw(statement).execute(db);
  }
}

const schema = `
    create table project (
      id text primary key,
      name text not null unique,
      time_zone text not null default 'UTC',
      created_at timestamptz not null
    );
    create table registry_connection (
      id text primary key,
      project_id text not null references project(id) on delete cascade,
      name text not null,
      type text not null check (type in ('harbor', 'jfrog', 'registry', 'dockerhub')),
      url text not null,
      credentials_sealed text,
      ca_pem text,
      skip_tls_verify boolean not null default false,
      include jsonb not null default '[]',
      exclude jsonb not null default '[]',
      namespaces jsonb not null default '[]',
      credential_expires_at timestamptz,
      max_concurrent_pulls integer not null default 4,
      status text not null default 'unknown',
      status_reason text,
      status_message text,
      checked_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (project_id, name)
    );
    create table repository_image (
      id text primary key,
      project_id text not null references project(id) on delete cascade,
      connection_id text not null references registry_connection(id) on delete cascade,
      namespace text not null,
      repository text not null,
      tag text not null,
      pull_registry text not null,
      pull_repository text not null,
      digest text not null,
      media_type text not null,
      size bigint not null,
      platforms jsonb not null default '[]',
      pushed_at timestamptz,
      synced_at timestamptz not null,
      deleted_at timestamptz,
      scan_status text not null default 'not_scanned',
      failure_code text,
      failure_message text,
      last_scan_at timestamptz,
      risk_counts jsonb,
      risk_level text,
      created_at timestamptz not null,
      unique (connection_id, namespace, repository, tag)
    );
    create index repository_image_project on repository_image (project_id, deleted_at);
    create table sync_task (
      id text primary key,
      project_id text not null references project(id) on delete cascade,
      trigger text not null,
      status text not null,
      connection_ids jsonb not null,
      counts jsonb not null,
      errors jsonb not null,
      started_at timestamptz not null,
      finished_at timestamptz
    );
    create table scan_task (
      id text primary key,
      project_id text not null references project(id) on delete cascade,
      name text not null,
      type text not null,
      scope jsonb not null,
      risk_types jsonb not null,
      speed_limit integer not null,
      creator text not null,
      status text not null,
      policy_run_key text unique,
      "window" jsonb,
      estimate_id text,
      created_at timestamptz not null,
      finished_at timestamptz
    );
    create index scan_task_project on scan_task (project_id, created_at);
    create table scan_task_image (
      task_id text not null references scan_task(id) on delete cascade,
      image_id text not null references repository_image(id) on delete cascade,
      platform text not null,
      connection_id text not null,
      status text not null,
      failure_code text,
      failure_message text,
      job_id text,
      not_before timestamptz,
      attempts integer not null default 0,
      dispatched_at timestamptz,
      started_at timestamptz,
      finished_at timestamptz,
      result_id text,
      risky boolean not null default false,
      primary key (task_id, image_id, platform)
    );
    create index scan_task_image_status on scan_task_image (status, connection_id);
    create table scan_result (
      id text primary key,
      project_id text not null references project(id) on delete cascade,
      image_id text not null references repository_image(id) on delete cascade,
      task_id text,
      digest text not null,
      platform text not null,
      report jsonb not null,
      risk_types jsonb not null,
      risk_counts jsonb not null,
      risk_level text not null,
      matched_at timestamptz not null,
      database_built_at text,
      created_at timestamptz not null
    );
    create index scan_result_image on scan_result (image_id, platform, created_at);
    create table estimate (
      id text primary key,
      project_id text not null references project(id) on delete cascade,
      scope jsonb not null,
      images integer not null,
      units integer not null,
      amount_micros bigint not null,
      currency text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_by_task_id text
    );
    create table billing_event (
      key text primary key,
      project_id text not null references project(id) on delete cascade,
      source text not null,
      task_id text,
      image_id text,
      platform text not null,
      month text not null,
      free boolean not null,
      price_micros bigint not null,
      currency text not null,
      billed_at timestamptz not null
    );
    create index billing_event_month on billing_event (project_id, month);
    create table rate_bucket (
      task_id text not null,
      connection_id text not null,
      next_allowed_at timestamptz not null,
      primary key (task_id, connection_id)
    );
    create table registry_pause (
      connection_id text primary key,
      paused_until timestamptz not null,
      reason text not null
    );
    create table scan_policy (
      project_id text primary key references project(id) on delete cascade,
      enabled boolean not null,
      period_days integer not null,
      window_start text not null,
      window_end text not null,
      risk_types jsonb not null,
      speed_limit integer not null,
      updated_within_days integer not null,
      connection_ids jsonb not null,
      last_run_at timestamptz,
      updated_at timestamptz not null
    );
    create table service_state (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null
    );
    create table vulnerability_handling (
      id text primary key,
      project_id text not null references project(id) on delete cascade,
      advisory_id text not null,
      package_name text,
      action text not null,
      scope jsonb not null,
      reason text not null,
      user_name text not null,
      at timestamptz not null,
      expires_at timestamptz
    );
    create index vulnerability_handling_advisory on vulnerability_handling (project_id, advisory_id);
    create table secret_ignore (
      id text primary key,
      project_id text not null references project(id) on delete cascade,
      image_id text,
      rule_id text not null,
      path text not null,
      reason text not null,
      user_name text not null,
      at timestamptz not null,
      removed_at timestamptz
    );
    create table project_scan_settings (
      project_id text primary key references project(id) on delete cascade,
      weak_passwords jsonb not null,
      secret_path_allowlist jsonb not null,
      compliance_policy jsonb,
      updated_at timestamptz not null
    );
    create table export_job (
      id text primary key,
      project_id text not null references project(id) on delete cascade,
      kind text not null,
      format text not null,
      filter jsonb not null,
      status text not null,
      rows integer not null,
      content text,
      error text,
      created_at timestamptz not null,
      finished_at timestamptz
    );
    create table rematch_change (
      id text primary key,
      project_id text not null references project(id) on delete cascade,
      image_id text not null references repository_image(id) on delete cascade,
      result_id text not null,
      database_built_at text not null,
      added jsonb not null,
      fixed jsonb not null,
      withdrawn jsonb not null,
      at timestamptz not null
    );
`;
