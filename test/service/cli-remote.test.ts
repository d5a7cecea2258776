import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { monthOf, startApiServer, type ApiServer } from '@drydock/server';
import { createApiToken, sessionCall, signInToApi } from '../harness/api-session.ts';
import { runDrydock, type CliResult } from '../harness/drydock-cli.ts';
import { defaultTestUser, freePort, startRegistry, type TestRegistry } from '../harness/registry.ts';
import { startTestService, type TestService } from '../harness/service.ts';
import { pushManyImages } from './many-tags.ts';

/**
 * The service commands of the CLI against a running service through its HTTP API, as a script or
 * CI job would run them: a real registry, a service with workers ticking on their own, the real
 * API with the first admin, API tokens created through the API, and `drydock ... --server --token`
 * as child processes. Every JSON output is compared with what the service itself holds.
 */

const adminPassword = 'admin-password-for-cli-remote';
const viewerPassword = 'viewer-password-for-cli-remote';

let registry: TestRegistry;
let env: TestService;
let api: ApiServer;
let work: string;
let adminToken: string;
let viewerToken: string;
let tokenFile: string;
/** Every output of every CLI run, searched for the tokens and the registry password at the end. */
const outputs: string[] = [];

/** Runs the CLI and keeps its output for the final search for secrets. */
async function drydock(args: readonly string[], options: Parameters<typeof runDrydock>[1] = {}) {
  const result = await runDrydock(args, {
    ...options,
    // Neither a local database nor a server from the environment of the test run.
    env: { DATABASE_URL: '', DRYDOCK_SERVER: '', DRYDOCK_TOKEN: '', ...options.env },
  });
  outputs.push(result.stdout, result.stderr);
  return result;
}

function ok(result: CliResult): CliResult {
  assert.equal(result.code, 0, `exit ${result.code}\n${result.stderr}\n${result.stdout}`);
  return result;
}

/** A value as it reads after JSON (dates as ISO strings), to compare with the CLI's JSON output. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

before(async () => {
  registry = await startRegistry({ auth: 'basic' });
  await pushManyImages(registry, 'remote/app', 3);
  // The service dispatches on its own timer, as `drydock serve` does: the CLI only reads the task.
  env = await startTestService({ tickMs: 100 });
  api = await startApiServer({ service: env.service, port: 0, adminPassword, logger: false });
  const admin = await signInToApi(api.url, api.bootstrap?.userName ?? 'admin', adminPassword);
  adminToken = await createApiToken(admin, 'cli');

  const viewer = await sessionCall(admin, 'POST', '/users', { name: 'viewer', password: viewerPassword });
  await sessionCall(admin, 'PUT', `/projects/${env.projectId}/members/${String(viewer['id'])}`, {
    role: 'viewer',
  });
  viewerToken = await createApiToken(await signInToApi(api.url, 'viewer', viewerPassword), 'viewer-cli');

  work = await mkdtemp(join(tmpdir(), 'drydock-cli-remote-'));
  tokenFile = join(work, 'token');
  await writeFile(tokenFile, `${adminToken}\n`);
  await chmod(tokenFile, 0o600);
});

after(async () => {
  await api?.close();
  await env?.close();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * A two-hour window that starts six hours from now in `timeZone`: never open while the test runs,
 * so the service does not start the policy's run and its `nextRunAt` stays one instant (while a run
 * is due, it is the time of each read).
 */
function windowAwayFromNow(timeZone: string): { windowStart: string; windowEnd: string } {
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()),
  );
  const at = (offset: number) => `${String((hour + offset) % 24).padStart(2, '0')}:00`;
  return { windowStart: at(6), windowEnd: at(8) };
}

test('registry, sync, images, scan, task, policy and usage through the API print what the service holds', async () => {
  const { service } = env;
  const projectId = env.projectId;
  const remote = ['--server', api.url, '--token-file', tokenFile];

  const added = ok(
    await drydock(
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
        ...remote,
      ],
      { input: `${defaultTestUser.password}\n` },
    ),
  );
  const connection = JSON.parse(added.stdout) as { id: string; status: string; hasCredentials: boolean };
  assert.equal(connection.status, 'ok');
  assert.equal(connection.hasCredentials, true);
  assert.deepEqual(connection, plain(await service.connections.get(projectId, connection.id)));

  // The server and token from the environment, as a CI job sets them.
  const listed = ok(
    await drydock(['registry', 'list', '-f', 'json'], {
      env: { DRYDOCK_SERVER: `${api.url}/`, DRYDOCK_TOKEN: adminToken },
    }),
  );
  assert.deepEqual(JSON.parse(listed.stdout), plain(await service.connections.list(projectId)));

  const tested = ok(await drydock(['registry', 'test', 'local', '--server', api.url, '--token', adminToken]));
  assert.match(tested.stdout, /^ok: /);

  const synced = ok(await drydock(['sync', '-f', 'json', ...remote]));
  const sync = JSON.parse(synced.stdout) as { id: string; status: string; counts: { added: number } };
  assert.equal(sync.status, 'finished', synced.stdout);
  assert.equal(sync.counts.added, 3);
  assert.deepEqual(sync, plain(await service.sync.get(projectId, sync.id)));

  const scanned = ok(
    await drydock([
      'scan',
      '--all',
      '--risk-types',
      'secret,malware',
      '--accept-fee',
      '--wait',
      '-f',
      'json',
      ...remote,
    ]),
  );
  const task = JSON.parse(scanned.stdout) as { id: string; status: string; counts: { succeeded: number } };
  assert.equal(task.status, 'finished', scanned.stdout);
  assert.equal(task.counts.succeeded, 3);
  assert.deepEqual(task, plain(await service.tasks.get(projectId, task.id)));

  // Reads do not depend on each other: run them at once.
  const [images, tasks, shown, shownTable, usage] = await Promise.all([
    drydock(['images', '-f', 'json', ...remote]),
    drydock(['task', 'list', '--type', 'manual', '-f', 'json', ...remote]),
    drydock(['task', 'show', task.id.slice(0, 8), '-f', 'json', ...remote]),
    drydock(['task', 'show', task.id.slice(0, 8), ...remote]),
    drydock(['usage', '-f', 'json', ...remote]),
  ]);
  const page = JSON.parse(ok(images).stdout) as { total: number; images: { scanStatus: string }[] };
  assert.equal(page.total, 3);
  assert.ok(page.images.every((image) => image.scanStatus === 'succeeded'));
  const held = await service.images(projectId, {}, { limit: 1000 });
  assert.deepEqual(page, plain({ total: held.total, images: held.images }));

  assert.deepEqual(
    JSON.parse(ok(tasks).stdout),
    plain(await service.tasks.list(projectId, { type: 'manual' })),
  );
  const detail = JSON.parse(ok(shown).stdout) as { id: string; images: unknown[] };
  assert.equal(detail.id, task.id);
  assert.deepEqual(detail.images, plain(await service.tasks.images(task.id, { failedOnly: false })));
  assert.match(ok(shownTable).stdout, /remote\/app:t0/);
  assert.deepEqual(
    JSON.parse(ok(usage).stdout),
    plain(await service.meter.usage(service.db, projectId, monthOf(service.clock.now()))),
  );
  assert.equal((JSON.parse(usage.stdout) as { repositoryScans: number }).repositoryScans, 3);

  const { windowStart, windowEnd } = windowAwayFromNow('Europe/Berlin');
  const policySet = ok(
    await drydock([
      'policy',
      'set',
      '--enable',
      '--every',
      '3',
      '--window',
      `${windowStart}-${windowEnd}`,
      '--time-zone',
      'Europe/Berlin',
      '--updated-within',
      '7',
      '--registry',
      'local',
      '-f',
      'json',
      ...remote,
    ]),
  );
  const policy = JSON.parse(policySet.stdout) as Record<string, unknown>;
  assert.deepEqual(
    [policy['periodDays'], policy['windowStart'], policy['timeZone'], policy['connectionIds']],
    [3, windowStart, 'Europe/Berlin', [connection.id]],
  );
  assert.deepEqual(policy, plain(await service.policies.get(projectId)));
  const [policyShown, badPolicy] = await Promise.all([
    drydock(['policy', 'show', '-f', 'json', ...remote]),
    drydock(['policy', 'set', '--every', '45', ...remote]),
  ]);
  assert.deepEqual(JSON.parse(ok(policyShown).stdout), policy);
  assert.equal(badPolicy.code, 2);
  assert.match(badPolicy.stderr, /\[invalid_request\]/);
  assert.match(badPolicy.stderr, /periodDays/);

  const disabled = ok(await drydock(['policy', 'disable', '-f', 'json', ...remote]));
  assert.equal((JSON.parse(disabled.stdout) as { enabled: boolean }).enabled, false);
  assert.equal((await service.policies.get(projectId))?.enabled, false);

  const removed = ok(await drydock(['registry', 'remove', 'local', ...remote]));
  assert.equal(removed.stdout, 'removed local\n');
  assert.deepEqual(await service.connections.list(projectId), []);
  const gone = await drydock(['registry', 'test', 'local', ...remote]);
  assert.equal(gone.code, 2);
  assert.match(gone.stderr, /\[not_found\] registry connection local does not exist/);
});

test('a wrong token, a viewer, plain HTTP to another host and an unreachable server fail with a code and no token', async () => {
  const wrongToken = 'ddk_not-a-token-of-this-service';
  const closedPort = await freePort();
  const [wrong, viewerAdd, viewerList, clearText, unreachable, stray] = await Promise.all([
    drydock(['registry', 'list', '--server', api.url, '--token', wrongToken]),
    drydock([
      'registry',
      'add',
      'other',
      '--type',
      'registry',
      '--url',
      registry.url,
      '--server',
      api.url,
      '--token',
      viewerToken,
    ]),
    drydock(['registry', 'list', '-f', 'json', '--server', api.url, '--token', viewerToken]),
    drydock(['images', '--server', 'http://drydock.example.com', '--token', adminToken]),
    drydock(['images'], {
      env: { DRYDOCK_SERVER: `http://127.0.0.1:${closedPort}`, DRYDOCK_TOKEN: adminToken },
    }),
    drydock(['registry', 'list', '--token', adminToken]),
  ]);

  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /drydock: error \[unauthenticated\]/);
  assert.equal(wrong.stdout, '');
  assert.equal(`${wrong.stdout}${wrong.stderr}`.includes(wrongToken), false);

  assert.equal(viewerAdd.code, 2);
  assert.match(viewerAdd.stderr, /drydock: error \[forbidden\]/);
  assert.equal(ok(viewerList).stdout.trim().startsWith('['), true, 'a viewer lists registries');

  assert.equal(clearText.code, 2);
  assert.match(
    clearText.stderr,
    /\[server_options\] refusing to send the API token in clear text to http:\/\/drydock\.example\.com/,
  );

  assert.equal(unreachable.code, 2);
  assert.match(
    unreachable.stderr,
    new RegExp(
      `\\[server_unreachable\\] cannot reach the Drydock server at http://127\\.0\\.0\\.1:${closedPort}`,
    ),
  );

  assert.equal(stray.code, 2);
  assert.match(stray.stderr, /\[server_options\] --token and --token-file are the API token of --server/);
});

test('no output of any run holds a token or the registry password', () => {
  assert.ok(outputs.length > 20);
  for (const output of outputs) {
    assert.equal(output.includes(adminToken), false, 'the admin token was printed');
    assert.equal(output.includes(viewerToken), false, 'the viewer token was printed');
    assert.equal(output.includes(defaultTestUser.password), false, 'the registry password was printed');
  }
});
