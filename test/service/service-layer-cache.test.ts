/**
 * The layer cache end to end on the service: images pushed to a real registry behind a counting
 * proxy, scanned by the service's workers. A re-scan downloads none of the layers analysed before
 * and stores the same report; an image built on the same base layer downloads only its own layer.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eicarTestString, type ImageReport } from '@drydock/engine';
import { unpackReport } from '../../packages/server/src/store/packed-report.ts';
import { CountingProxy } from '../harness/counting-proxy.ts';
import { buildTestImage, RegistryPusher, type TestImage } from '../harness/registry-push.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { runTaskToEnd, startTestService, type TestService, connectRegistry } from '../harness/service.ts';

// A made-up credential in the format the GitLab rule follows (not a real one).
const gitlabToken = 'glpat-Ab3dE5gH7jK9mN1pQ3sT';

const baseLayer = {
  'etc/os-release': 'ID=alpine\nNAME="Alpine Linux"\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n',
  'lib/apk/db/installed':
    'P:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\no:musl\nF:lib\nR:ld-musl-x86_64.so.1\n\n' +
    'P:busybox\nV:1.36.1-r29\nA:x86_64\nL:GPL-2.0-only\no:busybox\nF:bin\nR:busybox\n\n',
  'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nbob:x:1000:1000::/home/bob:/bin/sh\n',
  'etc/shadow': 'root:*:19000:0:99999:7:::\nbob::19000:0:99999:7:::\n',
  'etc/base.env': `GITLAB_TOKEN=${gitlabToken}\n`,
  'opt/tools/eicar.com': eicarTestString,
};

function appLayer(name: string): Record<string, string> {
  return {
    [`srv/${name}/package.json`]: JSON.stringify({
      name,
      version: '1.0.0',
      dependencies: { leftpad: '^1.0.0' },
    }),
    [`srv/${name}/node_modules/leftpad/package.json`]: JSON.stringify({
      name: 'leftpad',
      version: '1.3.0',
      license: 'MIT',
    }),
  };
}

let registry: TestRegistry;
let proxy: CountingProxy;
let env: TestService;
let web: TestImage;
let api: TestImage;

before(async () => {
  registry = await startRegistry();
  web = await buildTestImage({ layers: [baseLayer, appLayer('web')] });
  api = await buildTestImage({ layers: [baseLayer, appLayer('api')] });
  assert.equal(web.layers[0]?.digest, api.layers[0]?.digest, 'the two images share their base layer blob');
  await new RegistryPusher(registry).pushImage('apps/web', '1', web);
  proxy = await CountingProxy.start(registry.url);
  env = await startTestService();
  await connectRegistry(env, proxy.url);
});
after(async () => {
  await env?.close();
  await proxy?.stop();
  await registry?.stop();
});

/** Scans every image of the project; returns each image's stored report by repository. */
async function scanAll(): Promise<Map<string, ImageReport>> {
  const { service, projectId } = env;
  const task = await service.tasks.start(
    projectId,
    { scope: { kind: 'all' }, riskTypes: ['secret', 'malware', 'baseline', 'compliance'], acceptFee: true },
    'tester',
  );
  const final = await runTaskToEnd(service, projectId, task.id);
  assert.equal(final.counts.failed, 0);
  const rows = await service.db
    .selectFrom('scanResult')
    .innerJoin('repositoryImage', 'repositoryImage.id', 'scanResult.imageId')
    .select(['repositoryImage.repository', 'scanResult.report'])
    .where('scanResult.taskId', '=', task.id)
    .execute();
  return new Map(rows.map((row) => [row.repository, unpackReport(row.report) as ImageReport]));
}

/** Blob downloads of these layers since request number `from`. */
function layerDownloads(image: TestImage, from: number): number[] {
  const requests = proxy.requests.slice(from).filter((entry) => entry.method === 'GET');
  return image.layers.map(
    (layer) => requests.filter((entry) => entry.path.endsWith(`/blobs/${layer.digest}`)).length,
  );
}

/** A stored report less what two scans of one image may differ in: the duration and the cache marks. */
function comparable(report: ImageReport | undefined): unknown {
  assert.ok(report);
  const { durationMs: _, ...rest } = report;
  return { ...rest, layers: report.layers.map(({ fromCache: _cached, ...layer }) => layer) };
}

test('a re-scan and an image on the same base layer reuse the analysed layers', async () => {
  const { service, projectId } = env;
  let mark = proxy.requests.length;
  const first = await scanAll();
  assert.deepEqual(layerDownloads(web, mark), [1, 1]);
  const firstWeb = first.get('apps/web');
  assert.ok(firstWeb);
  assert.ok(firstWeb.layers.every((layer) => layer.fromCache === undefined));
  // The report holds something from every analysis the cache must carry over.
  assert.ok(firstWeb.packages.some((pkg) => pkg.name === 'musl'));
  assert.ok(firstWeb.packages.some((pkg) => pkg.name === 'leftpad'));
  assert.ok(firstWeb.secrets?.some((finding) => finding.path === 'etc/base.env'));
  assert.ok(firstWeb.malware?.some((finding) => finding.path === 'opt/tools/eicar.com'));
  assert.ok(firstWeb.baseline?.checks.some((check) => check.result === 'fail'));
  assert.ok(firstWeb.files.files > 0);

  mark = proxy.requests.length;
  const second = await scanAll();
  assert.deepEqual(layerDownloads(web, mark), [0, 0], 'the re-scan downloads no layer');
  const secondWeb = second.get('apps/web');
  assert.ok(secondWeb?.layers.every((layer) => layer.fromCache === true));
  assert.deepEqual(comparable(secondWeb), comparable(firstWeb));

  // A new image on the same base layer: only its own layer is downloaded.
  await new RegistryPusher(registry).pushImage('apps/api', '1', api);
  await service.sync.sync(projectId, { trigger: 'manual' });
  mark = proxy.requests.length;
  const third = await scanAll();
  assert.deepEqual(layerDownloads(api, mark), [0, 1]);
  assert.deepEqual(layerDownloads(web, mark), [0, 0]);
  const apiReport = third.get('apps/api');
  assert.ok(apiReport);
  assert.deepEqual(
    apiReport.layers.map((layer) => layer.fromCache ?? false),
    [true, false],
  );
  const musl = apiReport.packages.find((pkg) => pkg.name === 'musl');
  assert.equal(musl?.layer.index, 0);
  assert.ok(apiReport.packages.some((pkg) => pkg.name === 'leftpad' && pkg.layer.index === 1));
  assert.deepEqual(
    apiReport.secrets?.map((finding) => finding.path),
    firstWeb.secrets?.map((finding) => finding.path),
  );
  assert.deepEqual(apiReport.malware, firstWeb.malware);
  // The same base layer and configuration: the same baseline, but for the check that names the image.
  const checksOf = (report: ImageReport) =>
    report.baseline?.checks.filter((check) => check.id !== 'drydock-image-tag-latest');
  assert.deepEqual(checksOf(apiReport), checksOf(firstWeb));
  assert.deepEqual(comparable(third.get('apps/web')), comparable(firstWeb));

  const cached = await service.db.selectFrom('layerCache').select(['key', 'size']).execute();
  assert.equal(cached.length, 5, 'the base layer once, each image layer of its own, and each image');
  assert.ok(cached.every((row) => row.size > 0));
});
