import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildTestImage, RegistryPusher } from '../harness/registry-push.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import {
  connectRegistry,
  runTaskToEnd,
  startTestService,
  waitUntil,
  type TestService,
} from '../harness/service.ts';
import { assertSigned, WebhookReceiver } from '../harness/webhook-receiver.ts';
import { buildDatabaseFromRecords } from '../harness/vulnerability-database.ts';

/**
 * `findings.new_critical`: a vulnerability database update whose re-match adds a critical finding
 * to a stored result sends one signed delivery naming it; one that adds only lesser ones sends none.
 */

// A made-up package and advisories: test data only.
const widget = 'drydock-hook-widget';
function advisory(id: string, severity: string) {
  return {
    schema_version: '1.6.0',
    id,
    modified: '2026-01-01T00:00:00Z',
    summary: `${id} in ${widget}`,
    database_specific: { severity },
    affected: [
      {
        package: { ecosystem: 'npm', name: widget },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '9.0.0' }] }],
      },
    ],
  };
}

let work: string;
let registry: TestRegistry;
let receiver: WebhookReceiver;
let env: TestService;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-hook-rematch-'));
  [registry, receiver] = await Promise.all([startRegistry(), WebhookReceiver.start()]);
  const image = await buildTestImage({
    layers: [
      {
        'app/package.json': JSON.stringify({
          name: 'app',
          version: '1.0.0',
          dependencies: { [widget]: '^1.0.0' },
        }),
        [`app/node_modules/${widget}/package.json`]: JSON.stringify({ name: widget, version: '1.2.0' }),
      },
    ],
  });
  await new RegistryPusher(registry).pushImage('hooked/web', '1', image);
  const first = await buildDatabaseFromRecords(work, 'v1', [advisory('DRYDOCK-HOOK-1', 'MODERATE')]);
  env = await startTestService({
    engines: { vulnerabilityDatabasePath: first },
    webhooks: { firstRetryDelayMs: 300, timeoutMs: 5000 },
  });
  await connectRegistry(env, registry.url);
});
after(async () => {
  await env?.close();
  await receiver?.stop();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

test('a re-match that adds a critical finding sends findings.new_critical, signed, naming it; one that adds a lesser finding sends nothing', async () => {
  const { service, projectId } = env;
  const task = await service.tasks.start(
    projectId,
    { scope: { kind: 'all' }, riskTypes: ['vulnerability'], acceptFee: true },
    'tester',
  );
  assert.equal((await runTaskToEnd(service, projectId, task.id)).counts.succeeded, 1);
  const hook = await service.webhooks.create(projectId, {
    url: receiver.url,
    events: ['findings.new_critical'],
  });

  await service.rematch(
    await buildDatabaseFromRecords(work, 'v2', [
      advisory('DRYDOCK-HOOK-1', 'MODERATE'),
      advisory('DRYDOCK-HOOK-2', 'LOW'),
    ]),
  );
  await service.rematch(
    await buildDatabaseFromRecords(work, 'v3', [
      advisory('DRYDOCK-HOOK-1', 'MODERATE'),
      advisory('DRYDOCK-HOOK-2', 'LOW'),
      advisory('DRYDOCK-HOOK-3', 'CRITICAL'),
    ]),
  );
  // The service's round hands queued deliveries to the queue.
  await waitUntil(
    async () => {
      await service.tick();
      return receiver.of('findings.new_critical').length > 0;
    },
    { timeoutMs: 30_000, everyMs: 200 },
  );
  // Deliveries are recorded when the re-match writes: the log holds every one there will be.
  const log = await service.webhooks.deliveries(projectId, hook.id, { offset: 0, limit: 10 });
  assert.equal(log.total, 1, 'the low finding of v2 queued nothing');
  const deliveries = receiver.of('findings.new_critical');
  assert.equal(deliveries.length, 1);
  const body = assertSigned(deliveries[0]!, hook.secret);
  const data = body['data'] as { image: { repository: string }; findings: { advisoryId: string }[] };
  assert.equal(data.image.repository, 'hooked/web');
  assert.deepEqual(
    data.findings.map((finding) => finding.advisoryId),
    ['DRYDOCK-HOOK-3'],
  );
});
