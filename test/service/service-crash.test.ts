import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DrydockService } from '@drydock/server';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { runTaskToEnd } from '../harness/service.ts';
import { pushManyImages } from './many-tags.ts';

let registry: TestRegistry;
let work: string;

before(async () => {
  registry = await startRegistry();
  await pushManyImages(registry, 'crash/app', 30);
  work = await mkdtemp(join(tmpdir(), 'drydock-crash-'));
});
after(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

test('the service killed with SIGKILL mid-task and restarted: the task completes, every image final, nothing billed twice, the cut-off export is run again', async () => {
  const dataDir = join(work, 'data');
  const stateDir = join(work, 'state');
  const secretKey = randomBytes(32).toString('base64');
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./crash-child.ts', import.meta.url)), dataDir, stateDir, secretKey, registry.url],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let taskId = '';
  let exportId = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for await (const line of createInterface({ input: child.stdout })) {
    const [word, value] = line.split(' ');
    if (word === 'task' && value) taskId = value;
    if (word === 'export' && value) exportId = value;
    if (word === 'succeeded' && Number(value) >= 8) break;
  }
  child.kill('SIGKILL');
  await exited;
  assert.ok(taskId && exportId);

  const service = await DrydockService.open({
    store: { kind: 'pglite', dataDir },
    stateDir,
    secretKey,
    tickMs: 0,
    workers: { manual: 2, scheduled: 0 },
  });
  try {
    const project = await service.projects.ensureDefault();
    const before = await service.tasks.get(project.id, taskId);
    assert.ok(
      before.counts.succeeded >= 8 && before.counts.succeeded < 30,
      `succeeded before restart: ${before.counts.succeeded}`,
    );
    const final = await runTaskToEnd(service, project.id, taskId);
    assert.equal(final.status, 'finished');
    assert.equal(final.counts.succeeded, 30);
    const rows = await service.tasks.images(taskId);
    assert.ok(rows.every((row) => row.status === 'succeeded'));
    const billed = await service.db.selectFrom('billingEvent').select(['key']).execute();
    assert.equal(billed.length, 30);
    const results = await service.db.selectFrom('scanResult').select('imageId').execute();
    assert.equal(results.length, 30, 'one result per image: no scan was stored twice');
    assert.equal(new Set(results.map((row) => row.imageId)).size, 30);
    const usage = await service.meter.usage(service.db, project.id, new Date().toISOString().slice(0, 7));
    assert.equal(usage.repositoryScans, 30);

    // The export the dead process held was run again by the new one.
    await service.results.settle();
    const exported = await service.results.exportJob(project.id, exportId);
    assert.equal(exported.status, 'finished');
    assert.ok((exported.content ?? '').length > 0);
  } finally {
    await service.close();
  }
});
