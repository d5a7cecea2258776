import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageReport, InventoryPackage, SecretFinding, VulnerabilityFinding } from '@drydock/engine';
import { sql } from 'kysely';
import { toJson } from '../store/json.ts';
import { packReport } from '../store/packed-report.ts';
import { findingIndexBackfillKey } from '../store/migrations/0006-finding-index.ts';
import { indexMissingResults, indexResults, unindexImages, indexImages } from './finding-index.ts';
import { affectedImages, riskGroups, type RiskGroupFilter, type RiskGroupPage } from './risk-groups.ts';
import type { RiskViewKind } from './finding-keys.ts';
import { ignoreSecret } from './secret-handling.ts';
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
import { recordHandling } from './vulnerability-handling.ts';

const t0 = new Date('2025-01-01T00:00:00.000Z');
const at = (minutes: number): Date => new Date(t0.getTime() + minutes * 60_000);
const layer = { index: 1, digest: 'sha256:l1', diffId: undefined, createdBy: 'RUN apt-get install' };

const vulnerability = (id: string, name: string, severity: VulnerabilityFinding['severity']) =>
  debVulnerability(id, name, severity, { layer, fixedVersions: ['1.0-2'], summary: `${name} is vulnerable` });
const secret = (ruleId: string, path: string): SecretFinding =>
  secretFinding(ruleId, path, { line: 2, fingerprint: 'f'.repeat(64), layer });
const pkg = (name: string): InventoryPackage => ({
  ecosystem: 'deb',
  name,
  version: '1.0-1',
  purl: `pkg:deb/debian/${name}@1.0-1`,
  licenses: ['MIT'],
  path: 'var/lib/dpkg/status',
  origin: 'installed',
  layer,
});
const report = (fields: Partial<ImageReport>): ImageReport =>
  imageReport({ packages: [pkg('openssl'), pkg('zlib')], ...fields });

const criticalSsl = vulnerability('CVE-2024-0001', 'openssl', 'critical');
const lowZlib = vulnerability('CVE-2024-0002', 'zlib', 'low');
const highCurl = vulnerability('CVE-2024-0003', 'curl', 'high');
const envLeak = secret('github-pat', 'srv/app/.env');

/**
 * Images: a (harbor, two platforms), b and c (hub), d (hub, deleted after indexing). Every
 * result goes through indexResults as the scan job writes it.
 */
const store = storeForTests(async (db) => {
  await insertProjects(db, t0, 'p1', 'p2');
  await insertConnection(db, t0, { id: 'harbor', type: 'harbor' });
  await insertConnection(db, t0, { id: 'hub', type: 'dockerhub' });
  for (const [id, connectionId] of [
    ['a', 'harbor'],
    ['b', 'hub'],
    ['c', 'hub'],
    ['d', 'hub'],
  ] as const)
    await insertImage(db, t0, { id, connectionId });
  const results: [string, string, string, ImageReport][] = [
    ['a-amd', 'a', 'linux/amd64', report({ vulnerabilities: [criticalSsl, lowZlib], secrets: [envLeak] })],
    ['a-arm', 'a', 'linux/arm64', report({ vulnerabilities: [criticalSsl] })],
    ['b1', 'b', '', report({ vulnerabilities: [criticalSsl, highCurl], secrets: [envLeak] })],
    ['c1', 'c', '', report({ vulnerabilities: [lowZlib] })],
    ['d1', 'd', '', report({ vulnerabilities: [highCurl, criticalSsl] })],
  ];
  for (const [id, imageId, platform, body] of results) {
    await insertResult(db, at(1), body, { id, imageId, platform });
    await db
      .transaction()
      .execute((trx) => indexResults(trx, 'p1', [{ id, imageId, platform, report: body }]));
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('repositoryImage')
      .set({ deletedAt: at(2) })
      .where('id', '=', 'd')
      .execute();
    await unindexImages(trx, 'p1', ['d']);
  });
});

async function view<K extends RiskViewKind>(kind: K, filter: RiskGroupFilter = {}, offset = 0, limit = 50) {
  return riskGroups(store.db, { projectId: 'p1', kind, filter, offset, limit, now: at(10), samples: 3 });
}

const summary = (page: RiskGroupPage<RiskViewKind>) =>
  page.groups.map((group) => [
    group.finding && 'id' in group.finding ? group.finding.id : group.key,
    group.imageCount,
  ]);

describe('risk views from the finding index', () => {
  it('lists each finding once, most severe first, then most widespread, counting live images', async () => {
    const page = await view('vulnerability');
    assert.equal(page.total, 3);
    // openssl: a (both platforms: one image), b; d is deleted. curl: b only. zlib: a, c.
    assert.deepEqual(summary(page), [
      ['CVE-2024-0001', 2],
      ['CVE-2024-0003', 1],
      ['CVE-2024-0002', 2],
    ]);
    const first = page.groups[0];
    assert.deepEqual(
      first?.images.map((entry) => [entry.image.id, entry.platforms.map((p) => p.platform), entry.handling]),
      [
        ['a', ['linux/amd64', 'linux/arm64'], 'open'],
        ['b', [''], 'open'],
      ],
    );
    assert.equal(first?.finding.package.name, 'openssl');
    const oneSample = await riskGroups(store.db, {
      projectId: 'p1',
      kind: 'vulnerability',
      offset: 0,
      limit: 1,
      now: at(10),
    });
    assert.deepEqual(
      oneSample.groups[0]?.images.map((entry) => entry.image.id),
      ['a'],
      'one affected image by default',
    );
  });

  it('filters by severity, search and images, and pages', async () => {
    assert.deepEqual(summary(await view('vulnerability', { severities: ['low', 'high'] })), [
      ['CVE-2024-0003', 1],
      ['CVE-2024-0002', 2],
    ]);
    assert.deepEqual(summary(await view('vulnerability', { search: 'zlib' })), [['CVE-2024-0002', 2]]);
    assert.deepEqual(summary(await view('vulnerability', { search: '%' })), []);
    assert.deepEqual(summary(await view('vulnerability', { imageIds: ['c', 'b'] })), [
      ['CVE-2024-0001', 1],
      ['CVE-2024-0003', 1],
      ['CVE-2024-0002', 1],
    ]);
    const second = await view('vulnerability', {}, 1, 1);
    assert.equal(second.total, 3);
    assert.deepEqual(summary(second), [['CVE-2024-0003', 1]]);
    assert.equal((await view('inventory')).total, 2);
    // No handling yet: everything is open, nothing is ignored.
    assert.deepEqual(summary(await view('vulnerability', { handling: ['open'] }, 1, 1)), [
      ['CVE-2024-0003', 1],
    ]);
    assert.equal((await view('vulnerability', { handling: ['open'] })).total, 3);
    assert.equal((await view('vulnerability', { handling: ['ignored'] })).total, 0);
    assert.equal((await view('secret')).groups[0]?.imageCount, 2);
  });

  it('keeps projects apart', async () => {
    const other = await riskGroups(store.db, {
      projectId: 'p2',
      kind: 'vulnerability',
      offset: 0,
      limit: 10,
      now: at(10),
    });
    assert.equal(other.total, 0);
  });

  it('applies handling per image: an allowlist scoped to Harbor leaves the other images open', async () => {
    await recordHandling(
      store.db,
      {
        projectId: 'p1',
        advisoryId: 'CVE-2024-0001',
        action: 'allowlist',
        reason: 'accepted on Harbor',
        userName: 'alice',
        scope: { kind: 'registry_types', types: ['harbor'] },
      },
      at(5),
    );
    const open = await view('vulnerability', { handling: ['open'] });
    assert.deepEqual(summary(open), [
      ['CVE-2024-0001', 1],
      ['CVE-2024-0003', 1],
      ['CVE-2024-0002', 2],
    ]);
    assert.deepEqual(
      open.groups[0]?.images.map((entry) => entry.image.id),
      ['b'],
    );
    const allowlisted = await view('vulnerability', { handling: ['allowlisted'] });
    assert.deepEqual(summary(allowlisted), [['CVE-2024-0001', 1]]);
    assert.equal(allowlisted.groups[0]?.images[0]?.handling, 'allowlisted');
    // Unfiltered, the counts stay and the images carry their state.
    const all = await view('vulnerability');
    assert.deepEqual(
      all.groups[0]?.images.map((entry) => [entry.image.id, entry.handling]),
      [
        ['a', 'allowlisted'],
        ['b', 'open'],
      ],
    );
    const paged = await view('vulnerability', { handling: ['open'] }, 2, 1);
    assert.equal(paged.total, 3);
    assert.deepEqual(summary(paged), [['CVE-2024-0002', 2]]);
  });

  it('ignored secrets leave the open view', async () => {
    await ignoreSecret(
      store.db,
      {
        projectId: 'p1',
        imageId: 'a',
        ruleId: 'github-pat',
        path: 'srv/app/.env',
        reason: 'test',
        userName: 'bob',
      },
      at(6),
    );
    const open = await view('secret', { handling: ['open'] });
    assert.equal(open.groups[0]?.imageCount, 1);
    assert.deepEqual(
      open.groups[0]?.images.map((entry) => entry.image.id),
      ['b'],
    );
    assert.equal((await view('secret', { handling: ['ignored'] })).groups[0]?.images[0]?.image.id, 'a');
  });

  it('lists every affected image of a finding by name, with handling', async () => {
    const key = (await view('vulnerability')).groups[0]?.key ?? '';
    const page = await affectedImages(store.db, {
      projectId: 'p1',
      kind: 'vulnerability',
      key,
      offset: 0,
      limit: 1,
      now: at(10),
    });
    assert.equal(page.total, 2);
    assert.deepEqual(
      page.images.map((entry) => [entry.image.repository, entry.handling]),
      [['team/a', 'allowlisted']],
    );
    const open = await affectedImages(store.db, {
      projectId: 'p1',
      kind: 'vulnerability',
      key,
      handling: ['open'],
      offset: 0,
      limit: 10,
      now: at(10),
    });
    assert.deepEqual(
      open.images.map((entry) => entry.image.id),
      ['b'],
    );
    await assert.rejects(
      affectedImages(store.db, {
        projectId: 'p2',
        kind: 'vulnerability',
        key,
        offset: 0,
        limit: 10,
        now: at(10),
      }),
      { code: 'not_found' },
    );
  });

  it('a newer result replaces the older one of the same platform; a revived image counts again', async () => {
    const fixed = report({ vulnerabilities: [lowZlib] });
    await insertResult(store.db, at(7), fixed, { id: 'b2', imageId: 'b' });
    await store.db
      .transaction()
      .execute((trx) => indexResults(trx, 'p1', [{ id: 'b2', imageId: 'b', platform: '', report: fixed }]));
    assert.deepEqual(summary(await view('vulnerability')), [
      ['CVE-2024-0001', 1],
      ['CVE-2024-0002', 3],
    ]);
    await store.db.transaction().execute(async (trx) => {
      await trx.updateTable('repositoryImage').set({ deletedAt: null }).where('id', '=', 'd').execute();
      await indexImages(trx, 'p1', ['d']);
    });
    assert.deepEqual(summary(await view('vulnerability')), [
      ['CVE-2024-0001', 2],
      ['CVE-2024-0003', 1],
      ['CVE-2024-0002', 3],
    ]);
  });

  it('indexes a batch whose results share a new finding (the backfill, a re-match)', async () => {
    const shared = vulnerability('CVE-2024-0009', 'bash', 'medium');
    const amd = report({ vulnerabilities: [criticalSsl, lowZlib, shared], secrets: [envLeak] });
    const arm = report({ vulnerabilities: [criticalSsl, shared] });
    await store.db.transaction().execute(async (trx) => {
      for (const [id, body] of [
        ['a-amd', amd],
        ['a-arm', arm],
      ] as const)
        await trx
          .updateTable('scanResult')
          .set({ report: packReport(body) })
          .where('id', '=', id)
          .execute();
      await indexResults(trx, 'p1', [
        { id: 'a-amd', imageId: 'a', platform: 'linux/amd64', report: amd },
        { id: 'a-arm', imageId: 'a', platform: 'linux/arm64', report: arm },
      ]);
    });
    assert.deepEqual(summary(await view('vulnerability', { severities: ['medium'] })), [
      ['CVE-2024-0009', 1],
    ]);
  });

  it('keeps the totals in step with the groups as results come and go', async () => {
    const counted = await sql<{ groups: number }>`
      select count(*)::int as groups from finding_group where project_id = 'p1' and images > 0`.execute(
      store.db,
    );
    const kept = await sql<{ groups: number }>`
      select sum(groups)::int as groups from finding_total where project_id = 'p1'`.execute(store.db);
    assert.deepEqual(kept.rows, counted.rows);
  });

  it('indexes results stored before the index existed, once asked to by the migration', async () => {
    const before = await store.db.selectFrom('findingGroup').select(['id', 'images']).orderBy('id').execute();
    await store.db.deleteFrom('resultFinding').execute();
    await store.db.deleteFrom('imageFinding').execute();
    await store.db.updateTable('findingGroup').set({ images: 0 }).execute();
    assert.equal(await indexMissingResults(store.db), 0, 'not asked');
    await store.db
      .insertInto('serviceState')
      .values({ key: findingIndexBackfillKey, value: toJson(true), updatedAt: at(8) })
      .execute();
    assert.equal(await indexMissingResults(store.db), 5);
    const after = await store.db.selectFrom('findingGroup').select(['id', 'images']).orderBy('id').execute();
    assert.deepEqual(after, before);
    assert.equal(await indexMissingResults(store.db), 0, 'the request is cleared');
    // The kept totals agree with the groups, after all the changes above and the recount.
    const counted = await sql<{ kind: string; severityRank: number; groups: number }>`
      select kind, severity_rank, count(*)::int as groups from finding_group
      where project_id = 'p1' and images > 0 group by 1, 2 order by 1, 2`.execute(store.db);
    const kept = await store.db
      .selectFrom('findingTotal')
      .select(['kind', 'severityRank', 'groups'])
      .where('projectId', '=', 'p1')
      .where('groups', '>', 0)
      .orderBy('kind')
      .orderBy('severityRank')
      .execute();
    assert.deepEqual(kept, counted.rows);
  });
});
