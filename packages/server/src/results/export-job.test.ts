import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../clock.ts';
import { isServiceError } from '../service-error.ts';
import { toJson } from '../store/json.ts';
import {
  createExportJob,
  exportLeaseMs,
  getExportJob,
  listExportJobs,
  orphanedExportJobs,
  runExportJob,
} from './export-job.ts';
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

const report = imageReport({
  manifestDigest: 'sha256:m1',
  vulnerabilities: (['critical', 'low'] as const).map((severity, index) =>
    debVulnerability(`CVE-2024-000${index}`, 'django', severity, {
      summary: '@import of a malicious sheet',
    }),
  ),
  secrets: [
    secretFinding('github-pat', 'app/.env', {
      title: 'GitHub personal access token',
      severity: 'critical',
      category: 'saas',
      secret: 'ghp_************************************',
      excerpt: 'GITHUB_TOKEN=ghp_************************************',
      fingerprint: 'c'.repeat(64),
    }),
  ],
});

const store = storeForTests(async (db) => {
  await insertProjects(db, t0, 'p1', 'p2');
  await insertConnection(db, t0, { id: 'c1', name: 'jfrog', type: 'jfrog', url: 'https://acme.jfrog.io' });
  await insertImage(db, t0, {
    id: 'img-1',
    connectionId: 'c1',
    namespace: 'docker-local',
    repository: 'web',
    tag: '1.0',
    pullRegistry: 'acme.jfrog.io',
    pullRepository: 'docker-local/web',
    digest: 'sha256:m1',
    riskCounts: toJson(riskCounts(report)),
    riskLevel: riskLevel(report),
  });
  await insertResult(db, t0, report, {
    id: 'r1',
    imageId: 'img-1',
    digest: 'sha256:m1',
    riskTypes: toJson(['vulnerability', 'secret'] as const),
  });
});

const isCode = (code: string) => (error: unknown) => isServiceError(error) && error.code === code;

describe('export jobs', () => {
  it('go from queued through running to finished with the content and the row count', async () => {
    const { db } = store;
    const clock = new ManualClock(t0);
    const id = await createExportJob(
      db,
      { projectId: 'p1', kind: 'vulnerability', format: 'csv', filter: { severities: ['critical'] } },
      clock.now(),
    );
    const queued = await getExportJob(db, 'p1', id);
    assert.equal(queued.status, 'queued');
    assert.equal(queued.content, null);
    assert.deepEqual(queued.filter, { severities: ['critical'] });

    clock.advance(1_000);
    const finished = await runExportJob(db, id, clock);
    assert.equal(finished.status, 'finished');
    assert.equal(finished.rows, 1);
    assert.equal(finished.finishedAt?.toISOString(), clock.now().toISOString());
    const lines = finished.content?.split('\r\n') ?? [];
    assert.equal(lines.length, 3, 'header, one row, and the final CRLF');
    assert.ok(lines[1]?.includes('CVE-2024-0000'));
    assert.ok(lines[1]?.includes("'@import of a malicious sheet"), 'formula guard');
    assert.deepEqual(await getExportJob(db, 'p1', id), finished);

    // A job runs once; another project does not see it.
    await assert.rejects(runExportJob(db, id, clock), isCode('conflict'));
    await assert.rejects(runExportJob(db, 'no-such-job', clock), isCode('not_found'));
    await assert.rejects(getExportJob(db, 'p2', id), isCode('not_found'));
  });

  it('exports secrets masked and a whole image report as JSON', async () => {
    const { db } = store;
    const clock = new ManualClock(t0);
    const secrets = await runExportJob(
      db,
      await createExportJob(db, { projectId: 'p1', kind: 'secret', format: 'json' }, t0),
      clock,
    );
    assert.equal(secrets.rows, 1);
    assert.ok(secrets.content?.includes('ghp_****'));
    assert.ok(!secrets.content?.includes('c'.repeat(64)));

    const image = await runExportJob(
      db,
      await createExportJob(
        db,
        { projectId: 'p1', kind: 'image', format: 'json', filter: { imageId: 'img-1' } },
        t0,
      ),
      clock,
    );
    assert.equal(image.status, 'finished');
    const document: unknown = JSON.parse(image.content ?? 'null');
    assert.ok(
      typeof document === 'object' && document !== null && 'image' in document && 'platforms' in document,
    );
    assert.ok(Array.isArray(document.platforms));
    assert.equal(document.platforms.length, 1);
  });

  it('validates requests, and stores a failure on the job instead of throwing', async () => {
    const { db } = store;
    await assert.rejects(
      createExportJob(
        db,
        {
          projectId: 'p1',
          kind: 'vulnerability',
          format: 'csv',
          filter: { severities: ['urgent' as 'high'] },
        },
        t0,
      ),
      isCode('invalid_request'),
    );
    await assert.rejects(
      createExportJob(db, { projectId: 'p1', kind: 'image', format: 'csv' }, t0),
      isCode('invalid_request'),
    );
    await assert.rejects(
      createExportJob(db, { projectId: 'p1', kind: 'everything' as 'image', format: 'csv' }, t0),
      isCode('invalid_request'),
    );
    await assert.rejects(
      createExportJob(db, { projectId: 'nope', kind: 'inventory', format: 'csv' }, t0),
      isCode('not_found'),
    );
    const id = await createExportJob(
      db,
      { projectId: 'p1', kind: 'image', format: 'csv', filter: { imageId: 'img-of-p2' } },
      t0,
    );
    const failed = await runExportJob(db, id, new ManualClock(t0));
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /image img-of-p2 does not exist/);
    assert.equal(failed.content, null);
  });

  it('are taken over when their process died: queued ones at once, running ones once the lease ran out', async () => {
    const { db } = store;
    const request = { projectId: 'p1', kind: 'inventory', format: 'json' } as const;
    const neverRun = await createExportJob(db, request, t0);
    const cutOff = await createExportJob(db, request, t0);
    // A process claims the second job and dies before finishing it.
    await db
      .updateTable('exportJob')
      .set({ status: 'running', claimedAt: t0 })
      .where('id', '=', cutOff)
      .execute();
    const soon = new Date(t0.getTime() + exportLeaseMs - 1);
    const orphans = await orphanedExportJobs(db, soon);
    assert.ok(orphans.includes(neverRun));
    assert.ok(!orphans.includes(cutOff), 'a claim inside its lease belongs to a live process');
    assert.equal((await getExportJob(db, 'p1', cutOff)).status, 'running');

    const late = new Date(t0.getTime() + exportLeaseMs);
    assert.ok((await orphanedExportJobs(db, late)).includes(cutOff));
    const finished = await runExportJob(db, cutOff, new ManualClock(late));
    assert.equal(finished.status, 'finished');
    assert.equal((await runExportJob(db, neverRun, new ManualClock(late))).status, 'finished');
    assert.deepEqual(
      (await orphanedExportJobs(db, late, 0)).filter((id) => id === neverRun || id === cutOff),
      [],
    );
  });
});

describe('the export job list', () => {
  it('shows a project’s jobs newest first, ties by id, without their files, paged and filtered', async () => {
    const { db } = store;
    const later = new Date(t0.getTime() + 60_000);
    const request = { projectId: 'p2', kind: 'inventory', format: 'csv' } as const;
    const oldest = await createExportJob(db, request, t0);
    const twins = [await createExportJob(db, request, later), await createExportJob(db, request, later)];
    const finished = await runExportJob(db, oldest, new ManualClock(later));
    assert.equal(finished.status, 'finished');
    assert.notEqual(finished.content, null);

    const page = await listExportJobs(db, 'p2');
    assert.equal(page.total, 3);
    assert.deepEqual(
      page.jobs.map((job) => job.id),
      [...[...twins].sort().reverse(), oldest],
    );
    assert.ok(page.jobs.every((job) => !('content' in job)));
    const listed = page.jobs.find((job) => job.id === oldest);
    assert.equal(listed?.status, 'finished');
    assert.equal(listed?.rows, finished.rows);

    const pages = [
      ...(await listExportJobs(db, 'p2', { limit: 2 })).jobs,
      ...(await listExportJobs(db, 'p2', { offset: 2, limit: 2 })).jobs,
    ];
    assert.deepEqual(
      pages.map((job) => job.id),
      page.jobs.map((job) => job.id),
    );
    const queued = await listExportJobs(db, 'p2', { status: ['queued'] });
    assert.equal(queued.total, 2);
    assert.deepEqual(queued.jobs.map((job) => job.id).sort(), [...twins].sort());
    assert.ok((await listExportJobs(db, 'p1')).jobs.every((job) => job.projectId === 'p1'));
  });
});
