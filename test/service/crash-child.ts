/**
 * The service process of the crash test: opens the service on a PGlite directory, starts a scan of
 * every image and an export cut off mid-run, and reports progress on stdout until the parent kills it.
 * Arguments: DATA_DIR STATE_DIR SECRET_KEY REGISTRY_URL.
 */
import { DrydockService } from '@drydock/server';

const [dataDir, stateDir, secretKey, registryUrl] = process.argv.slice(2);
if (!dataDir || !stateDir || !secretKey || !registryUrl)
  throw new Error('usage: DATA_DIR STATE_DIR SECRET_KEY REGISTRY_URL');
const service = await DrydockService.open({
  store: { kind: 'pglite', dataDir },
  stateDir,
  secretKey,
  tickMs: 100,
  workers: { manual: 2, scheduled: 0 },
});
const project = await service.projects.ensureDefault();
const connection = await service.connections.create(project.id, {
  name: 'local',
  type: 'registry',
  url: registryUrl,
});
await service.sync.sync(project.id, { trigger: 'manual', connectionIds: [connection.id] });
const task = await service.tasks.start(
  project.id,
  { scope: { kind: 'all' }, riskTypes: ['secret', 'malware'], acceptFee: true },
  'tester',
);
process.stdout.write(`task ${task.id}\n`);
// An export left as a process that dies mid-run leaves it: claimed (`running`), no content.
const exportId = await service.results.startExport({
  projectId: project.id,
  kind: 'inventory',
  format: 'json',
});
await service.results.settle();
await service.db
  .updateTable('exportJob')
  .set({ status: 'running', claimedAt: new Date(), content: null, finishedAt: null })
  .where('id', '=', exportId)
  .execute();
process.stdout.write(`export ${exportId}\n`);
for (;;) {
  const current = await service.tasks.get(project.id, task.id);
  process.stdout.write(`succeeded ${current.counts.succeeded}\n`);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
