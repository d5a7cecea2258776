import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Job } from 'pg-boss';
import {
  formatPlatform,
  isDrydockError,
  RegistryImageSource,
  scanSource,
  toDrydockError,
  type RegistryCredentials,
  type ScanReport,
} from '@drydock/engine';
import type { Clock } from '../clock.ts';
import type { Meter } from '../metering/meter.ts';
import type { HarborScanJobData, JobQueue } from '../queue/job-queue.ts';
import type { CredentialVault } from '../registries/credential-vault.ts';
import { connectionUrl, registryClientOptions } from '../registries/listing/connection-config.ts';
import { toJson } from '../store/json.ts';
import type { HarborScanTable } from '../store/schema-harbor.ts';
import type { Database } from '../store/schema.ts';
import { transientFailureCodes } from '../worker/transient-failures.ts';
import type { VulnerabilityDatabaseSlot } from '../worker/vulnerability-database-slot.ts';
import { HarborAdapterError } from './harbor-adapter-error.ts';
import type { HarborArtifact } from './harbor-report.ts';
import type { ScanRequest } from './harbor-spec.ts';

export type HarborScan = Selectable<HarborScanTable>;

export interface HarborScanSettings {
  /** Attempts after the first for transient failures (the queue's retryLimit). */
  readonly retryLimit: number;
  /** Longest scan of one artifact; it then fails `timed_out`. */
  readonly scanTimeoutMs: number;
}

/**
 * The registry `Authorization` value of a scan request as engine credentials: HTTP Basic (Harbor's
 * robot account, which the engine exchanges for a pull token) or a bearer token; none = anonymous.
 * Throws `invalid_field` for anything else. The value is a secret: never part of a message.
 */
export function credentialsOf(authorization: string | undefined): RegistryCredentials {
  const value = authorization?.trim() ?? '';
  if (value === '') return { kind: 'anonymous' };
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(value);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0)
      return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(value);
  if (bearer?.[1]) return { kind: 'bearer', token: bearer[1] };
  throw new HarborAdapterError(
    'invalid_field',
    'registry.authorization must be "Basic <base64 of user:password>" or "Bearer <token>"',
  );
}

/** `registry.url` checked (http or https, nothing but scheme, host and port matter). */
function registryUrlOf(url: string): URL {
  try {
    return connectionUrl({ url });
  } catch {
    throw new HarborAdapterError(
      'invalid_field',
      'registry.url must be an http or https URL without credentials',
    );
  }
}

/** The artifact block of the scan's reports, as the request named it. */
export function artifactOf(scan: HarborScan): HarborArtifact {
  return {
    repository: scan.repository,
    digest: scan.digest,
    ...(scan.tag === null ? {} : { tag: scan.tag }),
    ...(scan.mimeType === null ? {} : { mime_type: scan.mimeType }),
  };
}

/**
 * Scans Harbor asks for through the pluggable scanner adapter: a request is stored with its
 * registry authorization sealed and a job on the `scan-adapter` queue in one transaction; a worker
 * pulls the artifact with that authorization, matches it against the service's vulnerability
 * database, stores the report, bills one CI scan (keyed by the request, so a retried or duplicated
 * job bills once) and deletes the authorization. A failed scan deletes it too.
 */
export class HarborScans {
  private readonly db: Kysely<Database>;
  private readonly vault: CredentialVault;
  private readonly queue: JobQueue;
  private readonly meter: Meter;
  private readonly databases: VulnerabilityDatabaseSlot;
  private readonly clock: Clock;
  private readonly settings: HarborScanSettings;

  constructor(
    db: Kysely<Database>,
    vault: CredentialVault,
    queue: JobQueue,
    meter: Meter,
    databases: VulnerabilityDatabaseSlot,
    clock: Clock,
    settings: HarborScanSettings = { retryLimit: 2, scanTimeoutMs: 30 * 60_000 },
  ) {
    this.db = db;
    this.vault = vault;
    this.queue = queue;
    this.meter = meter;
    this.databases = databases;
    this.clock = clock;
    this.settings = settings;
  }

  /** Accepts a scan request for `projectId`; returns its id. Throws `invalid_field` for an unusable request. */
  async accept(projectId: string, requestedBy: string, request: ScanRequest): Promise<string> {
    registryUrlOf(request.registry.url);
    const authorization = request.registry.authorization?.trim() ?? '';
    credentialsOf(authorization);
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('harborScan')
        .values({
          id,
          projectId,
          requestedBy,
          registryUrl: request.registry.url,
          repository: request.artifact.repository,
          digest: request.artifact.digest,
          tag: request.artifact.tag ?? null,
          mimeType: request.artifact.mime_type ?? null,
          authorizationSealed: authorization === '' ? null : this.vault.seal(authorization, id),
          status: 'queued',
          createdAt: this.clock.now(),
        })
        .execute();
      const jobId = await this.queue.sendHarborScan(trx, { scanId: id });
      await trx.updateTable('harborScan').set({ jobId }).where('id', '=', id).execute();
    });
    return id;
  }

  /** The scan request `id` of `projectId`; undefined when there is none (or it is another project's). */
  async find(projectId: string, id: string): Promise<HarborScan | undefined> {
    return this.db
      .selectFrom('harborScan')
      .selectAll()
      .where('id', '=', id)
      .where('projectId', '=', projectId)
      .executeTakeFirst();
  }

  /** The worker side: runs one scan job (at least once; its effects happen once). */
  async handle(job: Job<HarborScanJobData>): Promise<void> {
    const scan = await this.db
      .selectFrom('harborScan')
      .selectAll()
      .where('id', '=', job.data.scanId)
      .executeTakeFirst();
    if (!scan || scan.status === 'succeeded' || scan.status === 'failed') return;
    await this.db
      .updateTable('harborScan')
      .set({ status: 'running', startedAt: this.clock.now(), jobId: job.id })
      .where('id', '=', scan.id)
      .where('status', 'in', ['queued', 'running'])
      .execute();
    let report: ScanReport;
    try {
      report = await this.#scan(scan);
    } catch (error) {
      if (error instanceof HarborAdapterError) {
        await this.#fail(scan.id, error.code, error.message);
        return;
      }
      const failure = toDrydockError(error);
      if (transientFailureCodes.has(failure.code) && job.retryCount < this.settings.retryLimit) throw failure;
      await this.#fail(scan.id, failure.code, failure.message);
      return;
    }
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const stored = await trx
        .updateTable('harborScan')
        .set({
          status: 'succeeded',
          report: toJson<unknown>(report),
          authorizationSealed: null,
          finishedAt: now,
        })
        .where('id', '=', scan.id)
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirst();
      if (stored.numUpdatedRows === 0n) return;
      const image = report.images[0];
      await this.meter.bill(trx, {
        key: `harbor:${scan.id}`,
        projectId: scan.projectId,
        source: 'ci',
        taskId: null,
        imageId: null,
        platform: image ? formatPlatform(image.platform) : '',
        at: now,
      });
    });
  }

  async #scan(scan: HarborScan): Promise<ScanReport> {
    const lease = this.databases.lease();
    if (!lease)
      throw new HarborAdapterError('scan_failed', 'the service has no vulnerability database to scan with');
    const url = registryUrlOf(scan.registryUrl);
    const credentials = credentialsOf(
      scan.authorizationSealed === null ? undefined : this.vault.open(scan.authorizationSealed, scan.id),
    );
    const source = new RegistryImageSource(
      `${url.host}/${scan.repository}@${scan.digest}`,
      registryClientOptions({ url: url.href, credentials }),
    );
    try {
      return await scanSource(source, {
        signal: AbortSignal.timeout(this.settings.scanTimeoutMs),
        vulnerabilityDatabase: lease.database,
      });
    } catch (error) {
      if (error instanceof HarborAdapterError || isDrydockError(error)) throw error;
      throw toDrydockError(error);
    } finally {
      lease.release();
      await source.close();
    }
  }

  async #fail(id: string, code: string, message: string): Promise<void> {
    await this.db
      .updateTable('harborScan')
      .set({
        status: 'failed',
        failureCode: code,
        failureMessage: message,
        authorizationSealed: null,
        finishedAt: this.clock.now(),
      })
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running'])
      .execute();
  }
}
