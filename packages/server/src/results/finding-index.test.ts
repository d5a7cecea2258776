import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ImageReport, InventoryPackage } from '@drydock/engine';
import { packReport } from '../store/packed-report.ts';
import { indexImages, indexResults, unindexImages } from './finding-index.ts';
import { keyedFindings, severityRank } from './finding-keys.ts';
import {
  debVulnerability,
  imageReport,
  insertConnection,
  insertImage,
  insertProjects,
  insertResult,
  secretFinding,
  storeForTests,
} from './test-fixtures.ts';

/**
 * The finding index against a model: whatever sequence of scans, re-matches, removals and
 * revivals it is written through, its rows and counts are what counting the current results of
 * the live images from scratch gives. The index applies only the difference between a replaced
 * result and its successor, so every path through that difference is walked here: a group kept,
 * gained, lost, held by the image's other platform, an image gone and back.
 */

const t0 = new Date('2025-01-01T00:00:00.000Z');
const images = ['a', 'b', 'c'] as const;
const platforms = ['linux/amd64', 'linux/arm64'] as const;

const pkg = (name: string): InventoryPackage => ({
  ecosystem: 'deb',
  name,
  version: '1.0-1',
  purl: `pkg:deb/debian/${name}@1.0-1`,
  licenses: [],
  path: 'var/lib/dpkg/status',
  origin: 'installed',
  layer: { index: 0, digest: 'sha256:l0', diffId: undefined, createdBy: undefined },
});

/** Each finding a report may hold: picked by bit from a number. */
const pool = [
  (report: Mutable) => report.vulnerabilities.push(debVulnerability('CVE-2024-0001', 'openssl', 'critical')),
  (report: Mutable) => report.vulnerabilities.push(debVulnerability('CVE-2024-0002', 'zlib', 'low')),
  (report: Mutable) => report.vulnerabilities.push(debVulnerability('CVE-2024-0003', 'curl', 'high')),
  (report: Mutable) => report.vulnerabilities.push(debVulnerability('CVE-2024-0004', 'curl', 'high')),
  (report: Mutable) => report.secrets.push(secretFinding('github-pat', 'srv/.env')),
  (report: Mutable) => report.packages.push(pkg('openssl')),
  (report: Mutable) => report.packages.push(pkg('curl')),
];

interface Mutable {
  vulnerabilities: NonNullable<ImageReport['vulnerabilities']>[number][];
  secrets: NonNullable<ImageReport['secrets']>[number][];
  packages: InventoryPackage[];
}

function reportOf(bits: number): ImageReport {
  const report: Mutable = { vulnerabilities: [], secrets: [], packages: [] };
  pool.forEach((add, index) => {
    if (bits & (1 << index)) add(report);
  });
  return imageReport(report);
}

type Step =
  | { readonly kind: 'scan'; readonly image: number; readonly platform: number; readonly bits: number }
  | { readonly kind: 'rematch'; readonly bits: readonly number[] }
  | { readonly kind: 'remove' | 'revive'; readonly image: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('scan' as const),
    image: fc.nat(images.length - 1),
    platform: fc.nat(platforms.length - 1),
    bits: fc.nat((1 << pool.length) - 1),
  }),
  fc.record({
    kind: fc.constant('rematch' as const),
    bits: fc.array(fc.nat((1 << pool.length) - 1), { minLength: 6, maxLength: 6 }),
  }),
  fc.record({
    kind: fc.constantFrom('remove' as const, 'revive' as const),
    image: fc.nat(images.length - 1),
  }),
);

const store = storeForTests(async (db) => {
  await insertProjects(db, t0, 'p1');
  await insertConnection(db, t0, { id: 'hub', type: 'dockerhub' });
});

/** What the index must hold: `group image results` rows, group image counts and totals. */
interface Expected {
  readonly rows: string[];
  readonly groups: Map<string, number>;
  readonly totals: Map<string, number>;
}

function expected(current: Map<string, { report: ImageReport }>, live: ReadonlySet<string>): Expected {
  const perImage = new Map<string, Map<string, number>>();
  const rank = new Map<string, string>();
  for (const [slot, { report }] of current) {
    const imageId = slot.split(' ')[0] ?? '';
    if (!live.has(imageId)) continue;
    const counts = perImage.get(imageId) ?? new Map<string, number>();
    perImage.set(imageId, counts);
    for (const finding of new Map(keyedFindings(report).map((f) => [`${f.kind} ${f.key}`, f])).values()) {
      const identity = `${finding.kind} ${finding.key}`;
      counts.set(identity, (counts.get(identity) ?? 0) + 1);
      rank.set(identity, `${finding.kind} ${severityRank(finding.severity)}`);
    }
  }
  const rows: string[] = [];
  const groups = new Map<string, number>();
  for (const [imageId, counts] of perImage)
    for (const [identity, results] of counts) {
      rows.push(`${identity} | ${imageId} | ${results}`);
      groups.set(identity, (groups.get(identity) ?? 0) + 1);
    }
  const totals = new Map<string, number>();
  for (const identity of groups.keys()) {
    const slot = rank.get(identity) ?? '';
    totals.set(slot, (totals.get(slot) ?? 0) + 1);
  }
  return { rows: rows.sort(), groups, totals };
}

async function actual(): Promise<Expected> {
  const db = store.db;
  const rows = await db
    .selectFrom('imageFinding as f')
    .innerJoin('findingGroup as g', 'g.id', 'f.groupId')
    .select(['g.kind', 'g.key', 'f.imageId', 'f.results'])
    .execute();
  const groupRows = await db
    .selectFrom('findingGroup')
    .select(['kind', 'key', 'images'])
    .where('images', '<>', 0)
    .execute();
  const totalRows = await db
    .selectFrom('findingTotal')
    .select(['kind', 'severityRank', 'groups'])
    .where('groups', '<>', 0)
    .execute();
  return {
    rows: rows.map((row) => `${row.kind} ${row.key} | ${row.imageId} | ${row.results}`).sort(),
    groups: new Map(groupRows.map((row) => [`${row.kind} ${row.key}`, row.images])),
    totals: new Map(totalRows.map((row) => [`${row.kind} ${row.severityRank}`, row.groups])),
  };
}

async function clear(): Promise<void> {
  const db = store.db;
  for (const table of [
    'resultFinding',
    'imageFinding',
    'findingTotal',
    'findingGroup',
    'scanResult',
  ] as const)
    await db.deleteFrom(table).execute();
  await db.deleteFrom('repositoryImage').execute();
  for (const id of images) await insertImage(db, t0, { id, connectionId: 'hub' });
}

describe('the finding index', () => {
  it('holds what counting the live images’ current results from scratch holds, after any sequence of writes', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        run += 1;
        await clear();
        const db = store.db;
        const current = new Map<
          string,
          { id: string; imageId: string; platform: string; report: ImageReport }
        >();
        const live = new Set<string>(images);
        let written = 0;
        for (const next of steps) {
          written += 1;
          const at = new Date(t0.getTime() + written * 60_000);
          if (next.kind === 'scan') {
            const imageId = images[next.image] ?? 'a';
            const platform = platforms[next.platform] ?? '';
            const result = { id: `r${run}-${written}`, imageId, platform, report: reportOf(next.bits) };
            await insertResult(db, at, result.report, { id: result.id, imageId, platform });
            await db.transaction().execute((trx) => indexResults(trx, 'p1', [result]));
            current.set(`${imageId} ${platform}`, result);
          } else if (next.kind === 'rematch') {
            // Every current result in one batch, rewritten in place as a re-match does.
            const batch = [...current.values()].map((result, index) => ({
              ...result,
              report: reportOf(next.bits[index] ?? 0),
            }));
            await db.transaction().execute(async (trx) => {
              for (const result of batch)
                await trx
                  .updateTable('scanResult')
                  .set({ report: packReport(result.report) })
                  .where('id', '=', result.id)
                  .execute();
              await indexResults(trx, 'p1', batch);
            });
            for (const result of batch) current.set(`${result.imageId} ${result.platform}`, result);
          } else {
            const imageId = images[next.image] ?? 'a';
            const removing = next.kind === 'remove';
            if (live.has(imageId) !== removing) continue;
            await db.transaction().execute(async (trx) => {
              await trx
                .updateTable('repositoryImage')
                .set({ deletedAt: removing ? at : null })
                .where('id', '=', imageId)
                .execute();
              if (removing) await unindexImages(trx, 'p1', [imageId]);
              else await indexImages(trx, 'p1', [imageId]);
            });
            if (removing) live.delete(imageId);
            else live.add(imageId);
          }
          assert.deepEqual(await actual(), expected(current, live), `after ${JSON.stringify(steps)}`);
        }
      }),
      { numRuns: 40, seed: 20261128 },
    );
  });
});
