import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import { getImage, type RepositoryImage } from '../inventory/image-list.ts';
import type { Database } from '../store/schema.ts';
import { currentResults, imageResults, recountImages, type StoredResult } from './current-results.ts';
import type { RiskViewKind } from './finding-keys.ts';
import { affectedImages, riskGroups, type RiskGroupFilter } from './risk-groups.ts';
import {
  createExportJob,
  getExportJob,
  listExportJobs,
  orphanedExportJobs,
  runExportJob,
  type ExportJobListQuery,
  type ExportRequest,
} from './export-job.ts';
import {
  getProjectScanSettings,
  updateProjectScanSettings,
  type ProjectScanSettingsChange,
} from './project-scan-settings.ts';
import {
  ignoreSecret,
  listSecretIgnores,
  unignoreSecret,
  type SecretIgnoreInput,
} from './secret-handling.ts';
import { handlingHistory, recordHandling, type HandlingInput } from './vulnerability-handling.ts';

export interface RiskPage {
  readonly filter: RiskGroupFilter;
  readonly offset: number;
  readonly limit: number;
  /** Affected images listed with each finding of a risk view page. */
  readonly samples?: number;
}

/**
 * Results as users work with them (PRODUCT.md 4.1): reports and risk views, handling of
 * vulnerabilities and secrets (the stored counts follow each change), the project's own scan
 * settings, and exports run as background jobs. The HTTP API is a thin front on this.
 */
export class ResultService {
  readonly #exports = new Set<Promise<unknown>>();

  private readonly db: Kysely<Database>;
  private readonly clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock) {
    this.db = db;
    this.clock = clock;
  }

  /** An image's current report: every scanned platform's, handling attached (large: reports are read whole). */
  image(projectId: string, imageId: string) {
    return imageResults(this.db, projectId, imageId, this.clock.now());
  }

  /**
   * An image as the list shows it and the current result of each scanned platform, without the
   * reports: cheap enough for a page that only shows status and counts.
   */
  async imageOverview(
    projectId: string,
    imageId: string,
  ): Promise<{ readonly image: RepositoryImage; readonly platforms: readonly StoredResult[] }> {
    const image = await getImage(this.db, projectId, imageId);
    const platforms = await currentResults(this.db, { projectId, imageIds: [imageId], includeDeleted: true });
    return { image, platforms };
  }

  /** A page of one risk view: each finding once, with how many images it affects and a few of them. */
  riskGroups<K extends RiskViewKind>(projectId: string, kind: K, page: RiskPage) {
    return riskGroups(this.db, { projectId, kind, ...page, now: this.clock.now() });
  }

  /** A page of the images one finding of a risk view affects. */
  affectedImages(projectId: string, kind: RiskViewKind, key: string, page: RiskPage) {
    const { filter, offset, limit } = page;
    return affectedImages(this.db, {
      projectId,
      kind,
      key,
      offset,
      limit,
      ...(filter.handling ? { handling: filter.handling } : {}),
      ...(filter.imageIds ? { imageIds: filter.imageIds } : {}),
      now: this.clock.now(),
    });
  }

  /** Records a handling event and recounts the images whose current results hold the advisory. */
  async handleVulnerability(input: HandlingInput) {
    const now = this.clock.now();
    const entry = await recordHandling(this.db, input, now);
    await recountImages(this.db, { projectId: input.projectId, advisoryId: input.advisoryId, now });
    return entry;
  }

  vulnerabilityHistory(projectId: string, advisoryId: string) {
    return handlingHistory(this.db, projectId, advisoryId);
  }

  async ignoreSecret(input: SecretIgnoreInput) {
    const now = this.clock.now();
    const ignore = await ignoreSecret(this.db, input, now);
    await recountImages(this.db, {
      projectId: input.projectId,
      ...(ignore.imageId ? { imageIds: [ignore.imageId] } : {}),
      now,
    });
    return ignore;
  }

  async unignoreSecret(projectId: string, ignoreId: string) {
    const now = this.clock.now();
    const ignore = await unignoreSecret(this.db, projectId, ignoreId, now);
    await recountImages(this.db, {
      projectId,
      ...(ignore.imageId ? { imageIds: [ignore.imageId] } : {}),
      now,
    });
    return ignore;
  }

  secretIgnores(
    projectId: string,
    options: { readonly includeRemoved?: boolean; readonly imageId?: string } = {},
  ) {
    return listSecretIgnores(this.db, projectId, options);
  }

  settings(projectId: string) {
    return getProjectScanSettings(this.db, projectId);
  }

  async updateSettings(projectId: string, change: ProjectScanSettingsChange) {
    const settings = await updateProjectScanSettings(this.db, projectId, change, this.clock.now());
    // The secret path allowlist changes what counts as a finding on stored results at once.
    if (change.secretPathAllowlist) await recountImages(this.db, { projectId, now: this.clock.now() });
    return settings;
  }

  /** Queues an export and runs it in the background; poll `exportJob` for its state and content. */
  async startExport(request: ExportRequest): Promise<string> {
    const id = await createExportJob(this.db, request, this.clock.now());
    this.#runInBackground(id);
    return id;
  }

  /**
   * Runs the exports whose process died before finishing them (see orphanedExportJobs); `leaseMs`
   * 0 takes over every running one, for a process that owns its database alone.
   */
  async resumeExports(leaseMs?: number): Promise<number> {
    const ids = await orphanedExportJobs(this.db, this.clock.now(), leaseMs);
    for (const id of ids) this.#runInBackground(id);
    return ids.length;
  }

  #runInBackground(id: string): void {
    // A `conflict` means another run claimed the job first: nothing to do.
    const running = runExportJob(this.db, id, this.clock).catch(() => undefined);
    this.#exports.add(running);
    void running.finally(() => this.#exports.delete(running));
  }

  exportJob(projectId: string, id: string) {
    return getExportJob(this.db, projectId, id);
  }

  /** The project's export jobs, newest first, without their files. */
  exportJobs(projectId: string, query?: ExportJobListQuery) {
    return listExportJobs(this.db, projectId, query);
  }

  /** Waits for exports started by this process (before the database closes). */
  async settle(): Promise<void> {
    await Promise.all([...this.#exports]);
  }
}
