import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely } from 'kysely';
import {
  MatchMemo,
  rematchReport,
  type ImageReport,
  type VulnerabilityDatabase,
  type VulnerabilityDatabaseFile,
  type VulnerabilityFinding,
} from '@drydock/engine';
import { enqueueNewCriticalFindings } from '../notifications/webhook-events.ts';
import { toJson } from '../store/json.ts';
import { packReport } from '../store/packed-report.ts';
import type { Database, FindingChange, RematchChangeTable } from '../store/schema.ts';
import { indexResults } from './finding-index.ts';
import {
  currentResults,
  effectiveRisk,
  imageSummaries,
  loadHandlingView,
  withReports,
  writeImagesRisk,
  type HandlingView,
  type ImageSummary,
  type StoredResult,
} from './current-results.ts';

/**
 * Re-checking without re-pulling (PRODUCT.md 4.2): after the vulnerability data changes, every
 * current result that scanned vulnerabilities is matched again from its stored inventory, the
 * report and counts are updated in place, and what changed is recorded per result.
 */

/**
 * The database to match against. The file reader (`openVulnerabilityDatabase`) can also look an
 * advisory up by id, withdrawn or not, which tells a withdrawn advisory from a fixed finding;
 * without `recordById` an advisory counts as withdrawn only when it is gone from the database.
 */
export type RematchDatabase = VulnerabilityDatabase & Partial<Pick<VulnerabilityDatabaseFile, 'recordById'>>;

export interface RematchOptions {
  /** Undefined = every project. */
  readonly projectId?: string;
  /** The time written as `matchedAt` and on the change rows; handling is evaluated at it. */
  readonly now: Date;
}

export interface RematchSummary {
  /** Images whose current results were matched again. */
  readonly images: number;
  /** Images with at least one added, fixed or withdrawn finding. */
  readonly changed: number;
}

/** What one re-match changed. `fixed`: the advisory still exists but no longer matches. */
export interface FindingDiff {
  readonly added: readonly FindingChange[];
  readonly fixed: readonly FindingChange[];
  readonly withdrawn: readonly FindingChange[];
}

function changeOf(finding: VulnerabilityFinding): FindingChange {
  return { advisoryId: finding.id, packageName: finding.package.name, version: finding.installedVersion };
}

function keyOf(change: FindingChange): string {
  return `${change.advisoryId}\u0000${change.packageName}\u0000${change.version}`;
}

function byKey(findings: readonly VulnerabilityFinding[]): Map<string, FindingChange> {
  // The same package version at two paths is one finding for the diff.
  return new Map(findings.map((finding) => [keyOf(changeOf(finding)), changeOf(finding)]));
}

/**
 * Diffs findings by (advisory id, package name, installed version). A finding that disappeared is
 * `withdrawn` when `advisoryGone` says its advisory was withdrawn or removed, else `fixed`.
 */
export function diffFindings(
  before: readonly VulnerabilityFinding[],
  after: readonly VulnerabilityFinding[],
  advisoryGone: (advisoryId: string) => boolean,
): FindingDiff {
  const old = byKey(before);
  const current = byKey(after);
  const added = [...current].filter(([key]) => !old.has(key)).map(([, change]) => change);
  const fixed: FindingChange[] = [];
  const withdrawn: FindingChange[] = [];
  for (const [key, change] of old) {
    if (current.has(key)) continue;
    if (advisoryGone(change.advisoryId)) withdrawn.push(change);
    else fixed.push(change);
  }
  return { added, fixed, withdrawn };
}

/** Whether an advisory is withdrawn or absent, asked once per id. */
function advisoryGoneIn(database: RematchDatabase): (advisoryId: string) => boolean {
  const known = new Map<string, boolean>();
  return (advisoryId) => {
    let gone = known.get(advisoryId);
    if (gone === undefined) {
      if (database.recordById) {
        const record = database.recordById(advisoryId);
        gone = record === undefined || record.withdrawn !== undefined;
      } else {
        gone = !database.summariesOf([advisoryId]).has(advisoryId);
      }
      known.set(advisoryId, gone);
    }
    return gone;
  };
}

/**
 * The new findings, less those the scan had suppressed (an ignore file or VEX statement given to
 * the scan): the suppression was decided for that finding and still holds for it.
 */
function rematchedFindings(
  report: ImageReport,
  database: VulnerabilityDatabase,
  memo: MatchMemo,
): VulnerabilityFinding[] {
  const suppressed = new Set(
    (report.suppressedVulnerabilities ?? []).map((entry) => keyOf(changeOf(entry.finding))),
  );
  const findings = rematchReport(report, database, memo);
  return suppressed.size === 0
    ? findings
    : findings.filter((finding) => !suppressed.has(keyOf(changeOf(finding))));
}

/**
 * Whether the new findings are the stored ones, field for field and in order. Both were made by
 * the same matcher, so equal findings serialise alike; a difference in key order alone (a report
 * from an older build) only costs a rewrite.
 */
function sameFindings(
  stored: readonly VulnerabilityFinding[],
  found: readonly VulnerabilityFinding[],
): boolean {
  return stored.length === found.length && JSON.stringify(stored) === JSON.stringify(found);
}

interface Rematched {
  readonly result: StoredResult;
  readonly report: ImageReport;
  /**
   * False when the findings are the stored ones exactly (the update did not touch the image): the
   * report and the finding index stay as they are; counts, level and `matchedAt` are written.
   */
  readonly rewritten: boolean;
  readonly diff: FindingDiff;
}

function hasChanges(diff: FindingDiff): boolean {
  return diff.added.length + diff.fixed.length + diff.withdrawn.length > 0;
}

interface RematchedImage {
  readonly image: ImageSummary;
  readonly rematched: readonly Rematched[];
}

/**
 * Images written per transaction: the finding index then counts a group shared by a batch (a base
 * image's findings) once per batch instead of once per image.
 */
const imagesPerTransaction = 100;

/**
 * Writes images' re-matched results, their change rows, the images' counts and the finding index,
 * together (all of one project). `knownGroups` carries the index's group ids from batch to batch.
 */
async function writeImages(
  db: Kysely<Database>,
  projectId: string,
  images: readonly RematchedImage[],
  view: HandlingView,
  databaseBuiltAt: string,
  now: Date,
  knownGroups: Map<string, number>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const changes: Insertable<RematchChangeTable>[] = [];
    const updates = {
      ids: [] as string[],
      reports: [] as (string | null)[],
      counts: [] as string[],
      levels: [] as string[],
    };
    for (const { image, rematched } of images) {
      const handling = view.vulnerabilities.forImage(image);
      for (const { result, report, rewritten, diff } of rematched) {
        const risk = effectiveRisk(report, image.id, handling, view.secrets);
        updates.ids.push(result.id);
        updates.reports.push(rewritten ? packReport(report) : null);
        updates.counts.push(toJson(risk.riskCounts));
        updates.levels.push(risk.riskLevel);
        if (!hasChanges(diff)) continue;
        changes.push({
          id: randomUUID(),
          projectId: result.projectId,
          imageId: image.id,
          resultId: result.id,
          databaseBuiltAt,
          added: toJson(diff.added),
          fixed: toJson(diff.fixed),
          withdrawn: toJson(diff.withdrawn),
          at: now,
        });
        await enqueueNewCriticalFindings(
          trx,
          {
            projectId: result.projectId,
            imageId: image.id,
            resultId: result.id,
            databaseBuiltAt,
            added: diff.added,
            findings: report.vulnerabilities ?? [],
          },
          now,
        );
      }
    }
    // One statement for the batch's results: one per result cost more than writing the reports.
    await sql`
      update scan_result r set report = coalesce(v.report, r.report), risk_counts = v.counts::jsonb, risk_level = v.level,
        matched_at = ${now}, database_built_at = ${databaseBuiltAt}
      from unnest(${updates.ids}::text[], ${updates.reports}::text[], ${updates.counts}::text[], ${updates.levels}::text[])
        as v(id, report, counts, level)
      where r.id = v.id
    `.execute(trx);
    if (changes.length > 0) await trx.insertInto('rematchChange').values(changes).execute();
    await writeImagesRisk(
      trx,
      images.map(({ image }) => image.id),
    );
    await indexResults(
      trx,
      projectId,
      images.flatMap(({ image, rematched }) =>
        rematched
          .filter(({ rewritten }) => rewritten)
          .map(({ result, report }) => ({
            id: result.id,
            imageId: image.id,
            platform: result.platform,
            report,
          })),
      ),
      'count',
      knownGroups,
    );
  });
}

/**
 * Matches every current result that scanned vulnerabilities against `database` again, from the
 * stored inventory only (no registry is contacted). Each image is written in one transaction
 * (with up to `imagesPerTransaction` others of its project): the reports with their vulnerabilities
 * replaced where the findings changed, counts and level (handling applied), `matchedAt`,
 * `databaseBuiltAt`, the image list's counts, and a `rematch_change` row for each platform result
 * whose findings changed.
 */
export async function rematchStoredResults(
  db: Kysely<Database>,
  database: RematchDatabase,
  options: RematchOptions,
): Promise<RematchSummary> {
  const databaseBuiltAt = database.status().builtAt;
  const advisoryGone = advisoryGoneIn(database);
  const memo = new MatchMemo();
  const scanned = (
    await currentResults(db, options.projectId === undefined ? {} : { projectId: options.projectId })
  ).filter((result) => result.riskTypes.includes('vulnerability'));
  const byProject = new Map<string, StoredResult[]>();
  for (const result of scanned) {
    const list = byProject.get(result.projectId);
    if (list) list.push(result);
    else byProject.set(result.projectId, [result]);
  }
  let images = 0;
  let changed = 0;
  for (const [projectId, results] of byProject) {
    const knownGroups = new Map<string, number>();
    const view = await loadHandlingView(db, projectId, options.now);
    const summaries = await imageSummaries(
      db,
      projectId,
      results.map((result) => result.imageId),
    );
    // Results come ordered by image, so an image's platforms arrive together.
    let pending: Rematched[] = [];
    let pendingImage: ImageSummary | undefined;
    let batch: RematchedImage[] = [];
    const write = async (): Promise<void> => {
      if (batch.length === 0) return;
      await writeImages(db, projectId, batch, view, databaseBuiltAt, options.now, knownGroups);
      images += batch.length;
      changed += batch.filter((entry) => entry.rematched.some((one) => hasChanges(one.diff))).length;
      batch = [];
    };
    const flush = async (): Promise<void> => {
      if (pendingImage !== undefined && pending.length > 0)
        batch.push({ image: pendingImage, rematched: pending });
      pending = [];
      if (batch.length >= imagesPerTransaction) await write();
    };
    for await (const { result, report } of withReports(db, results)) {
      const image = summaries.get(result.imageId);
      if (!image || report.vulnerabilities === undefined) continue;
      if (pendingImage?.id !== image.id) {
        await flush();
        pendingImage = image;
      }
      const findings = rematchedFindings(report, database, memo);
      const diff = diffFindings(report.vulnerabilities, findings, advisoryGone);
      // Serialising both lists is only needed when no finding came or went.
      const rewritten = hasChanges(diff) || !sameFindings(report.vulnerabilities, findings);
      pending.push({
        result,
        report: rewritten ? { ...report, vulnerabilities: findings } : report,
        rewritten,
        diff,
      });
    }
    await flush();
    await write();
  }
  return { images, changed };
}
