import { sql, type Kysely } from 'kysely';
import { riskTypes, type Database, type RiskCounts, type RiskLevel, type RiskType } from '../store/schema.ts';
import { imageSummaryColumns, type ImageSummary } from './current-results.ts';

/**
 * The project overview's figures about findings, read from the finding index (migration 0006) and
 * the image list's stored counts, each in one query:
 *
 * - findings per risk kind and severity: distinct findings, and image-findings (the sum over the
 *   findings of the live images holding each: an image with three critical findings counts three
 *   times). Every finding of the images' current results counts, handled (ignored, allowlisted)
 *   or not: the index keeps no handling, which is decided per image at read time.
 * - the top vulnerable packages: vulnerability findings grouped by ecosystem and package name.
 * - the top vulnerable images: live images by their open (unhandled) critical, then high, ...
 *   vulnerabilities, as the image list stores them.
 *
 * Cost, measured on PGlite with 100,000 live images, 60,000 vulnerability findings over 6,000
 * packages, 200,000 packages and 8,000 other findings (rows with 1.5 kB of finding JSON each,
 * vacuumed): the counts about 90 ms (an index-only scan), the top images about 0.5 s (the stored
 * counts of every live image are read and sorted). The top packages read only the key, the rank
 * and the images, all in the finding index's order index (migration 0006): an index-only scan, 87
 * ms for 19,749 vulnerability groups on the PostgreSQL of `npm run bench:api` (reading the
 * advisory column instead read every group's row: 1.2 to 2 s on PGlite).
 */

export const findingSeverities = ['critical', 'high', 'medium', 'low', 'unknown'] as const;
export type FindingSeverity = (typeof findingSeverities)[number];

/** The finding index's severity ranks (results/finding-keys.ts), most severe first. */
const severityByRank: Readonly<Record<number, FindingSeverity>> = {
  4: 'critical',
  3: 'high',
  2: 'medium',
  1: 'low',
  0: 'unknown',
};

/** A rank the index may hold for a risk kind: anything not ranked reads as unknown. */
export function severityOfRank(rank: number): FindingSeverity {
  return severityByRank[rank] ?? 'unknown';
}

export interface FindingCount {
  readonly kind: RiskType;
  readonly severity: FindingSeverity;
  /** Distinct findings (a finding is counted once however many images hold it). */
  readonly findings: number;
  /** The sum over those findings of the live images holding each. */
  readonly imageFindings: number;
}

export interface VulnerablePackage {
  readonly ecosystem: string;
  readonly name: string;
  /** Distinct advisories against any of its installed versions. */
  readonly advisories: number;
  /** Distinct installed versions with at least one advisory. */
  readonly versions: number;
  readonly worstSeverity: FindingSeverity;
  /**
   * Live images holding its most widespread finding (one advisory in one version): a lower bound
   * of the images holding any of them, which would need the index's image rows to count exactly.
   */
  readonly images: number;
}

export interface VulnerableImage {
  readonly image: ImageSummary;
  readonly riskLevel: RiskLevel | null;
  /** Open findings, handled vulnerabilities left out (the image list's counts). */
  readonly riskCounts: RiskCounts;
}

export interface RiskOverview {
  /** Every risk kind × severity, zeros included, in `riskTypes` × `findingSeverities` order. */
  readonly counts: readonly FindingCount[];
  readonly topPackages: readonly VulnerablePackage[];
  readonly topImages: readonly VulnerableImage[];
}

/** How many packages and images the overview lists. */
export const overviewTopCount = 10;

/**
 * Distinct findings and image-findings per risk kind and severity, zeros included. One GROUP BY
 * over the order index of `finding_group` (project, kind, severity rank, images), which holds every
 * column it reads: an index-only scan of the project's groups.
 */
export async function findingCounts(db: Kysely<Database>, projectId: string): Promise<FindingCount[]> {
  const rows = await sql<{ kind: string; severityRank: number; findings: number; imageFindings: number }>`
    select kind, severity_rank, count(*)::int as findings, sum(images)::bigint as image_findings
    from finding_group
    where project_id = ${projectId} and kind = any(${[...riskTypes]}::text[]) and images > 0
    group by kind, severity_rank
  `.execute(db);
  const totals = new Map<string, { findings: number; imageFindings: number }>();
  for (const row of rows.rows) {
    const key = `${row.kind} ${severityOfRank(row.severityRank)}`;
    const total = totals.get(key) ?? { findings: 0, imageFindings: 0 };
    totals.set(key, {
      findings: total.findings + row.findings,
      imageFindings: total.imageFindings + Number(row.imageFindings),
    });
  }
  return riskTypes.flatMap((kind) =>
    findingSeverities.map((severity) => ({
      kind,
      severity,
      findings: totals.get(`${kind} ${severity}`)?.findings ?? 0,
      imageFindings: totals.get(`${kind} ${severity}`)?.imageFindings ?? 0,
    })),
  );
}

/**
 * The packages with the worst vulnerabilities: worst severity first, then the most widespread,
 * then the most advisories. Ecosystem and name come from the vulnerability key (`advisory
 * ecosystem name version`, results/finding-keys.ts): advisory ids and ecosystems hold no spaces
 * and no ecosystem's package names do, and reading the key spares detoasting every finding's JSON.
 */
export async function topVulnerablePackages(
  db: Kysely<Database>,
  projectId: string,
  limit = overviewTopCount,
): Promise<VulnerablePackage[]> {
  const rows = await sql<{
    ecosystem: string;
    name: string;
    advisories: number;
    versions: number;
    worstRank: number;
    images: number;
  }>`
    select split_part(key, ' ', 2) as ecosystem, split_part(key, ' ', 3) as name,
      count(distinct split_part(key, ' ', 1))::int as advisories,
      count(distinct substring(key from '^(?:[^ ]+ ){3}(.*)$'))::int as versions,
      max(severity_rank)::int as worst_rank, max(images)::int as images
    from finding_group
    where project_id = ${projectId} and kind = 'vulnerability' and images > 0
    group by 1, 2
    order by worst_rank desc, images desc, advisories desc, ecosystem, name
    limit ${limit}
  `.execute(db);
  return rows.rows.map((row) => ({
    ecosystem: row.ecosystem,
    name: row.name,
    advisories: row.advisories,
    versions: row.versions,
    worstSeverity: severityOfRank(row.worstRank),
    images: row.images,
  }));
}

/**
 * The live images with the most open critical vulnerabilities, then high, medium, low and unknown,
 * then by name; images without open vulnerabilities are left out. It reads the stored counts of
 * every live image of the project and keeps the top ones (a top-N sort, no index serves it: about
 * 0.5 s at 100,000 images).
 */
export async function topVulnerableImages(
  db: Kysely<Database>,
  projectId: string,
  limit = overviewTopCount,
): Promise<VulnerableImage[]> {
  const count = (severity: FindingSeverity) =>
    sql<number>`coalesce((i.risk_counts -> 'vulnerability' ->> ${severity})::int, 0)`;
  const rows = await db
    .selectFrom('repositoryImage as i')
    .innerJoin('registryConnection as c', 'c.id', 'i.connectionId')
    .select([...imageSummaryColumns, 'i.riskLevel', 'i.riskCounts'])
    .where('i.projectId', '=', projectId)
    .where('i.deletedAt', 'is', null)
    .where('i.riskCounts', 'is not', null)
    .where(
      sql<boolean>`${sql.join(
        findingSeverities.map((severity) => count(severity)),
        sql` + `,
      )} > 0`,
    )
    .orderBy(count('critical'), 'desc')
    .orderBy(count('high'), 'desc')
    .orderBy(count('medium'), 'desc')
    .orderBy(count('low'), 'desc')
    .orderBy(count('unknown'), 'desc')
    .orderBy('i.repository')
    .orderBy('i.tag')
    .orderBy('i.id')
    .limit(limit)
    .execute();
  return rows.flatMap((row) => {
    if (row.riskCounts === null) return [];
    const image: ImageSummary = {
      id: row.id,
      projectId: row.projectId,
      connectionId: row.connectionId,
      connectionName: row.connectionName,
      registryType: row.registryType,
      namespace: row.namespace,
      repository: row.repository,
      tag: row.tag,
      digest: row.digest,
    };
    return [{ image, riskLevel: row.riskLevel, riskCounts: row.riskCounts }];
  });
}

/** The overview's finding figures of a project. */
export async function riskOverview(db: Kysely<Database>, projectId: string): Promise<RiskOverview> {
  // Concurrent on PostgreSQL (a pool); PGlite runs them one after another.
  const [counts, topPackages, topImages] = await Promise.all([
    findingCounts(db, projectId),
    topVulnerablePackages(db, projectId),
    topVulnerableImages(db, projectId),
  ]);
  return { counts, topPackages, topImages };
}
