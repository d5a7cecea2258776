import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RegistryPusher, buildTestImage } from '../harness/registry-push.ts';
import { freePort, startRegistry, type TestRegistry } from '../harness/registry.ts';
import { runTaskToEnd, startTestService, type TestService } from '../harness/service.ts';
import { pushFleet, type Fleet } from './fleet.ts';

/**
 * The scanning service end to end on the embedded database: a real registry with a fleet of
 * pushed images, synced, scanned by hand in three scopes, with statuses, failure codes, results
 * and metering checked.
 */
describe('scanning service against a real registry', () => {
  let registry: TestRegistry;
  let fleet: Fleet;
  let env: TestService;
  let connectionId: string;

  before(async () => {
    registry = await startRegistry({ schema1: true });
    fleet = await pushFleet(registry);
    env = await startTestService();
    const connection = await env.service.connections.create(env.projectId, {
      name: 'local',
      type: 'registry',
      url: registry.url,
    });
    connectionId = connection.id;
  });
  after(async () => {
    await env?.close();
    await registry?.stop();
  });

  test('the connection test and the sync find every image, with platforms, and nothing is pulled', async () => {
    const result = await env.service.connections.test(
      env.projectId,
      connectionId,
      AbortSignal.timeout(30_000),
    );
    assert.equal(result.ok, true);
    assert.equal((await env.service.connections.get(env.projectId, connectionId)).status, 'ok');
    const sync = await env.service.sync.sync(env.projectId, { trigger: 'manual' });
    assert.equal(sync.status, 'finished', JSON.stringify(sync.errors));
    const expected = fleet.plain.length + 5;
    assert.equal(sync.counts.added, expected);
    const page = await env.service.images(env.projectId, {}, { limit: 1000 });
    assert.equal(page.total, expected);
    const multi = page.images.find((image) => `${image.repository}:${image.tag}` === fleet.multiArch);
    assert.deepEqual(multi?.platforms.map((entry) => entry.platform).sort(), [
      'linux/amd64',
      'linux/arm64/v8',
    ]);
    assert.ok(page.images.every((image) => image.scanStatus === 'not_scanned'));

    const again = await env.service.sync.sync(env.projectId, { trigger: 'manual' });
    assert.deepEqual(again.counts, { added: 0, changed: 0, deleted: 0, unchanged: expected, skipped: 0 });
  });

  test('a manual scan of all images needs a confirmed fee, then ends with the right status per image', async () => {
    const request = { scope: { kind: 'all' as const }, riskTypes: ['secret' as const, 'malware' as const] };
    await assert.rejects(env.service.tasks.start(env.projectId, request, 'tester'), {
      code: 'estimate_required',
    });
    const estimate = await env.service.tasks.estimate(env.projectId, request);
    const images = fleet.plain.length + 5;
    assert.equal(estimate.images, images);
    assert.equal(estimate.units, images + 1, 'the two-platform index counts twice');
    await assert.rejects(
      env.service.tasks.start(
        env.projectId,
        { ...request, scope: { kind: 'registries', connectionIds: [connectionId] }, estimateId: estimate.id },
        'tester',
      ),
      { code: 'estimate_mismatch' },
    );
    const task = await env.service.tasks.start(
      env.projectId,
      { ...request, estimateId: estimate.id },
      'tester',
    );
    await assert.rejects(
      env.service.tasks.start(env.projectId, { ...request, estimateId: estimate.id }, 'tester'),
      {
        code: 'estimate_expired',
      },
    );
    const final = await runTaskToEnd(env.service, env.projectId, task.id);
    assert.equal(final.status, 'finished');
    assert.equal(final.progress, 100);
    const failed = await env.service.tasks.images(task.id, { failedOnly: true });
    const codes = Object.fromEntries(
      failed.map((image) => [`${image.repository}:${image.tag}`, image.failureCode]),
    );
    assert.deepEqual(codes, {
      [fleet.schema1]: 'schema_v1_not_supported',
      [fleet.unsupported]: 'unsupported_media_type',
      [fleet.missingBlob]: 'not_found',
    });
    assert.equal(final.counts.failed, 3);
    assert.equal(final.counts.succeeded, estimate.units - 3);
    assert.equal(final.counts.risky, 1, 'only the EICAR image has findings');

    const page = await env.service.images(env.projectId, {}, { limit: 1000 });
    const byName = new Map(page.images.map((image) => [`${image.repository}:${image.tag}`, image]));
    assert.equal(byName.get(fleet.eicar)?.riskCounts?.malware, 1);
    assert.equal(byName.get(fleet.eicar)?.riskLevel, 'critical');
    assert.equal(byName.get(fleet.multiArch)?.scanStatus, 'succeeded');
    assert.equal(byName.get(fleet.schema1)?.scanStatus, 'failed');
    assert.equal(byName.get(fleet.schema1)?.failureCode, 'schema_v1_not_supported');
    const results = await env.service.db.selectFrom('scanResult').select(['imageId', 'platform']).execute();
    assert.equal(results.length, final.counts.succeeded);
    const multiId = byName.get(fleet.multiArch)?.id;
    assert.deepEqual(
      results
        .filter((row) => row.imageId === multiId)
        .map((row) => row.platform)
        .sort(),
      ['linux/amd64', 'linux/arm64/v8'],
    );
    const usage = await env.service.meter.usage(
      env.service.db,
      env.projectId,
      new Date().toISOString().slice(0, 7),
    );
    assert.equal(usage.repositoryScans, final.counts.succeeded);
    assert.equal(usage.freeUsed, 10);
  });

  test('scans of one registry type and of a few images cover exactly their scope', async () => {
    const byType = await env.service.tasks
      .start(
        env.projectId,
        { scope: { kind: 'registry_types', types: ['harbor'] }, acceptFee: true },
        'tester',
      )
      .catch((error: unknown) => error);
    assert.equal((byType as { code?: string }).code, 'nothing_to_scan');

    const typed = await env.service.tasks.start(
      env.projectId,
      { scope: { kind: 'registry_types', types: ['registry'] }, riskTypes: ['secret'], acceptFee: true },
      'tester',
    );
    assert.equal(typed.counts.total, fleet.plain.length + 6);
    await env.service.tasks.stop(env.projectId, typed.id);

    const page = await env.service.images(env.projectId, { name: 'team-1/' }, { limit: 1000 });
    const few = page.images.slice(0, 3).map((image) => image.id);
    const task = await env.service.tasks.start(
      env.projectId,
      { scope: { kind: 'images', imageIds: few }, riskTypes: ['secret', 'malware'], acceptFee: true },
      'tester',
    );
    const final = await runTaskToEnd(env.service, env.projectId, task.id);
    assert.equal(final.counts.total, 3);
    assert.equal(final.counts.succeeded, 3);
    const scanned = await env.service.tasks.images(task.id);
    assert.deepEqual(scanned.map((image) => image.imageId).sort(), [...few].sort());
  });

  test('sync sees moved and deleted tags; a dead registry does not stop the others; expired credentials fail scans', async () => {
    const { service, projectId } = env;
    const pusher = new RegistryPusher(registry);
    const moved = await buildTestImage({ layers: [{ 'etc/moved': 'new content\n' }] });
    await pusher.pushImage('team-0/app-0', 'v0', moved);
    const page = await service.images(projectId, { name: 'team-1/app-1:v1' }, { limit: 10 });
    const doomed = page.images.find((image) => image.tag === 'v1');
    assert.ok(doomed);
    await pusher.deleteManifest(doomed.repository, doomed.digest);

    const dead = await service.connections.create(projectId, {
      name: 'dead',
      type: 'registry',
      url: `http://127.0.0.1:${await freePort()}`,
    });
    const expired = await service.connections.create(projectId, {
      name: 'expired',
      type: 'registry',
      url: registry.url,
      include: ['team-2/**'],
      credentials: { kind: 'basic', username: 'robot', password: 'old' },
      credentialExpiresAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    const sync = await service.sync.sync(projectId, { trigger: 'manual' });
    assert.equal(sync.status, 'partial');
    assert.deepEqual(
      sync.errors.map((error) => error.connectionId),
      [dead.id],
    );
    const teamTwo = fleet.plain.filter((name) => name.startsWith('team-2/')).length;
    assert.deepEqual(sync.counts, {
      added: teamTwo,
      changed: 1,
      deleted: 1,
      unchanged: fleet.plain.length + 5 - 2,
      skipped: 0,
    });
    const movedImage = (await service.images(projectId, { name: 'team-0/app-0:v0' })).images.find(
      (image) => image.connectionName === 'local',
    );
    assert.equal(movedImage?.scanStatus, 'not_scanned', 'a moved tag waits for a new scan');
    assert.equal(
      (await service.images(projectId, { name: 'team-1/app-1:v1' })).images.filter(
        (image) => image.tag === 'v1',
      ).length,
      0,
      'a deleted tag leaves the list',
    );

    const tested = await service.connections.test(projectId, expired.id, AbortSignal.timeout(10_000));
    assert.equal(tested.ok, false);
    assert.equal((await service.connections.get(projectId, expired.id)).statusReason, 'credential_expired');
    const task = await service.tasks.start(
      projectId,
      { scope: { kind: 'registries', connectionIds: [expired.id] }, riskTypes: ['secret'], acceptFee: true },
      'tester',
    );
    const billedBefore = (
      await service.meter.usage(service.db, projectId, new Date().toISOString().slice(0, 7))
    ).repositoryScans;
    const final = await runTaskToEnd(service, projectId, task.id);
    assert.equal(final.counts.failed, teamTwo);
    assert.equal(final.status, 'failed', 'a task whose every image failed ended abnormally');
    const failures = await service.tasks.images(task.id, { failedOnly: true });
    assert.ok(failures.every((image) => image.failureCode === 'credential_expired'));
    const billedAfter = (
      await service.meter.usage(service.db, projectId, new Date().toISOString().slice(0, 7))
    ).repositoryScans;
    assert.equal(billedAfter, billedBefore, 'failed scans cost nothing');
    const listed = JSON.stringify(await service.connections.list(projectId));
    assert.equal(listed.includes('old'), false, 'credentials are never returned');
  });
});
