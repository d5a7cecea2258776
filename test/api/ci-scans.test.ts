import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { monthOf, startApiServer, type ApiServer } from '@drydock/server';
import { createApiToken, sessionCall, signInToApi } from '../harness/api-session.ts';
import { runDrydock, type CliResult } from '../harness/drydock-cli.ts';
import { buildTestImage, RegistryPusher } from '../harness/registry-push.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { startTestService, type TestService } from '../harness/service.ts';

/**
 * CI scans (`drydock image --server`): the real CLI scans an image of a real registry in a child
 * process and uploads its JSON report to a real service through the real API, with API tokens
 * created through the API. The upload is listed, billed once as a CI scan (a retry with the same
 * Idempotency-Key too), audited; a viewer's upload is refused and the CLI says so with exit 3.
 */

const adminPassword = 'admin-password-for-ci-scans';
const viewerPassword = 'viewer-password-for-ci-scans';
/** A GitHub token shape the built-in rules find; built here so no whole token sits in the source. */
const rawSecret = `ghp_${'Q7xZ'.repeat(9)}`;

let registry: TestRegistry;
let env: TestService;
let api: ApiServer;
let work: string;
let adminToken: string;
let adminFile: string;
let viewerFile: string;
let otherProjectId: string;
let reference: string;
const outputs: string[] = [];

/** A call with the admin's API token, as a script would make it. */
async function withToken(
  method: string,
  path: string,
  options: { readonly body?: string; readonly headers?: Readonly<Record<string, string>> } = {},
): Promise<{ readonly status: number; readonly headers: Headers; readonly json: Record<string, unknown> }> {
  const response = await fetch(`${api.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${adminToken}`,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

async function drydock(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const result = await runDrydock(['image', '--no-progress', ...args], {
    env: {
      DRYDOCK_CACHE_DIR: join(work, 'cache'),
      DATABASE_URL: '',
      DRYDOCK_SERVER: '',
      DRYDOCK_TOKEN: '',
      ...extraEnv,
    },
  });
  outputs.push(result.stdout, result.stderr);
  return result;
}

async function ciUsage(): Promise<number> {
  const usage = await withToken('GET', `/projects/${env.projectId}/usage?month=${monthOf(new Date())}`);
  assert.equal(usage.status, 200);
  return Number(usage.json['ciScans']);
}

before(async () => {
  registry = await startRegistry();
  const pusher = new RegistryPusher(registry);
  const image = await buildTestImage({
    layers: [{ 'etc/hello.txt': 'hello\n' }, { 'app/.env': `GITHUB_TOKEN=${rawSecret}\n` }],
  });
  await pusher.pushImage('ci/app', 'v1', image);
  reference = `${registry.host}/ci/app:v1`;

  env = await startTestService();
  api = await startApiServer({ service: env.service, port: 0, adminPassword, logger: false });
  const admin = await signInToApi(api.url, api.bootstrap?.userName ?? 'admin', adminPassword);
  adminToken = await createApiToken(admin, 'ci');
  const viewer = await sessionCall(admin, 'POST', '/users', { name: 'viewer', password: viewerPassword });
  await sessionCall(admin, 'PUT', `/projects/${env.projectId}/members/${String(viewer['id'])}`, {
    role: 'viewer',
  });
  const viewerSession = await signInToApi(api.url, 'viewer', viewerPassword);
  const viewerToken = await createApiToken(viewerSession, 'ci');
  otherProjectId = String((await sessionCall(admin, 'POST', '/projects', { name: 'other' }))['id']);

  work = await mkdtemp(join(tmpdir(), 'drydock-ci-scans-'));
  adminFile = join(work, 'admin-token');
  viewerFile = join(work, 'viewer-token');
  await writeFile(adminFile, `${adminToken}\n`);
  await writeFile(viewerFile, `${viewerToken}\n`);
  await chmod(adminFile, 0o600);
  await chmod(viewerFile, 0o600);
});

after(async () => {
  await api?.close();
  await env?.close();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('drydock image --server', () => {
  let uploadedId: string;
  let uploadedReport: unknown;

  it('scans, prints as without --server, uploads the report, and the service lists and bills it as ci', async () => {
    const before = await ciUsage();
    const result = await drydock([
      '-f',
      'json',
      '--server',
      api.url,
      '--token-file',
      adminFile,
      '--project',
      'default',
      reference,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout) as {
      images: { secrets?: { secret: string; severity: string }[] }[];
    };
    assert.equal(printed.images[0]?.secrets?.length, 1, 'the scan found the token');
    const line = /report uploaded as CI scan (\S+): (\S+)/.exec(result.stderr);
    assert.ok(line, result.stderr);
    uploadedId = line[1] ?? '';
    assert.equal(line[2], `${api.url}/projects/${env.projectId}/tasks?tab=ci&ciScan=${uploadedId}`);

    const listed = await withToken('GET', `/projects/${env.projectId}/ci-scans`);
    assert.equal(listed.status, 200);
    assert.equal(listed.json['total'], 1);
    const [scan] = listed.json['ciScans'] as Record<string, unknown>[];
    assert.ok(scan);
    assert.equal(scan['id'], uploadedId);
    assert.equal(scan['reference'], reference);
    assert.match(String(scan['digest']), /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(scan['platforms'], ['linux/amd64']);
    assert.equal((scan['riskCounts'] as { secret: number }).secret, 1);
    assert.equal(
      scan['riskLevel'],
      printed.images[0]?.secrets?.[0]?.severity,
      'the secret is the worst finding',
    );
    assert.equal(scan['uploadedBy'], api.bootstrap?.userName ?? 'admin');
    assert.equal(await ciUsage(), before + 1, 'one CI scan billed');

    const detail = await withToken('GET', `/projects/${env.projectId}/ci-scans/${uploadedId}`);
    assert.equal(detail.status, 200);
    uploadedReport = detail.json['report'];
    const stored = JSON.stringify(uploadedReport);
    assert.ok(!stored.includes(rawSecret), 'the stored report holds no raw secret');
    assert.ok(!stored.includes('fingerprint'), 'secret fingerprints are dropped');
    assert.deepEqual(
      (uploadedReport as { images: { secrets: { secret: string }[] }[] }).images[0]?.secrets[0]?.secret,
      printed.images[0]?.secrets?.[0]?.secret,
    );

    const download = await fetch(
      `${api.url}/api/v1/projects/${env.projectId}/ci-scans/${uploadedId}/report`,
      {
        headers: { authorization: `Bearer ${adminToken}` },
      },
    );
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-disposition') ?? '', /attachment; filename="drydock-ci-scan-/);
    assert.deepEqual(JSON.parse(await download.text()), uploadedReport);

    const audit = await withToken('GET', `/projects/${env.projectId}/audit-events`);
    const events = audit.json['events'] as { action: string; objectId: string }[];
    assert.ok(events.some((event) => event.action === 'ci_scan.upload' && event.objectId === uploadedId));
  });

  it('a retried upload with the same Idempotency-Key answers the first one and bills once', async () => {
    const before = await ciUsage();
    const body = JSON.stringify({ report: uploadedReport });
    const headers = { 'idempotency-key': 'pipeline-42-job-7' };
    const first = await withToken('POST', `/projects/${env.projectId}/ci-scans`, { body, headers });
    assert.equal(first.status, 201, JSON.stringify(first.json));
    const again = await withToken('POST', `/projects/${env.projectId}/ci-scans`, { body, headers });
    assert.equal(again.status, 201);
    assert.equal(again.json['id'], first.json['id']);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(await ciUsage(), before + 1);

    const other = structuredClone(uploadedReport) as { artifact: { name: string } };
    other.artifact.name = `${registry.host}/ci/other:v2`;
    const reused = await withToken('POST', `/projects/${env.projectId}/ci-scans`, {
      body: JSON.stringify({ report: other }),
      headers,
    });
    assert.equal(reused.status, 409);
    assert.equal(reused.json['code'], 'conflict');

    const filtered = await withToken('GET', `/projects/${env.projectId}/ci-scans?reference=CI/APP&limit=1`);
    assert.equal(filtered.json['total'], 2);
    assert.equal((filtered.json['ciScans'] as unknown[]).length, 1);
    const none = await withToken('GET', `/projects/${env.projectId}/ci-scans?reference=nothing%25`);
    assert.equal(none.json['total'], 0);
  });

  it('a viewer token is refused: 403, and the CLI keeps its output and exits 3 with upload_failed', async () => {
    const before = await ciUsage();
    const refused = await drydock(['-f', 'json', '--server', api.url, reference], {
      DRYDOCK_TOKEN: (await readFile(viewerFile, 'utf8')).trim(),
    });
    assert.equal(refused.code, 3, refused.stderr);
    assert.equal((JSON.parse(refused.stdout) as { images: unknown[] }).images.length, 1);
    assert.match(refused.stderr, /drydock: error \[upload_failed \(HTTP 403 forbidden\)\]/);

    // The gate's own status wins over the failed upload.
    const gated = await drydock([
      '--exit-code',
      '5',
      '--server',
      api.url,
      '--token-file',
      viewerFile,
      reference,
    ]);
    assert.equal(gated.code, 5, gated.stderr);
    assert.match(gated.stderr, /upload_failed/);
    assert.equal(await ciUsage(), before);
  });

  it('a server that cannot be reached is upload_failed with exit 3; a missing token fails before the scan', async () => {
    const closed = await drydock([
      '-f',
      'json',
      '--server',
      'http://127.0.0.1:9',
      '--token-file',
      adminFile,
      reference,
    ]);
    assert.equal(closed.code, 3, closed.stderr);
    assert.match(closed.stderr, /upload_failed \(no answer server_unreachable\)/);
    const noToken = await drydock(['-f', 'json', '--server', api.url, reference]);
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /\[server_options\]/);
    assert.equal(noToken.stdout, '', 'no scan without a token');
  });

  it('a malformed or unmasked report is 400, and a scan of another project is 404', async () => {
    const post = (body: unknown) =>
      withToken('POST', `/projects/${env.projectId}/ci-scans`, { body: JSON.stringify(body) });
    for (const body of [
      {},
      { report: {} },
      { report: uploadedReport, extra: true },
      { report: { ...(uploadedReport as object), images: [] } },
    ]) {
      const answer = await post(body);
      assert.equal(answer.status, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(answer.json['code'], 'invalid_request');
    }
    const unmasked = structuredClone(uploadedReport) as { images: { secrets: { secret: string }[] }[] };
    const secret = unmasked.images[0]?.secrets[0];
    assert.ok(secret);
    secret.secret = rawSecret;
    const refused = await post({ report: unmasked });
    assert.equal(refused.status, 400);
    assert.ok(!JSON.stringify(refused.json).includes(rawSecret), 'the answer does not echo the secret');
    const broken = await fetch(`${api.url}/api/v1/projects/${env.projectId}/ci-scans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: '{"report":',
    });
    assert.equal(broken.status, 400);

    const elsewhere = await withToken('GET', `/projects/${otherProjectId}/ci-scans/${uploadedId}`);
    assert.equal(elsewhere.status, 404);
    assert.equal(elsewhere.json['code'], 'not_found');
    const otherList = await withToken('GET', `/projects/${otherProjectId}/ci-scans`);
    assert.equal(otherList.json['total'], 0);
  });

  it('never prints the tokens', () => {
    for (const output of outputs) {
      assert.ok(!output.includes(adminToken));
    }
  });
});
