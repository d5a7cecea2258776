import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageReport } from '@drydock/engine';
import { sql } from 'kysely';
import { indexResults, unindexImages } from './finding-index.ts';
import type { FindingCount } from './risk-overview.ts';
import { recordRiskTrend, RiskTrendRecorder, riskTrend } from './risk-trend.ts';
import {
  debVulnerability,
  imageReport,
  insertConnection,
  insertImage,
  insertProjects,
  insertResult,
  storeForTests,
} from './test-fixtures.ts';

const t0 = new Date('2025-03-01T00:00:00.000Z');
const hours = (count: number): Date => new Date(t0.getTime() + count * 3_600_000);

const criticalSsl = debVulnerability('CVE-2024-0001', 'openssl', 'critical');
const lowZlib = debVulnerability('CVE-2024-0002', 'zlib', 'low');

/** Project p1: images a and b, both holding the openssl finding, b the zlib one too; p2 is empty. */
const store = storeForTests(async (db) => {
  await insertProjects(db, t0, 'p1', 'p2');
  await insertConnection(db, t0, { id: 'hub', type: 'dockerhub' });
  const reports: readonly (readonly [string, ImageReport])[] = [
    ['a', imageReport({ vulnerabilities: [criticalSsl] })],
    ['b', imageReport({ vulnerabilities: [criticalSsl, lowZlib] })],
  ];
  for (const [id, body] of reports) {
    await insertImage(db, t0, { id, connectionId: 'hub' });
    await insertResult(db, t0, body, { id: `${id}1`, imageId: id });
    await db
      .transaction()
      .execute((trx) => indexResults(trx, 'p1', [{ id: `${id}1`, imageId: id, platform: '', report: body }]));
  }
});

/** A day's vulnerability counts as `severity: findings/imageFindings`, non-zero ones only. */
const vulnerabilities = (counts: readonly FindingCount[] | undefined) =>
  (counts ?? [])
    .filter((count) => count.kind === 'vulnerability' && count.findings > 0)
    .map((count) => `${count.severity}: ${count.findings}/${count.imageFindings}`);

async function recordedDays(projectId: string): Promise<string[]> {
  const rows = await sql<{ day: string }>`
    select distinct to_char(day, 'YYYY-MM-DD') as day from risk_trend where project_id = ${projectId} order by 1
  `.execute(store.db);
  return rows.rows.map((row) => row.day);
}

describe('the risk trend', () => {
  it('the tick records every project on its first round, then hourly, and at once on a new day', async () => {
    const recorder = new RiskTrendRecorder();
    assert.equal(await recorder.runDue(store.db, hours(1)), 2);
    assert.equal(await recorder.runDue(store.db, hours(1.5)), 0);
    assert.equal(await recorder.runDue(store.db, hours(2)), 2);
    assert.equal(await recorder.runDue(store.db, hours(23.9)), 2);
    // Midnight UTC: a new day, less than an hour after the last round.
    assert.equal(await recorder.runDue(store.db, hours(24.1)), 2);
    assert.deepEqual(await recordedDays('p1'), ['2025-03-01', '2025-03-02']);
    // Every kind × severity, zeros included, even for a project without findings.
    const rows = await store.db.selectFrom('riskTrend').selectAll().where('projectId', '=', 'p2').execute();
    assert.equal(rows.length, 50);
    assert.ok(rows.every((row) => row.findings === 0 && Number(row.imageFindings) === 0));
  });

  it("reading records today's counts, so today agrees with the index; a day keeps its last counts", async () => {
    // Day 3: image a goes; its openssl finding now counts once.
    await store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('repositoryImage')
        .set({ deletedAt: hours(49) })
        .where('id', '=', 'a')
        .execute();
      await unindexImages(trx, 'p1', ['a']);
    });
    const trend = await riskTrend(store.db, 'p1', { days: 30, now: hours(50) });
    assert.equal(trend.until, '2025-03-03');
    assert.equal(trend.since, '2025-02-02');
    assert.equal(trend.firstRecordedDay, '2025-03-01');
    assert.deepEqual(
      trend.days.map((day) => [day.day, vulnerabilities(day.counts)]),
      [
        ['2025-03-01', ['critical: 1/2', 'low: 1/1']],
        ['2025-03-02', ['critical: 1/2', 'low: 1/1']],
        ['2025-03-03', ['critical: 1/1', 'low: 1/1']],
      ],
    );
    assert.deepEqual(trend.days[2]?.recordedAt, hours(50));
    assert.deepEqual(
      trend.days[0]?.counts.slice(0, 6).map((count) => `${count.kind} ${count.severity}`),
      [
        'vulnerability critical',
        'vulnerability high',
        'vulnerability medium',
        'vulnerability low',
        'vulnerability unknown',
        'baseline critical',
      ],
    );
    // Day 3 again, later: the day is overwritten, not added.
    await store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('repositoryImage')
        .set({ deletedAt: hours(51) })
        .where('id', '=', 'b')
        .execute();
      await unindexImages(trx, 'p1', ['b']);
    });
    const later = await riskTrend(store.db, 'p1', { days: 2, now: hours(52) });
    assert.equal(later.since, '2025-03-02');
    assert.equal(later.firstRecordedDay, '2025-03-01');
    assert.deepEqual(
      later.days.map((day) => [day.day, vulnerabilities(day.counts)]),
      [
        ['2025-03-02', ['critical: 1/2', 'low: 1/1']],
        ['2025-03-03', []],
      ],
    );
  });

  it('a project first read today has one point; days the service did not run stay absent', async () => {
    const fresh = await riskTrend(store.db, 'p2', { days: 7, now: hours(24 * 9) });
    assert.equal(fresh.firstRecordedDay, '2025-03-01');
    assert.deepEqual(
      fresh.days.map((day) => day.day),
      ['2025-03-10'],
    );
    assert.equal(fresh.days[0]?.counts.length, 25);
  });

  it('records nothing for a project that does not exist', async () => {
    await recordRiskTrend(store.db, 'gone', hours(1));
    assert.deepEqual(await recordedDays('gone'), []);
    const trend = await riskTrend(store.db, 'gone', { days: 1, now: hours(1) });
    assert.deepEqual(trend.days, []);
    assert.equal(trend.firstRecordedDay, null);
  });
});
