import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageReport, MalwareFinding, VulnerabilityFinding } from '@drydock/engine';
import { toJson } from '../store/json.ts';
import { indexResults, unindexImages } from './finding-index.ts';
import {
  findingCounts,
  riskOverview,
  topVulnerableImages,
  topVulnerablePackages,
  type FindingCount,
} from './risk-overview.ts';
import { riskCounts, riskLevel } from './risk-summary.ts';
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

const t0 = new Date('2025-01-01T00:00:00.000Z');
const layer = { index: 1, digest: 'sha256:l1', diffId: undefined, createdBy: 'RUN apt-get install' };

const vulnerability = (
  id: string,
  name: string,
  severity: VulnerabilityFinding['severity'],
  version = '1.0-1',
) => debVulnerability(id, name, severity, { layer, version });
const eicar: MalwareFinding = {
  path: 'tmp/eicar.com',
  size: 68,
  sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
  engine: 'hash',
  signature: 'EICAR-Test-File',
  source: 'builtin',
  severity: 'critical',
  layer,
  inFinalFilesystem: true,
};

const criticalSsl = vulnerability('CVE-2024-0001', 'openssl', 'critical');
const highSsl = vulnerability('CVE-2024-0004', 'openssl', 'high');
const mediumSslNewer = vulnerability('CVE-2024-0005', 'openssl', 'medium', '1.1-1');
const lowZlib = vulnerability('CVE-2024-0002', 'zlib', 'low');
const highCurl = vulnerability('CVE-2024-0003', 'curl', 'high');
const envLeak = secretFinding('github-pat', 'srv/app/.env', { layer });

/**
 * Project p1: a, b, c hold vulnerabilities; f only a secret and malware; d held some but is
 * deleted; e was never scanned. Project p2 holds one image of its own. Each image's stored counts
 * are its report's, as the scan job writes them.
 */
const reports: readonly (readonly [string, string, ImageReport])[] = [
  ['a', 'p1', imageReport({ vulnerabilities: [criticalSsl, highSsl, lowZlib], secrets: [envLeak] })],
  ['b', 'p1', imageReport({ vulnerabilities: [criticalSsl, mediumSslNewer, highCurl], secrets: [envLeak] })],
  ['c', 'p1', imageReport({ vulnerabilities: [lowZlib] })],
  ['d', 'p1', imageReport({ vulnerabilities: [highCurl, criticalSsl] })],
  ['f', 'p1', imageReport({ secrets: [envLeak], malware: [eicar] })],
  ['x', 'p2', imageReport({ vulnerabilities: [criticalSsl, criticalSsl] })],
];

const store = storeForTests(async (db) => {
  await insertProjects(db, t0, 'p1', 'p2');
  await insertConnection(db, t0, { id: 'hub', type: 'dockerhub' });
  await insertConnection(db, t0, { id: 'other', type: 'registry', projectId: 'p2' });
  await insertImage(db, t0, { id: 'e', connectionId: 'hub', scanStatus: 'not_scanned', lastScanAt: null });
  for (const [id, projectId, body] of reports) {
    await insertImage(db, t0, {
      id,
      projectId,
      connectionId: projectId === 'p1' ? 'hub' : 'other',
      riskCounts: toJson(riskCounts(body)),
      riskLevel: riskLevel(body),
    });
    await insertResult(db, t0, body, { id: `${id}1`, imageId: id, projectId });
    await db
      .transaction()
      .execute((trx) =>
        indexResults(trx, projectId, [{ id: `${id}1`, imageId: id, platform: '', report: body }]),
      );
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('repositoryImage').set({ deletedAt: t0 }).where('id', '=', 'd').execute();
    await unindexImages(trx, 'p1', ['d']);
  });
});

/** The non-zero counts as `kind severity: findings/imageFindings`. */
const nonZero = (counts: readonly FindingCount[]) =>
  counts
    .filter((count) => count.findings > 0)
    .map((count) => `${count.kind} ${count.severity}: ${count.findings}/${count.imageFindings}`);

describe('the findings overview', () => {
  it('counts distinct findings and image-findings per kind and severity, over live images only', async () => {
    const counts = await findingCounts(store.db, 'p1');
    // Every kind × severity, zeros included.
    assert.equal(counts.length, 25);
    assert.deepEqual(nonZero(counts), [
      // openssl CVE-1 in a and b (d is deleted).
      'vulnerability critical: 1/2',
      // openssl CVE-4 in a, curl in b.
      'vulnerability high: 2/2',
      'vulnerability medium: 1/1',
      // zlib in a and c.
      'vulnerability low: 1/2',
      'malware critical: 1/1',
      // The same token in a, b and f.
      'secret high: 1/3',
    ]);
    assert.deepEqual(
      counts.slice(0, 5).map((count) => count.severity),
      ['critical', 'high', 'medium', 'low', 'unknown'],
    );
  });

  it('keeps projects apart', async () => {
    assert.deepEqual(nonZero(await findingCounts(store.db, 'p2')), ['vulnerability critical: 1/1']);
    assert.deepEqual(nonZero(await findingCounts(store.db, 'nobody')), []);
  });

  it('ranks packages by worst severity, then images, then advisories, across their versions', async () => {
    assert.deepEqual(await topVulnerablePackages(store.db, 'p1'), [
      { ecosystem: 'deb', name: 'openssl', advisories: 3, versions: 2, worstSeverity: 'critical', images: 2 },
      { ecosystem: 'deb', name: 'curl', advisories: 1, versions: 1, worstSeverity: 'high', images: 1 },
      { ecosystem: 'deb', name: 'zlib', advisories: 1, versions: 1, worstSeverity: 'low', images: 2 },
    ]);
    assert.deepEqual(
      (await topVulnerablePackages(store.db, 'p1', 1)).map((entry) => entry.name),
      ['openssl'],
    );
  });

  it('ranks live images by open critical, then high, medium and low vulnerabilities', async () => {
    const top = await topVulnerableImages(store.db, 'p1');
    // a and b tie on critical and high; b has a medium one. f has no vulnerability, e no counts.
    assert.deepEqual(
      top.map((entry) => [entry.image.id, entry.riskLevel, entry.riskCounts.vulnerability]),
      [
        ['b', 'critical', { critical: 1, high: 1, medium: 1, low: 0, unknown: 0 }],
        ['a', 'critical', { critical: 1, high: 1, medium: 0, low: 1, unknown: 0 }],
        ['c', 'low', { critical: 0, high: 0, medium: 0, low: 1, unknown: 0 }],
      ],
    );
    assert.deepEqual(top[0]?.image, {
      id: 'b',
      projectId: 'p1',
      connectionId: 'hub',
      connectionName: 'hub',
      registryType: 'dockerhub',
      namespace: 'team',
      repository: 'team/b',
      tag: 'v1',
      digest: 'sha256:b',
    });
    assert.deepEqual(
      (await topVulnerableImages(store.db, 'p1', 2)).map((entry) => entry.image.id),
      ['b', 'a'],
    );
    assert.deepEqual(
      (await topVulnerableImages(store.db, 'p2')).map((entry) => entry.image.id),
      ['x'],
    );
  });

  it('answers all three together', async () => {
    const overview = await riskOverview(store.db, 'p1');
    assert.equal(overview.counts.length, 25);
    assert.equal(overview.topPackages.length, 3);
    assert.equal(overview.topImages.length, 3);
  });
});
