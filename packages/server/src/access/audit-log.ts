import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { parseRequest } from '../service-error.ts';
import { toCsv, type ExportFormat, type ExportOutput } from '../results/export-rows.ts';
import { toJson } from '../store/json.ts';
import type { AuditEventTable, Database } from '../store/schema.ts';
import type { AuditActor, AuditChange } from './principal.ts';

/** One recorded change. */
export interface AuditEvent {
  readonly id: number;
  readonly at: Date;
  /** null for changes outside any project (users, projects themselves). */
  readonly projectId: string | null;
  readonly userId: string | null;
  readonly userName: string;
  readonly address: string;
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export const maxAuditPageSize = 500;
/** An export holds at most this many events (the newest); narrow the time range for more. */
export const maxAuditExportRows = 100_000;

/** The filters a caller may set; every one narrows (all absent = everything visible). */
export const auditFilterSchema = z.object({
  /** Inclusive. */
  from: z.coerce.date().optional(),
  /** Exclusive. */
  to: z.coerce.date().optional(),
  action: z.string().min(1).max(200).optional(),
  /** Any case. */
  userName: z.string().min(1).max(200).optional(),
  objectType: z.string().min(1).max(200).optional(),
  objectId: z.string().min(1).max(200).optional(),
});
export const auditPageSchema = auditFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(maxAuditPageSize).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type AuditFilter = z.input<typeof auditFilterSchema>;

/**
 * Which events the caller may see: those of its visible projects, or `'all'` (service admins),
 * which also covers the events outside any project.
 */
export type AuditScope = readonly string[] | 'all';

export interface AuditQuery extends AuditFilter {
  readonly projectIds: AuditScope;
  readonly limit?: number;
  readonly offset?: number;
}

export interface AuditPage {
  /** Newest first. */
  readonly events: readonly AuditEvent[];
  /** How many events match, over all pages. */
  readonly total: number;
}

/** Keys whose values are never stored, whatever a caller passes: credentials are never recorded. */
const secretKeys = new Set([
  'password',
  'passwd',
  'secret',
  'token',
  'credential',
  'credentials',
  'apikey',
  'privatekey',
  'accesstoken',
  'refreshtoken',
  'clientsecret',
]);

function redacted(key: string): boolean {
  return secretKeys.has(key.toLowerCase().replaceAll(/[-_]/g, ''));
}

function withoutSecrets(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [
      key,
      redacted(key) ? '[redacted]' : valueWithoutSecrets(value),
    ]),
  );
}

function valueWithoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(valueWithoutSecrets);
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  return withoutSecrets(value as Readonly<Record<string, unknown>>);
}

function toEvent(row: Selectable<AuditEventTable>): AuditEvent {
  return {
    id: Number(row.id),
    at: row.at,
    projectId: row.projectId,
    userId: row.userId,
    userName: row.userName,
    address: row.address,
    action: row.action,
    objectType: row.objectType,
    objectId: row.objectId,
    details: row.details,
  };
}

const csvHeader = [
  'at',
  'project_id',
  'user_id',
  'user_name',
  'address',
  'action',
  'object_type',
  'object_id',
  'details',
] as const;

/**
 * The audit log (PRODUCT.md section 6): every change with who made it, when, from which address,
 * and on what. Events are only ever added; reading is scoped to the caller's projects.
 */
export class AuditLog {
  private readonly db: Kysely<Database>;
  private readonly clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Records a change. Pass the transaction that makes the change as `db`, so the event commits
   * (or rolls back) with it. Values under secret-looking keys in `details` are redacted.
   */
  async record(actor: AuditActor, change: AuditChange, db: Kysely<Database> = this.db): Promise<AuditEvent> {
    const details = withoutSecrets(change.details ?? {});
    const row = await db
      .insertInto('auditEvent')
      .values({
        at: this.clock.now(),
        projectId: change.projectId,
        userId: actor.userId,
        userName: actor.userName,
        address: actor.address,
        action: change.action,
        objectType: change.objectType,
        objectId: change.objectId,
        details: toJson(details),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toEvent(row);
  }

  /** One page of matching events, newest first, with the total; bad filters are `invalid_request`. */
  async list(query: AuditQuery): Promise<AuditPage> {
    const { projectIds, ...input } = query;
    const page = parseRequest(auditPageSchema, input, 'audit log query');
    if (projectIds !== 'all' && projectIds.length === 0) return { events: [], total: 0 };
    const matching = this.#matching(projectIds, page);
    const [rows, count] = await Promise.all([
      matching
        .selectAll()
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      matching.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { events: rows.map(toEvent), total: Number(count.total) };
  }

  /**
   * The matching events as a file, newest first (at most `maxAuditExportRows`): CSV (RFC 4180,
   * `details` as JSON text, cells guarded against spreadsheet formulas) or a JSON document.
   */
  async exportRows(query: Omit<AuditQuery, 'limit' | 'offset'>, format: ExportFormat): Promise<ExportOutput> {
    const { projectIds, ...input } = query;
    const filter = parseRequest(auditFilterSchema, input, 'audit log query');
    const rows =
      projectIds !== 'all' && projectIds.length === 0
        ? []
        : await this.#matching(projectIds, filter)
            .selectAll()
            .orderBy('at', 'desc')
            .orderBy('id', 'desc')
            .limit(maxAuditExportRows)
            .execute();
    const events = rows.map(toEvent);
    if (format === 'json')
      return { content: `${JSON.stringify({ kind: 'audit', events }, null, 2)}\n`, rows: events.length };
    const records = events.map((event) => [
      event.at.toISOString(),
      event.projectId,
      event.userId,
      event.userName,
      event.address,
      event.action,
      event.objectType,
      event.objectId,
      JSON.stringify(event.details),
    ]);
    return { content: toCsv(csvHeader, records), rows: events.length };
  }

  #matching(projectIds: AuditScope, filter: z.output<typeof auditFilterSchema>) {
    let query = this.db.selectFrom('auditEvent');
    if (projectIds !== 'all') query = query.where('projectId', 'in', [...projectIds]);
    if (filter.from) query = query.where('at', '>=', filter.from);
    if (filter.to) query = query.where('at', '<', filter.to);
    if (filter.action) query = query.where('action', '=', filter.action);
    if (filter.objectType) query = query.where('objectType', '=', filter.objectType);
    if (filter.objectId) query = query.where('objectId', '=', filter.objectId);
    const userName = filter.userName?.toLowerCase();
    if (userName) query = query.where((eb) => eb(eb.fn('lower', ['userName']), '=', userName));
    return query;
  }
}
