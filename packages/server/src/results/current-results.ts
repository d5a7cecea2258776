import { sql, type Kysely } from 'kysely';
import type {
  BaselineCheckResult,
  ComplianceFinding,
  ImageReport,
  InventoryPackage,
  MalwareFinding,
  SecretFinding,
  VulnerabilityFinding,
} from '@drydock/engine';
import { ServiceError } from '../service-error.ts';
import { toJson } from '../store/json.ts';
import { unpackReport } from '../store/packed-report.ts';
import type { Database, RegistryType, RiskCounts, RiskLevel, RiskType } from '../store/schema.ts';
import { combineRisks, riskCounts, riskLevel } from './risk-summary.ts';
import {
  loadSecretHandling,
  secretIgnoredBy,
  type SecretHandlingRules,
  type SecretIgnoredBy,
} from './secret-handling.ts';
import {
  loadHandling,
  type HandlingState,
  type ImageHandling,
  type ProjectHandling,
} from './vulnerability-handling.ts';
import { anyOf } from '../store/any-of.ts';
import type { RiskViewKind } from './finding-keys.ts';

/**
 * Reading stored results (PRODUCT.md 4): the current result of an image and platform is its newest
 * `scan_result` row; older rows are history. Handling (vulnerability states, ignored secrets) is
 * attached when reading, never written into the stored report, so a changed decision shows at
 * once and the report stays what the scan (or the last re-match) found.
 */

/** The image a result belongs to, as lists and exports name it. */
export interface ImageSummary {
  readonly id: string;
  readonly projectId: string;
  readonly connectionId: string;
  readonly connectionName: string;
  readonly registryType: RegistryType;
  readonly namespace: string;
  readonly repository: string;
  readonly tag: string;
  /** The tag's digest (a multi-architecture index's own digest for such images). */
  readonly digest: string;
}

/** A stored result without its report (cheap to list). */
export interface StoredResult {
  readonly id: string;
  readonly projectId: string;
  readonly imageId: string;
  readonly taskId: string | null;
  /** The platform's manifest digest. */
  readonly digest: string;
  /** `os/arch[/variant]`, or '' for a single-platform image. */
  readonly platform: string;
  readonly riskTypes: readonly RiskType[];
  readonly riskCounts: RiskCounts;
  readonly riskLevel: RiskLevel;
  readonly matchedAt: Date;
  readonly databaseBuiltAt: string | null;
  readonly createdAt: Date;
}

export interface CurrentResultsQuery {
  /** Undefined = every project (the re-match after a database update). */
  readonly projectId?: string;
  readonly imageIds?: readonly string[];
  /** Images a sync no longer finds are left out unless asked for. */
  readonly includeDeleted?: boolean;
}

/** True for a value shaped like the engine's ImageReport (what `scan_result.report` holds). */
export function isImageReport(value: unknown): value is ImageReport {
  return (
    typeof value === 'object' &&
    value !== null &&
    'packages' in value &&
    Array.isArray(value.packages) &&
    'platform' in value &&
    'files' in value
  );
}

/** The stored report of a result row; a row that does not hold one is damaged data, not user input. */
export function imageReportOf(value: unknown, resultId: string): ImageReport {
  if (!isImageReport(value)) throw new Error(`scan result ${resultId} does not hold an image report`);
  return value;
}

/** The current result of every image and platform in scope, by image then platform. */
export async function currentResults(
  db: Kysely<Database>,
  query: CurrentResultsQuery,
): Promise<StoredResult[]> {
  if (query.imageIds !== undefined && query.imageIds.length === 0) return [];
  let select = db
    .selectFrom('scanResult as r')
    .innerJoin('repositoryImage as i', 'i.id', 'r.imageId')
    .distinctOn(['r.imageId', 'r.platform'])
    .select([
      'r.id',
      'r.projectId',
      'r.imageId',
      'r.taskId',
      'r.digest',
      'r.platform',
      'r.riskTypes',
      'r.riskCounts',
      'r.riskLevel',
      'r.matchedAt',
      'r.databaseBuiltAt',
      'r.createdAt',
    ]);
  if (query.projectId !== undefined) select = select.where('r.projectId', '=', query.projectId);
  if (query.imageIds !== undefined) select = select.where('r.imageId', '=', anyOf(query.imageIds));
  if (!query.includeDeleted) select = select.where('i.deletedAt', 'is', null);
  return select
    .orderBy('r.imageId')
    .orderBy('r.platform')
    .orderBy('r.createdAt', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
}

/** Reports are large: they are read in batches of this many rows. */
export const reportBatchSize = 50;

/** The reports of `results`, batch by batch, in the given order. */
export async function* withReports<T extends Pick<StoredResult, 'id'>>(
  db: Kysely<Database>,
  results: readonly T[],
): AsyncGenerator<{ readonly result: T; readonly report: ImageReport }> {
  for (let start = 0; start < results.length; start += reportBatchSize) {
    const batch = results.slice(start, start + reportBatchSize);
    const rows = await db
      .selectFrom('scanResult')
      .select(['id', 'report'])
      .where('id', '=', anyOf(batch.map((result) => result.id)))
      .execute();
    const reports = new Map(rows.map((row) => [row.id, row.report]));
    for (const result of batch) {
      const packed = reports.get(result.id);
      yield { result, report: imageReportOf(packed && unpackReport(packed), result.id) };
    }
  }
}

/** An ImageSummary's columns, from `repositoryImage as i` joined with `registryConnection as c`. */
export const imageSummaryColumns = [
  'i.id',
  'i.projectId',
  'i.connectionId',
  'c.name as connectionName',
  'c.type as registryType',
  'i.namespace',
  'i.repository',
  'i.tag',
  'i.digest',
] as const;

/** The images (with their connection) of the given ids in the project. */
export async function imageSummaries(
  db: Kysely<Database>,
  projectId: string,
  imageIds: readonly string[],
): Promise<Map<string, ImageSummary>> {
  if (imageIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('repositoryImage as i')
    .innerJoin('registryConnection as c', 'c.id', 'i.connectionId')
    .select(imageSummaryColumns)
    .where('i.projectId', '=', projectId)
    .where('i.id', '=', anyOf(new Set(imageIds)))
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** A vulnerability with the project's handling state attached. */
export interface VulnerabilityWithHandling extends VulnerabilityFinding {
  readonly handling: HandlingState;
}

/** A secret with why it does not count, when it does not (null = it counts). */
export interface SecretWithHandling extends SecretFinding {
  readonly ignoredBy: SecretIgnoredBy | null;
}

/** The stored report as it is read: handling attached to each vulnerability and secret. */
export interface HandledReport extends Omit<ImageReport, 'vulnerabilities' | 'secrets'> {
  readonly vulnerabilities: readonly VulnerabilityWithHandling[] | undefined;
  readonly secrets?: readonly SecretWithHandling[];
}

/** Everything handling decides, for one image at one instant. */
export interface HandlingView {
  readonly vulnerabilities: ProjectHandling;
  readonly secrets: SecretHandlingRules;
}

export async function loadHandlingView(
  db: Kysely<Database>,
  projectId: string,
  now: Date,
): Promise<HandlingView> {
  const [vulnerabilities, secrets] = await Promise.all([
    loadHandling(db, projectId, now),
    loadSecretHandling(db, projectId),
  ]);
  return { vulnerabilities, secrets };
}

export function handleReport(
  report: ImageReport,
  image: Pick<ImageSummary, 'id' | 'registryType'>,
  view: HandlingView,
): HandledReport {
  const handling = view.vulnerabilities.forImage({ id: image.id, registryType: image.registryType });
  const { vulnerabilities, secrets, ...rest } = report;
  return {
    ...rest,
    vulnerabilities: vulnerabilities?.map((finding) => ({
      ...finding,
      handling: handling.stateOf(finding.id, finding.package.name),
    })),
    ...(secrets === undefined
      ? {}
      : {
          secrets: secrets.map((secret) => ({
            ...secret,
            ignoredBy: secretIgnoredBy(view.secrets, image.id, secret) ?? null,
          })),
        }),
  };
}

/**
 * The counts and level of one platform's report as the image list shows them: handled
 * vulnerabilities and ignored secrets left out.
 */
export function effectiveRisk(
  report: ImageReport,
  imageId: string,
  handling: ImageHandling,
  secrets: SecretHandlingRules,
): { readonly riskCounts: RiskCounts; readonly riskLevel: RiskLevel } {
  const counted: ImageReport = {
    ...report,
    ...(report.secrets === undefined
      ? {}
      : {
          secrets: report.secrets.filter((secret) => secretIgnoredBy(secrets, imageId, secret) === undefined),
        }),
  };
  return {
    riskCounts: riskCounts(counted, handling.handled),
    riskLevel: riskLevel(counted, handling.handled),
  };
}

/**
 * Sets the image list's counts and level of each image from its current results: the sum of its
 * platforms' counts and the worst platform's level (PRODUCT.md 3.4). No results: left as is. One
 * read and one write per `imagesPerWrite` images.
 */
export async function writeImagesRisk(db: Kysely<Database>, imageIds: readonly string[]): Promise<void> {
  for (let start = 0; start < imageIds.length; start += imagesPerWrite)
    await writeSomeImagesRisk(db, imageIds.slice(start, start + imagesPerWrite));
}

const imagesPerWrite = 500;

async function writeSomeImagesRisk(db: Kysely<Database>, imageIds: readonly string[]): Promise<void> {
  const byImage = new Map<string, StoredResult[]>();
  for (const result of await currentResults(db, { imageIds, includeDeleted: true })) {
    const list = byImage.get(result.imageId);
    if (list) list.push(result);
    else byImage.set(result.imageId, [result]);
  }
  const rows = { ids: [] as string[], counts: [] as string[], levels: [] as string[] };
  for (const [imageId, results] of byImage) {
    const combined = combineRisks(results);
    if (combined === undefined) continue;
    rows.ids.push(imageId);
    rows.counts.push(toJson(combined.riskCounts));
    rows.levels.push(combined.riskLevel);
  }
  if (rows.ids.length === 0) return;
  await sql`
    update repository_image i set risk_counts = v.counts::jsonb, risk_level = v.level
    from unnest(${rows.ids}::text[], ${rows.counts}::text[], ${rows.levels}::text[]) as v(id, counts, level)
    where i.id = v.id
  `.execute(db);
}

export interface RecountQuery {
  readonly projectId: string;
  readonly now: Date;
  readonly imageIds?: readonly string[];
  /** Only results whose report holds this advisory (after a handling change of it). */
  readonly advisoryId?: string;
}

/**
 * Recomputes the stored counts and level of current results, and of their images, with the
 * handling in force at `now`. Call it after a handling change (the advisory's images) or a secret
 * ignore (the image, or all). Returns how many results were recounted.
 */
export async function recountImages(db: Kysely<Database>, query: RecountQuery): Promise<number> {
  const results = await currentResults(db, {
    projectId: query.projectId,
    ...(query.imageIds === undefined ? {} : { imageIds: query.imageIds }),
  });
  const view = await loadHandlingView(db, query.projectId, query.now);
  const images = await imageSummaries(
    db,
    query.projectId,
    results.map((result) => result.imageId),
  );
  const touched = new Set<string>();
  let recounted = 0;
  for await (const { result, report } of withReports(db, results)) {
    const image = images.get(result.imageId);
    if (!image) continue;
    if (
      query.advisoryId !== undefined &&
      !(report.vulnerabilities ?? []).some((finding) => finding.id === query.advisoryId)
    )
      continue;
    const handling = view.vulnerabilities.forImage(image);
    const risk = effectiveRisk(report, image.id, handling, view.secrets);
    await db
      .updateTable('scanResult')
      .set({ riskCounts: toJson(risk.riskCounts), riskLevel: risk.riskLevel })
      .where('id', '=', result.id)
      .execute();
    touched.add(image.id);
    recounted += 1;
  }
  await writeImagesRisk(db, [...touched]);
  return recounted;
}

/** One platform's current result of an image, as read. */
export interface PlatformResult {
  readonly result: StoredResult;
  readonly report: HandledReport;
}

export interface ImageResults {
  readonly image: ImageSummary;
  readonly platforms: readonly PlatformResult[];
}

/** An image's current report: every scanned platform, handling attached. `not_found` for another project's image. */
export async function imageResults(
  db: Kysely<Database>,
  projectId: string,
  imageId: string,
  now: Date,
): Promise<ImageResults> {
  const image = (await imageSummaries(db, projectId, [imageId])).get(imageId);
  if (!image)
    throw new ServiceError('not_found', `image ${imageId} does not exist`, { what: 'image', id: imageId });
  const [results, view] = await Promise.all([
    currentResults(db, { projectId, imageIds: [imageId], includeDeleted: true }),
    loadHandlingView(db, projectId, now),
  ]);
  const platforms: PlatformResult[] = [];
  for await (const { result, report } of withReports(db, results)) {
    platforms.push({ result, report: handleReport(report, image, view) });
  }
  return { image, platforms };
}

/** The finding type of each risk view. */
export interface FindingOfView {
  readonly vulnerability: VulnerabilityWithHandling;
  readonly secret: SecretWithHandling;
  readonly malware: MalwareFinding;
  readonly baseline: BaselineCheckResult;
  readonly compliance: ComplianceFinding;
  readonly inventory: InventoryPackage;
}

/**
 * Filters of a risk view; absent = no filter. `severities` does not apply to the inventory
 * (packages have none); `handling` is a vulnerability's state, `open` or `ignored` for a
 * secret, and `open` for every other finding.
 */
export interface RiskViewFilter {
  readonly severities?: readonly string[];
  readonly handling?: readonly HandlingState[];
  readonly imageIds?: readonly string[];
}

/** One row of a risk view: a finding with the image and platform it was found in. */
export interface RiskRow<K extends RiskViewKind> {
  readonly image: ImageSummary;
  readonly platform: string;
  readonly resultId: string;
  readonly finding: FindingOfView[K];
}

type Extractors = { readonly [K in RiskViewKind]: (report: HandledReport) => readonly FindingOfView[K][] };
type Accessor<T> = { readonly [K in RiskViewKind]: (finding: FindingOfView[K]) => T };

// Baseline rows are the failed checks: passed and not-applicable checks are no risk.
const extractors: Extractors = {
  vulnerability: (report) => report.vulnerabilities ?? [],
  secret: (report) => report.secrets ?? [],
  malware: (report) => report.malware ?? [],
  baseline: (report) => (report.baseline?.checks ?? []).filter((check) => check.result === 'fail'),
  compliance: (report) => report.compliance?.findings ?? [],
  inventory: (report) => report.packages,
};

const severityOfFinding: Accessor<string | undefined> = {
  vulnerability: (finding) => finding.severity,
  secret: (finding) => finding.severity,
  malware: (finding) => finding.severity,
  baseline: (finding) => finding.severity,
  compliance: (finding) => finding.severity,
  inventory: () => undefined,
};

const handlingOfFinding: Accessor<HandlingState> = {
  vulnerability: (finding) => finding.handling,
  secret: (finding) => (finding.ignoredBy === null ? 'open' : 'ignored'),
  malware: () => 'open',
  baseline: () => 'open',
  compliance: () => 'open',
  inventory: () => 'open',
};

/** The findings of one kind in a handled report (all of them, unfiltered). */
export function findingsOf<K extends RiskViewKind>(
  kind: K,
  report: HandledReport,
): readonly FindingOfView[K][] {
  const extract: Extractors[K] = extractors[kind];
  return extract(report);
}

function keep<K extends RiskViewKind>(kind: K, finding: FindingOfView[K], filter: RiskViewFilter): boolean {
  const severityOf: Accessor<string | undefined>[K] = severityOfFinding[kind];
  const handlingOf: Accessor<HandlingState>[K] = handlingOfFinding[kind];
  if (filter.severities !== undefined && kind !== 'inventory') {
    const severity = severityOf(finding);
    if (severity === undefined || !filter.severities.includes(severity)) return false;
  }
  return filter.handling === undefined || filter.handling.includes(handlingOf(finding));
}

export interface RiskViewQuery<K extends RiskViewKind> {
  readonly projectId: string;
  readonly kind: K;
  readonly filter?: RiskViewFilter;
  readonly now: Date;
}

/**
 * One risk type across the current results of every image of the project (or the filtered
 * images): a row per finding, by image and platform, findings in report order.
 */
export async function riskView<K extends RiskViewKind>(
  db: Kysely<Database>,
  query: RiskViewQuery<K>,
): Promise<RiskRow<K>[]> {
  const filter = query.filter ?? {};
  const results = await currentResults(db, {
    projectId: query.projectId,
    ...(filter.imageIds === undefined ? {} : { imageIds: filter.imageIds }),
  });
  const [images, view] = await Promise.all([
    imageSummaries(
      db,
      query.projectId,
      results.map((result) => result.imageId),
    ),
    loadHandlingView(db, query.projectId, query.now),
  ]);
  const rows: RiskRow<K>[] = [];
  for await (const { result, report } of withReports(db, results)) {
    const image = images.get(result.imageId);
    if (!image) continue;
    for (const finding of findingsOf(query.kind, handleReport(report, image, view))) {
      if (keep(query.kind, finding, filter))
        rows.push({ image, platform: result.platform, resultId: result.id, finding });
    }
  }
  return rows;
}
