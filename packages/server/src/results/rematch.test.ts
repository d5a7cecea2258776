import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  importSource,
  openImageSource,
  openVulnerabilityDatabase,
  scanSource,
  type ImageReport,
  type OsvRecord,
  type VulnerabilityDatabase,
  type VulnerabilityDatabaseFile,
} from '@drydock/engine';
import { writeOciImage } from '../../../../test/harness/oci-builder.ts';
import { toJson } from '../store/json.ts';
import { openStore, type Store } from '../store/store.ts';
import { imageReportOf } from './current-results.ts';
import { packReportJson, unpackReport } from '../store/packed-report.ts';
import { diffFindings, rematchStoredResults } from './rematch.ts';
import { riskCounts } from './risk-summary.ts';
import {
  insertConnection,
  insertImage,
  insertProjects,
  insertResult,
  storedImage,
  storedResult,
} from './test-fixtures.ts';
import { recordHandling } from './vulnerability-handling.ts';

// Made-up advisories (TEST-* ids) in OSV schema form (https://ossf.github.io/osv-schema/) for the
// three npm packages of the image below.
const critical = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] as const;
const medium = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N' }] as const;

function advisory(
  id: string,
  name: string,
  fixed: string | undefined,
  fields: Partial<OsvRecord> = {},
): OsvRecord {
  return {
    id,
    modified: '2024-01-01T00:00:00Z',
    published: '2024-01-01T00:00:00Z',
    summary: `${name} test advisory`,
    affected: [
      {
        package: { ecosystem: 'npm', name },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, ...(fixed ? [{ fixed }] : [])] }],
      },
    ],
    ...fields,
  };
}

const oldRecords: OsvRecord[] = [
  advisory('TEST-LODASH', 'lodash', '4.17.21', { severity: critical }),
  advisory('TEST-MINIMIST-W', 'minimist', '1.2.6', { severity: medium }),
  advisory('TEST-MINIMIST-K', 'minimist', '1.2.8', { severity: medium }),
];
const newRecords: OsvRecord[] = [
  // The range was corrected: 4.17.20 is no longer affected.
  advisory('TEST-LODASH', 'lodash', '4.17.19', { severity: critical, modified: '2024-05-01T00:00:00Z' }),
  advisory('TEST-MINIMIST-W', 'minimist', '1.2.6', {
    severity: medium,
    modified: '2024-05-01T00:00:00Z',
    withdrawn: '2024-05-01T00:00:00Z',
  }),
  advisory('TEST-MINIMIST-K', 'minimist', '1.2.8', { severity: medium }),
  advisory('TEST-LEFTPAD-N', 'left-pad', undefined, { severity: critical }),
];

const packageLock = JSON.stringify({
  name: 'app',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': {
      name: 'app',
      version: '1.0.0',
      dependencies: { lodash: '4.17.20', minimist: '1.2.5', 'left-pad': '1.3.0' },
    },
    'node_modules/lodash': { version: '4.17.20', license: 'MIT' },
    'node_modules/minimist': { version: '1.2.5', license: 'MIT' },
    'node_modules/left-pad': { version: '1.3.0', license: 'WTFPL' },
  },
});

let work: string;
let oldDb: VulnerabilityDatabaseFile;
let newDb: VulnerabilityDatabaseFile;
let report: ImageReport;

async function buildDatabase(name: string, records: readonly OsvRecord[], builtAt: string): Promise<string> {
  const feed = join(work, `${name}-feed`);
  await mkdir(feed, { recursive: true });
  await writeFile(join(feed, 'npm.jsonl'), records.map((record) => JSON.stringify(record)).join('\n'));
  const path = join(work, `${name}.db`);
  const result = await importSource(path, feed, { feedName: 'npm', now: () => new Date(builtAt) });
  assert.ok(result.written);
  return path;
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-rematch-'));
  oldDb = openVulnerabilityDatabase(await buildDatabase('old', oldRecords, '2024-02-01T00:00:00.000Z'));
  newDb = openVulnerabilityDatabase(await buildDatabase('new', newRecords, '2024-06-01T00:00:00.000Z'));
  const layout = join(work, 'layout');
  await writeOciImage(layout, 'v1', {
    layers: [{ files: [{ path: 'app/package-lock.json', content: packageLock }], createdBy: 'COPY . /app' }],
  });
  const source = await openImageSource(`oci:${layout}:v1`);
  const scanned = await scanSource(source, {
    signal: AbortSignal.timeout(15_000),
    vulnerabilityDatabase: oldDb,
  });
  const image = scanned.images[0];
  assert.ok(image);
  report = image;
});

after(async () => {
  oldDb.close();
  newDb.close();
  await rm(work, { recursive: true, force: true });
});

const scannedAt = new Date('2024-03-01T00:00:00.000Z');
const rematchedAt = new Date('2024-06-02T00:00:00.000Z');

async function seed(db: Store['db'], imageReport: ImageReport): Promise<void> {
  await insertProjects(db, scannedAt, 'p1');
  await insertConnection(db, scannedAt, {
    id: 'c1',
    name: 'hub',
    type: 'dockerhub',
    url: 'https://registry-1.docker.io',
    namespaces: toJson(['acme']),
  });
  await insertImage(db, scannedAt, {
    id: 'i1',
    connectionId: 'c1',
    namespace: 'acme',
    repository: 'acme/app',
    pullRegistry: 'registry-1.docker.io',
    digest: 'sha256:1111',
    size: 1000,
    riskCounts: toJson(riskCounts(imageReport)),
    riskLevel: 'critical',
  });
  await insertResult(db, scannedAt, imageReport, {
    id: 'r1',
    imageId: 'i1',
    digest: 'sha256:1111',
    riskTypes: toJson(['vulnerability'] as const),
    riskLevel: 'critical',
    databaseBuiltAt: '2024-02-01T00:00:00.000Z',
  });
}

/** Runs `run` on a store of its own, seeded with the scanned image, and closes the store after. */
async function withSeededStore(run: (db: Store['db']) => Promise<void>): Promise<void> {
  const store = await openStore({ kind: 'pglite' });
  try {
    await seed(store.db, report);
    await run(store.db);
  } finally {
    await store.close();
  }
}

const ids = (changes: readonly { advisoryId: string }[]): string[] =>
  changes.map((change) => change.advisoryId).sort();

describe('re-matching stored results', () => {
  it('the scan with the old database found the three old advisories', () => {
    assert.deepEqual(
      (report.vulnerabilities ?? [])
        .map((finding) => `${finding.id} ${finding.package.name}@${finding.installedVersion}`)
        .sort(),
      ['TEST-LODASH lodash@4.17.20', 'TEST-MINIMIST-K minimist@1.2.5', 'TEST-MINIMIST-W minimist@1.2.5'],
    );
  });

  it('records added, fixed and withdrawn findings and updates the result and the image in place', async () => {
    await withSeededStore(async (db) => {
      // The kept advisory is ignored: it stays in the report but out of the counts.
      await recordHandling(
        db,
        {
          projectId: 'p1',
          advisoryId: 'TEST-MINIMIST-K',
          action: 'ignore',
          scope: { kind: 'all' },
          reason: 'not reachable',
          userName: 'alice',
        },
        scannedAt,
      );

      const summary = await rematchStoredResults(db, newDb, { now: rematchedAt });
      assert.deepEqual(summary, { images: 1, changed: 1 });

      const changes = await db.selectFrom('rematchChange').selectAll().execute();
      assert.equal(changes.length, 1);
      const change = changes[0];
      assert.ok(change);
      assert.equal(change.imageId, 'i1');
      assert.equal(change.resultId, 'r1');
      assert.equal(change.databaseBuiltAt, '2024-06-01T00:00:00.000Z');
      assert.deepEqual(change.added, [
        { advisoryId: 'TEST-LEFTPAD-N', packageName: 'left-pad', version: '1.3.0' },
      ]);
      assert.deepEqual(change.fixed, [
        { advisoryId: 'TEST-LODASH', packageName: 'lodash', version: '4.17.20' },
      ]);
      assert.deepEqual(change.withdrawn, [
        { advisoryId: 'TEST-MINIMIST-W', packageName: 'minimist', version: '1.2.5' },
      ]);
      assert.equal(change.at.toISOString(), rematchedAt.toISOString());

      const result = await storedResult(db, 'r1');
      const stored = imageReportOf(unpackReport(result.report), 'r1');
      assert.deepEqual((stored.vulnerabilities ?? []).map((finding) => finding.id).sort(), [
        'TEST-LEFTPAD-N',
        'TEST-MINIMIST-K',
      ]);
      assert.deepEqual(stored.packages, report.packages, 'the inventory is kept as it was');
      assert.equal(result.matchedAt.toISOString(), rematchedAt.toISOString());
      assert.equal(result.databaseBuiltAt, '2024-06-01T00:00:00.000Z');
      assert.equal(
        result.createdAt.toISOString(),
        scannedAt.toISOString(),
        'updated in place, not a new result',
      );
      assert.deepEqual(result.riskCounts.vulnerability, {
        critical: 1,
        high: 0,
        medium: 0,
        low: 0,
        unknown: 0,
      });
      assert.equal(result.riskLevel, 'critical');

      const image = await storedImage(db, 'i1');
      assert.deepEqual(image.riskCounts, result.riskCounts);
      assert.equal(image.riskLevel, 'critical');

      // The same data again changes nothing: the report is not even rewritten, only the time.
      const indexBefore = await db.selectFrom('resultFinding').selectAll().execute();
      // The same report packed from indented JSON: a rewrite would store the compact packing.
      const indented = packReportJson(JSON.stringify(unpackReport(result.report), null, 1));
      await db.updateTable('scanResult').set({ report: indented }).where('id', '=', 'r1').execute();
      const later = new Date(rematchedAt.getTime() + 3_600_000);
      assert.deepEqual(await rematchStoredResults(db, newDb, { now: later }), {
        images: 1,
        changed: 0,
      });
      assert.equal((await db.selectFrom('rematchChange').select('id').execute()).length, 1);
      const again = await storedResult(db, 'r1');
      assert.equal(again.report, indented, 'the stored report is not rewritten');
      assert.equal(again.matchedAt.toISOString(), later.toISOString());
      assert.deepEqual(again.riskCounts, result.riskCounts);
      assert.deepEqual(await db.selectFrom('resultFinding').selectAll().execute(), indexBefore);
    });
  });

  it('leaves results that did not scan vulnerabilities, and other projects, alone', async () => {
    await withSeededStore(async (db) => {
      await db
        .updateTable('scanResult')
        .set({ riskTypes: toJson(['secret'] as const) })
        .execute();
      assert.deepEqual(await rematchStoredResults(db, newDb, { now: rematchedAt }), {
        images: 0,
        changed: 0,
      });
      await db
        .updateTable('scanResult')
        .set({ riskTypes: toJson(['vulnerability'] as const) })
        .execute();
      assert.deepEqual(await rematchStoredResults(db, newDb, { projectId: 'other', now: rematchedAt }), {
        images: 0,
        changed: 0,
      });
      const result = await db.selectFrom('scanResult').select('matchedAt').executeTakeFirstOrThrow();
      assert.equal(result.matchedAt.toISOString(), scannedAt.toISOString());
    });
  });

  it('without lookups by id, a withdrawn advisory that keeps its row reads as fixed; a removed one as withdrawn', async () => {
    // A database that offers only the matching contract (no recordById).
    const plain: VulnerabilityDatabase = {
      candidatesFor: (ecosystem, names) => newDb.candidatesFor(ecosystem, names),
      summariesOf: (advisoryIds) => newDb.summariesOf(advisoryIds),
      recordsFor: (ecosystem, name) => newDb.recordsFor(ecosystem, name),
      status: () => newDb.status(),
      close: () => undefined,
    };
    await withSeededStore(async (db) => {
      assert.deepEqual(await rematchStoredResults(db, plain, { now: rematchedAt }), {
        images: 1,
        changed: 1,
      });
      const change = await db.selectFrom('rematchChange').selectAll().executeTakeFirstOrThrow();
      assert.deepEqual(ids(change.fixed), ['TEST-LODASH', 'TEST-MINIMIST-W']);
      assert.deepEqual(change.withdrawn, []);
    });
    const removed = diffFindings(report.vulnerabilities ?? [], [], (id) => id === 'TEST-LODASH');
    assert.deepEqual(ids(removed.withdrawn), ['TEST-LODASH']);
    assert.deepEqual(ids(removed.fixed), ['TEST-MINIMIST-K', 'TEST-MINIMIST-W']);
    assert.deepEqual(removed.added, []);
  });
});
