import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runDrydock } from '../harness/drydock-cli.ts';
import { startRegistry, defaultTestUser, type TestRegistry } from '../harness/registry.ts';
import { pushManyImages } from './many-tags.ts';

/** The operator commands of the service, run as a user would, on the embedded database. */
let registry: TestRegistry;
let work: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  registry = await startRegistry({ auth: 'basic' });
  await pushManyImages(registry, 'cli/app', 4);
  work = await mkdtemp(join(tmpdir(), 'drydock-cli-service-'));
  env = { DRYDOCK_DATA_DIR: join(work, 'data'), DRYDOCK_CACHE_DIR: join(work, 'cache'), DATABASE_URL: '' };
});
after(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

test('registry add (password from stdin), sync, images, scan with fee confirmation, task, usage, policy', async () => {
  const added = await runDrydock(
    [
      'registry',
      'add',
      'local',
      '--type',
      'registry',
      '--url',
      registry.url,
      '--username',
      defaultTestUser.username,
      '--password-stdin',
      '-f',
      'json',
    ],
    { env, input: `${defaultTestUser.password}\n` },
  );
  assert.equal(added.code, 0, added.stderr);
  const connection = JSON.parse(added.stdout) as Record<string, unknown>;
  assert.equal(connection['status'], 'ok');
  assert.equal(connection['hasCredentials'], true);
  assert.equal(added.stdout.includes(defaultTestUser.password), false);
  const keyFile = await stat(join(work, 'data', 'credential.key'));
  assert.equal(keyFile.mode & 0o077, 0, 'the key file is private');

  const sync = await runDrydock(['sync'], { env });
  assert.equal(sync.code, 0, sync.stderr);
  assert.match(sync.stdout, /\+4 ~0 -0 =0/);

  const refused = await runDrydock(['scan', '--all', '--risk-types', 'secret,malware'], { env });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /4 images, 4 scans \(4 free\): 0(\.00)? USD; estimate /);
  assert.match(refused.stderr, /confirm with --estimate ID or --accept-fee/);

  const estimate = await runDrydock(['scan', '--all', '--estimate-only', '-f', 'json'], { env });
  const estimateId = (JSON.parse(estimate.stdout) as { id: string }).id;
  const scan = await runDrydock(
    ['scan', '--all', '--risk-types', 'secret,malware', '--estimate', estimateId, '--wait', '-f', 'json'],
    { env },
  );
  assert.equal(scan.code, 0, scan.stderr);
  const task = JSON.parse(scan.stdout) as { id: string; status: string; counts: { succeeded: number } };
  assert.equal(task.status, 'finished');
  assert.equal(task.counts.succeeded, 4);

  const images = await runDrydock(['images', '-f', 'json'], { env });
  const page = JSON.parse(images.stdout) as { total: number; images: { scanStatus: string }[] };
  assert.equal(page.total, 4);
  assert.ok(page.images.every((image) => image.scanStatus === 'succeeded'));

  const shown = await runDrydock(['task', 'show', task.id.slice(0, 8)], { env });
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /cli\/app:t0/);
  const listed = await runDrydock(['task', 'list', '--type', 'manual', '-f', 'json'], { env });
  assert.equal((JSON.parse(listed.stdout) as unknown[]).length, 1);

  const usage = await runDrydock(['usage', '-f', 'json'], { env });
  const used = JSON.parse(usage.stdout) as { repositoryScans: number; freeUsed: number };
  assert.deepEqual([used.repositoryScans, used.freeUsed], [4, 4]);

  const policy = await runDrydock(
    [
      'policy',
      'set',
      '--enable',
      '--every',
      '3',
      '--window',
      '01:00-05:00',
      '--time-zone',
      'Europe/Berlin',
      '--updated-within',
      '7',
      '-f',
      'json',
    ],
    { env },
  );
  assert.equal(policy.code, 0, policy.stderr);
  const set = JSON.parse(policy.stdout) as Record<string, unknown>;
  assert.deepEqual(
    [set['periodDays'], set['windowStart'], set['windowEnd'], set['timeZone'], set['updatedWithinDays']],
    [3, '01:00', '05:00', 'Europe/Berlin', 7],
  );
  const badPolicy = await runDrydock(['policy', 'set', '--every', '45'], { env });
  assert.notEqual(badPolicy.code, 0);
  assert.match(badPolicy.stderr, /invalid_request|invalid scan policy/);
});

test('drydock serve runs the API on the embedded database: the first admin signs in with the one-time password; it holds the database and stops cleanly on SIGTERM', async () => {
  const child = spawn(
    process.execPath,
    [
      fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url)),
      'serve',
      '--workers',
      '1',
      '--listen',
      '127.0.0.1:0',
    ],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout });
  let password = '';
  let apiUrl = '';
  for await (const line of lines) {
    password ||= /one-time password (\S+)/.exec(line)?.[1] ?? '';
    apiUrl = /API at (http:\/\/\S+)\/api\/v1 /.exec(line)?.[1] ?? '';
    if (line.includes('running with 1 scan workers')) break;
  }
  assert.ok(password.length >= 12, 'the first start prints a one-time admin password');
  assert.ok(apiUrl);
  assert.equal((await fetch(`${apiUrl}/healthz`)).status, 200);
  assert.equal((await fetch(`${apiUrl}/api/v1/projects`)).status, 401);
  const login = await fetch(`${apiUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'admin', password }),
  });
  assert.equal(login.status, 200);
  const cookie = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  assert.match(cookie, /^drydock_session=/);
  const projects = await fetch(`${apiUrl}/api/v1/projects`, { headers: { cookie } });
  assert.equal(projects.status, 200);
  const listed = (await projects.json()) as { projects: { name: string }[] };
  assert.deepEqual(
    listed.projects.map((project) => project.name),
    ['default'],
  );
  const registries = (await (
    await fetch(`${apiUrl}/api/v1/projects/${(listed.projects[0] as { id?: string }).id}/registries`, {
      headers: { cookie },
    })
  ).json()) as { registries: { name: string; hasCredentials: boolean }[] };
  assert.deepEqual(
    registries.registries.map((registry) => [registry.name, registry.hasCredentials]),
    [['local', true]],
  );
  assert.equal(JSON.stringify(registries).includes(defaultTestUser.password), false);
  // The changes the operator commands made on the database directly are in the audit log too.
  const audit = (await (
    await fetch(`${apiUrl}/api/v1/projects/${(listed.projects[0] as { id?: string }).id}/audit-events`, {
      headers: { cookie },
    })
  ).json()) as { events: { action: string; userName: string; address: string }[] };
  const local = audit.events.filter((event) => event.userName.startsWith('local:'));
  for (const action of ['registry.create', 'sync_task.start', 'scan_task.start', 'policy.set'])
    assert.ok(
      local.some((event) => event.action === action && event.address === 'local'),
      `${action} in ${JSON.stringify(audit.events.map((event) => event.action))}`,
    );
  assert.equal(JSON.stringify(audit).includes(defaultTestUser.password), false);
  const second = await runDrydock(['registry', 'list'], { env });
  assert.notEqual(second.code, 0);
  assert.match(second.stderr, /in use by process/);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  const afterStop = await runDrydock(['registry', 'list'], { env });
  assert.equal(afterStop.code, 0, afterStop.stderr);
});
