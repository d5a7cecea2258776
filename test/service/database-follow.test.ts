import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startApiServer, type ApiServer } from '@drydock/server';
import {
  DatabaseDownloadError,
  DatabaseFollower,
} from '../../packages/server/src/worker/database-follower.ts';
import { VulnerabilityDatabaseSlot } from '../../packages/server/src/worker/vulnerability-database-slot.ts';
import { createAdminToken } from '../harness/drydock-processes.ts';
import { buildDatabaseFromRecords } from '../harness/vulnerability-database.ts';
import { startTestService, waitUntil, type TestService } from '../harness/service.ts';

/**
 * A worker's copy of the service's vulnerability database: downloaded with its checksum, kept
 * while unchanged, replaced after `drydock db update` renamed a new file over the service's, with
 * scans that hold the old copy left undisturbed.
 */

const adminPassword = 'database follow admin password';
let work: string;
let databasePath: string;
let env: TestService;
let api: ApiServer;
let token: string;

/** Records that all hit one made-up package, so the databases differ only by their ids. */
function buildDatabase(name: string, ids: readonly string[]): Promise<string> {
  return buildDatabaseFromRecords(
    work,
    name,
    ids.map((id) => ({
      schema_version: '1.6.0',
      id,
      modified: '2026-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'npm', name: 'drydock-follow-widget' }, versions: ['1.0.0'] }],
    })),
  );
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-follow-'));
  databasePath = join(work, 'service', 'vulnerability.db');
  await mkdir(join(work, 'service'));
  await rename(await buildDatabase('v1', ['FOLLOW-1']), databasePath);
  env = await startTestService({
    workers: { manual: 0, scheduled: 0 },
    engines: { vulnerabilityDatabasePath: databasePath },
  });
  api = await startApiServer({ service: env.service, port: 0, adminPassword, logger: false });
  token = await createAdminToken(api.url, adminPassword);
});
after(async () => {
  await api?.close();
  await env?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

test('a worker downloads the database once, keeps it while the ETag holds, and moves to a new one without closing it under a scan', async () => {
  const dir = join(work, 'worker');
  const slot = new VulnerabilityDatabaseSlot();
  const follower = new DatabaseFollower({ url: api.url, token }, dir, slot);
  assert.equal(await follower.check(), 'replaced');
  assert.ok(slot.database?.recordById('FOLLOW-1'));
  assert.equal(await follower.check(), 'unchanged');
  const [copy] = await readdir(dir);
  assert.match(copy ?? '', /^vulnerability-[0-9a-f]{64}\.db$/);

  const scan = slot.lease();
  assert.ok(scan);
  // `drydock db update` beside the running service: a new file renamed over the old path.
  await rename(await buildDatabase('v2', ['FOLLOW-1', 'FOLLOW-2']), databasePath);
  await env.service.tick();
  // The service claims the re-match of its stored results against the new build, apart from the round.
  const builtAt = env.service.vulnerabilityDatabase.database?.status().builtAt;
  await waitUntil(async () => {
    const claim = await env.service.db
      .selectFrom('serviceState')
      .select('value')
      .where('key', '=', 'rematched_database')
      .executeTakeFirst();
    return claim?.value === builtAt;
  });
  assert.equal(await follower.check(), 'replaced');
  assert.ok(slot.database?.recordById('FOLLOW-2'), 'new scans get the new database');
  assert.ok(scan.database.recordById('FOLLOW-1'), 'the scan that leased the old one can still read it');
  assert.equal(scan.database.recordById('FOLLOW-2'), undefined);
  scan.release();
  const copies = await readdir(dir);
  assert.equal(copies.length, 1);
  assert.notEqual(copies[0], copy, 'the old copy is gone');

  // A restarted worker finds its copy by name and asks with its checksum: nothing to download.
  const restarted = new DatabaseFollower({ url: api.url, token }, dir, new VulnerabilityDatabaseSlot());
  await restarted.start({ checkEveryMs: 60_000 });
  restarted.stop();
  assert.equal(restarted.followed, true);
  assert.equal(await restarted.check(), 'unchanged');
  slot.close();
});

test('a wrong token and a file that does not match its checksum are refused, and nothing is swapped in', async () => {
  const slot = new VulnerabilityDatabaseSlot();
  const refused = new DatabaseFollower(
    { url: api.url, token: 'ddk_not-a-token' },
    join(work, 'refused'),
    slot,
  );
  await assert.rejects(refused.check(), { name: DatabaseDownloadError.name, code: 'unauthenticated' });
  assert.equal(refused.followed, false);

  // A server (or a proxy on the way) that sends other bytes than the checksum it announces.
  const tampering = createServer((_request, response) => {
    response.writeHead(200, { etag: `"${'0'.repeat(64)}"`, 'content-length': '5' });
    response.end('bytes');
  });
  await new Promise<void>((resolve) => tampering.listen(0, '127.0.0.1', resolve));
  const dir = join(work, 'tampered');
  try {
    const follower = new DatabaseFollower(
      { url: `http://127.0.0.1:${(tampering.address() as AddressInfo).port}`, token },
      dir,
      slot,
    );
    await assert.rejects(follower.check(), { name: DatabaseDownloadError.name, code: 'checksum_mismatch' });
    assert.equal(slot.database, undefined);
    assert.deepEqual(await readdir(dir), [], 'no partial file is left');
  } finally {
    tampering.close();
  }
});
