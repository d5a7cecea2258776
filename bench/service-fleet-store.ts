/**
 * Stores scanned images for the service benchmarks the way a scan worker stores its outcome
 * (packages/server/src/worker/scan-job.ts): the repository image, a `scan_result` with the report
 * and its counts under the project's handling, the image list's counts and the finding index
 * (indexResults). Only the batching differs: many images per transaction, with
 * multi-row inserts, which is how generation stays within minutes for 10,000 images.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ImageReport } from '@drydock/engine';
import type { Database } from '@drydock/server';
import { effectiveRisk, loadHandlingView } from '../packages/server/src/results/current-results.ts';
import { indexResults } from '../packages/server/src/results/finding-index.ts';
import { toJson } from '../packages/server/src/store/json.ts';
import { packReport } from '../packages/server/src/store/packed-report.ts';

export interface FleetTarget {
  readonly db: Kysely<Database>;
  readonly projectId: string;
  readonly connectionId: string;
  /** `builtAt` of the database the reports were matched against. */
  readonly databaseBuiltAt: string;
}

/** Images per transaction. */
const batchSize = 100;

/** Repository of the n-th image: 40 repositories per namespace, 5 tags per repository. */
function placeOf(index: number): { namespace: string; repository: string; tag: string } {
  const repositoryIndex = Math.floor(index / 5);
  const namespace = `team-${Math.floor(repositoryIndex / 40)}`;
  return { namespace, repository: `${namespace}/service-${repositoryIndex}`, tag: `v${index % 5}` };
}

/**
 * Writes `reports` (already matched) as scanned images `team-K/service-N:vT`; `first` numbers
 * them, so several calls extend one fleet. Returns the image ids in order.
 */
export async function storeScannedImages(
  target: FleetTarget,
  reports: readonly ImageReport[],
  first = 0,
): Promise<string[]> {
  const { db, projectId, connectionId, databaseBuiltAt } = target;
  const ids: string[] = [];
  for (let start = 0; start < reports.length; start += batchSize) {
    const batch = reports.slice(start, start + batchSize);
    await db.transaction().execute(async (trx) => {
      const now = new Date();
      const handling = await loadHandlingView(trx, projectId, now);
      const images = batch.map((report, offset) => {
        const id = randomUUID();
        const risk = effectiveRisk(
          report,
          id,
          handling.vulnerabilities.forImage({ id, registryType: 'registry' }),
          handling.secrets,
        );
        const place = placeOf(first + start + offset);
        const digest = report.manifestDigest ?? `sha256:${randomUUID()}`;
        return { id, resultId: randomUUID(), report, place, digest, risk };
      });
      await trx
        .insertInto('repositoryImage')
        .values(
          images.map(({ id, place, digest, risk }) => ({
            id,
            projectId,
            connectionId,
            namespace: place.namespace,
            repository: place.repository,
            tag: place.tag,
            pullRegistry: 'registry.bench.invalid',
            pullRepository: place.repository,
            digest,
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            size: 32_000_000,
            platforms: toJson([]),
            pushedAt: now,
            syncedAt: now,
            deletedAt: null,
            scanStatus: 'succeeded' as const,
            failureCode: null,
            failureMessage: null,
            lastScanAt: now,
            // One platform per image: its counts are its result's (what writeImagesRisk would sum).
            riskCounts: toJson(risk.riskCounts),
            riskLevel: risk.riskLevel,
            createdAt: now,
          })),
        )
        .execute();
      await trx
        .insertInto('scanResult')
        .values(
          images.map(({ id, resultId, report, digest, risk }) => ({
            id: resultId,
            projectId,
            imageId: id,
            taskId: null,
            digest,
            platform: '',
            report: packReport(report),
            riskTypes: toJson(['vulnerability'] as const),
            riskCounts: toJson(risk.riskCounts),
            riskLevel: risk.riskLevel,
            matchedAt: now,
            databaseBuiltAt,
            createdAt: now,
          })),
        )
        .execute();
      await indexResults(
        trx,
        projectId,
        images.map(({ id, resultId, report }) => ({ id: resultId, imageId: id, platform: '', report })),
      );
      ids.push(...images.map((image) => image.id));
    });
  }
  return ids;
}
