import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Meter } from '../metering/meter.ts';
import { notFound, ServiceError } from '../service-error.ts';
import type { CiScanTable } from '../store/schema-ci.ts';
import type { Database, RiskCounts, RiskLevel } from '../store/schema.ts';
import { toJson } from '../store/json.ts';
import { summarizeUpload, type UploadedReport } from './ci-report-upload.ts';
import { containsPattern } from '../store/like-pattern.ts';

/** An uploaded CI scan as listed: everything but the report. */
export interface CiScan {
  readonly id: string;
  readonly projectId: string;
  readonly reference: string;
  /** null for a local source the CLI found no digest for. */
  readonly digest: string | null;
  readonly platforms: readonly string[];
  readonly riskCounts: RiskCounts;
  readonly riskLevel: RiskLevel;
  readonly uploadedBy: string;
  readonly createdAt: Date;
}

/** One CI scan with its stored report. */
export interface CiScanWithReport extends CiScan {
  readonly report: unknown;
}

export interface CiScanUpload {
  readonly report: UploadedReport;
  readonly uploadedBy: string;
  /** The client's `Idempotency-Key`: the same key in the same project answers the first upload. */
  readonly idempotencyKey?: string;
}

export interface CiScanQuery {
  /** Substring of the reference, case-insensitive. */
  readonly reference?: string;
  readonly offset: number;
  readonly limit: number;
}

export interface CiScanPage {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly ciScans: readonly CiScan[];
}

const listColumns = [
  'id',
  'projectId',
  'reference',
  'digest',
  'platforms',
  'riskCounts',
  'riskLevel',
  'uploadedBy',
  'createdAt',
] as const;

type ListedRow = Pick<Selectable<CiScanTable>, (typeof listColumns)[number]>;

function scanOf(row: ListedRow): CiScan {
  return {
    id: row.id,
    projectId: row.projectId,
    reference: row.reference,
    digest: row.digest,
    platforms: row.platforms,
    riskCounts: row.riskCounts,
    riskLevel: row.riskLevel,
    uploadedBy: row.uploadedBy,
    createdAt: row.createdAt,
  };
}

/**
 * CI scans (`drydock image --server`): the CLI scans in the pipeline and uploads its JSON report;
 * the service stores it with its risk summary and bills it as a CI scan, one unit per scanned
 * platform (PRODUCT.md section 7), keyed `ci:<id>:<platform>` so a unit is never billed twice.
 * Stateless over the database: the API builds one per request.
 */
export class CiScans {
  private readonly db: Kysely<Database>;
  private readonly meter: Meter;
  private readonly clock: Clock;

  constructor(db: Kysely<Database>, meter: Meter, clock: Clock) {
    this.db = db;
    this.meter = meter;
    this.clock = clock;
  }

  /**
   * Stores and bills an upload. With an idempotency key already used in the project, nothing is
   * stored or billed and the first upload is returned (`replayed`); the same key with another
   * image is `conflict`, since it is a client's mistake that would otherwise hide a scan.
   */
  async upload(
    projectId: string,
    upload: CiScanUpload,
  ): Promise<{ readonly scan: CiScan; readonly replayed: boolean }> {
    const summary = summarizeUpload(upload.report);
    const key = upload.idempotencyKey;
    return this.db.transaction().execute(async (trx) => {
      if (key !== undefined) {
        // Two concurrent retries of one upload: the second waits and then finds the first.
        await sql`select pg_advisory_xact_lock(hashtext(${`ci-upload:${projectId}:${key}`}))`.execute(trx);
        const first = await trx
          .selectFrom('ciScan')
          .select(listColumns)
          .where('projectId', '=', projectId)
          .where('idempotencyKey', '=', key)
          .executeTakeFirst();
        if (first) {
          if (first.reference !== summary.reference || first.digest !== summary.digest)
            throw new ServiceError(
              'conflict',
              'this Idempotency-Key was used for an upload of another image; send a new key',
              { what: 'ci scan', id: first.id },
            );
          return { scan: scanOf(first), replayed: true };
        }
      }
      const id = randomUUID();
      const now = this.clock.now();
      const row = await trx
        .insertInto('ciScan')
        .values({
          id,
          projectId,
          reference: summary.reference,
          digest: summary.digest,
          platforms: toJson(summary.platforms),
          report: toJson<unknown>(summary.report),
          riskCounts: toJson(summary.riskCounts),
          riskLevel: summary.riskLevel,
          uploadedBy: upload.uploadedBy,
          idempotencyKey: key ?? null,
          createdAt: now,
        })
        .returning(listColumns)
        .executeTakeFirstOrThrow();
      for (const platform of new Set(summary.platforms))
        await this.meter.bill(trx, {
          key: `ci:${id}:${platform}`,
          projectId,
          source: 'ci',
          taskId: null,
          imageId: null,
          platform,
          at: now,
        });
      return { scan: scanOf(row), replayed: false };
    });
  }

  /** The project's uploads, newest first. */
  async list(projectId: string, query: CiScanQuery): Promise<CiScanPage> {
    let filtered = this.db.selectFrom('ciScan').where('projectId', '=', projectId);
    if (query.reference !== undefined && query.reference !== '')
      filtered = filtered.where('reference', 'ilike', containsPattern(query.reference));
    const [counted, rows] = await Promise.all([
      filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      filtered
        .select(listColumns)
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .offset(query.offset)
        .limit(query.limit)
        .execute(),
    ]);
    return {
      total: Number(counted.n),
      offset: query.offset,
      limit: query.limit,
      ciScans: rows.map(scanOf),
    };
  }

  /** One upload with its report; `not_found` for an id of another project. */
  async get(projectId: string, id: string): Promise<CiScanWithReport> {
    const row = await this.db
      .selectFrom('ciScan')
      .select([...listColumns, 'report'])
      .where('projectId', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('ci scan', id);
    return { ...scanOf(row), report: row.report };
  }
}
