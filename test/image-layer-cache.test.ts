/**
 * `drydock image --cache-dir`: a re-scan of an image reuses its analysed layers (no layer blob is
 * downloaded again) and reports exactly what the cold scan reported; a scan of another image on
 * the same base downloads only its own layer; a corrupt entry is a miss, never a failed scan.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ScanReport } from '@drydock/engine';
import { CountingProxy } from './harness/counting-proxy.ts';
import { runDrydock } from './harness/drydock-cli.ts';
import { buildTestImage, RegistryPusher, type TestImage } from './harness/registry-push.ts';
import { startRegistry, type TestRegistry } from './harness/registry.ts';

const osRelease = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n';
const baseLayer = {
  'etc/os-release': osRelease,
  'etc/alpine-release': '3.19.1\n',
  'lib/apk/db/installed':
    'P:zlib\nV:1.3.1-r0\nA:x86_64\no:zlib\nL:Zlib\n\nP:busybox\nV:1.36.1-r15\nA:x86_64\no:busybox\nL:GPL-2.0-only\n\n',
};
// A made-up token in the GitHub classic personal access token format (not a real credential).
const fakeToken = `ghp_${'Qw7Er2Ty9Ui4Op1As6Df3Gh8Jk5Lz0Xc2Vb4'}`;

let work: string;
let registry: TestRegistry;
let proxy: CountingProxy;
const images: Record<'first' | 'second', TestImage | undefined> = { first: undefined, second: undefined };

async function scan(tag: string, cacheDir: string): Promise<ScanReport> {
  const result = await runDrydock(
    [
      'image',
      '--no-progress',
      '--insecure',
      '--format',
      'json',
      '--cache-dir',
      cacheDir,
      `${new URL(proxy.url).host}/team/app:${tag}`,
    ],
    { env: { DRYDOCK_CACHE_DIR: join(work, 'empty-cache') } },
  );
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as ScanReport;
}

/** The blobs the scans since `mark` downloaded. */
function blobsFetchedSince(mark: number): string[] {
  return proxy.requests
    .slice(mark)
    .filter((request) => request.method === 'GET' && request.path.includes('/blobs/'))
    .map((request) => request.path.slice(request.path.lastIndexOf('/') + 1));
}

/** The report without what differs between any two scans: duration and whether a layer came from the cache. */
function comparable(report: ScanReport): unknown {
  return report.images.map(({ durationMs: _duration, layers, ...image }) => ({
    ...image,
    layers: layers.map(({ fromCache: _fromCache, ...layer }) => layer),
  }));
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-image-layer-cache-'));
  registry = await startRegistry();
  proxy = await CountingProxy.start(registry.url);
  const pusher = new RegistryPusher(registry);
  const appLayer = (name: string) => ({
    [`app/${name}/node_modules/lodash/package.json`]:
      '{"name":"lodash","version":"4.17.20","license":"MIT"}\n',
    [`app/${name}/.env`]: `GITHUB_TOKEN=${fakeToken}\n`,
  });
  images.first = await buildTestImage({ layers: [baseLayer, appLayer('first')] });
  images.second = await buildTestImage({ layers: [baseLayer, appLayer('second')] });
  await pusher.pushImage('team/app', 'first', images.first);
  await pusher.pushImage('team/app', 'second', images.second);
});

after(async () => {
  await proxy?.stop();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('drydock image --cache-dir', () => {
  it('re-scans from the cache without downloading a layer, with the same report', async () => {
    const cacheDir = join(work, 'cache-rescan');
    const layerDigests = (images.first?.layers ?? []).map((layer) => layer.digest);
    assert.equal(layerDigests.length, 2);
    let mark = proxy.requests.length;
    const cold = await scan('first', cacheDir);
    assert.deepEqual(
      layerDigests.filter((digest) => blobsFetchedSince(mark).includes(digest)),
      layerDigests,
      'the cold scan downloads both layers',
    );
    assert.ok((cold.images[0]?.packages ?? []).some((entry) => entry.name === 'lodash'));
    assert.equal(cold.images[0]?.secrets?.length, 1);
    assert.ok(!JSON.stringify(cold).includes(fakeToken), 'the secret is masked');

    mark = proxy.requests.length;
    const warm = await scan('first', cacheDir);
    assert.deepEqual(
      blobsFetchedSince(mark).filter((digest) => layerDigests.includes(digest)),
      [],
      'the warm scan downloads no layer',
    );
    assert.deepEqual(
      warm.images[0]?.layers.map((layer) => layer.fromCache),
      [true, true],
    );
    assert.deepEqual(comparable(warm), comparable(cold));
  });

  it('downloads only the layers it has not seen for another image on the same base', async () => {
    const cacheDir = join(work, 'cache-shared');
    await scan('first', cacheDir);
    const mark = proxy.requests.length;
    const second = await scan('second', cacheDir);
    const [base, own] = (images.second?.layers ?? []).map((layer) => layer.digest);
    const fetched = blobsFetchedSince(mark);
    assert.ok(own && fetched.includes(own), 'its own layer is downloaded');
    assert.ok(base && !fetched.includes(base), 'the shared base layer is not');
    assert.ok((second.images[0]?.packages ?? []).some((entry) => entry.name === 'busybox'));
  });

  it('treats a corrupt entry as a miss and scans the layer again', async () => {
    const cacheDir = join(work, 'cache-corrupt');
    const cold = await scan('first', cacheDir);
    for (const shard of await readdir(cacheDir)) {
      for (const name of await readdir(join(cacheDir, shard))) {
        await writeFile(join(cacheDir, shard, name), 'not a layer cache entry');
      }
    }
    const again = await scan('first', cacheDir);
    assert.deepEqual(comparable(again), comparable(cold));
  });

  it('rejects a --cache-max that is not a size', async () => {
    const result = await runDrydock([
      'image',
      '--cache-dir',
      join(work, 'unused'),
      '--cache-max',
      'lots',
      `${new URL(proxy.url).host}/team/app:first`,
    ]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid_option.*--cache-max/);
  });
});
