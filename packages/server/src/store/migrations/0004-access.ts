import { sql, type Kysely } from 'kysely';

/**
 * Identity and access (PRODUCT.md section 6): local users, console sessions, API tokens, custom
 * roles, the role each user holds per project, and the audit log. Sessions and tokens are stored
 * by the SHA-256 of their secret only, so a copy of the database logs nobody in. Audit events keep
 * no foreign keys: they outlive the users and projects they mention.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One statement per round trip: the extended protocol (pg and PGlite alike) takes one at a time.
  for (const statement of schema.split(/;\s*\n/).filter((text) => text.trim() !== '')) {
    await sql.raw(statement).execute(db);
  }
}

const schema = `
    create table app_user (
      id text primary key,
      name text not null,
      display_name text not null default '',
      password_hash text not null,
      service_admin boolean not null default false,
      disabled boolean not null default false,
      created_at timestamptz not null,
      password_changed_at timestamptz not null,
      failed_logins integer not null default 0,
      locked_until timestamptz
    );
    create unique index app_user_name on app_user (lower(name));
    create index app_user_service_admin on app_user (service_admin) where service_admin;
    create table user_session (
      id text primary key,
      user_id text not null references app_user(id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      last_seen_at timestamptz not null
    );
    create index user_session_user on user_session (user_id);
    create index user_session_expires on user_session (expires_at);
    create table api_token (
      id text primary key,
      user_id text not null references app_user(id) on delete cascade,
      name text not null,
      secret_hash text not null unique,
      permissions jsonb,
      project_id text references project(id) on delete cascade,
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz,
      created_at timestamptz not null
    );
    create index api_token_user on api_token (user_id, created_at);
    create table custom_role (
      id text primary key,
      project_id text not null references project(id) on delete cascade,
      name text not null,
      permissions jsonb not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create unique index custom_role_name on custom_role (project_id, lower(name));
    create table role_binding (
      project_id text not null references project(id) on delete cascade,
      user_id text not null references app_user(id) on delete cascade,
      role text not null,
      created_at timestamptz not null,
      primary key (project_id, user_id)
    );
    create index role_binding_user on role_binding (user_id);
    create index role_binding_role on role_binding (project_id, role);
    create table audit_event (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      project_id text,
      user_id text,
      user_name text not null,
      address text not null,
      action text not null,
      object_type text not null,
      object_id text not null,
      details jsonb not null default '{}'
    );
    create index audit_event_at on audit_event (at desc, id desc);
    create index audit_event_project on audit_event (project_id, at desc, id desc);
    create index audit_event_object on audit_event (object_type, object_id)
`;
