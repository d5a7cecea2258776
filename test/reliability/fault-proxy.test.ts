import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FaultPlan, faultKinds, parseRegistryRead, type FaultKind } from '../harness/fault-plan.ts';
import { FaultProxy, type FaultProxyOptions } from '../harness/fault-proxy.ts';
import { buildTestImage, RegistryPusher, sha256, type TestImage } from '../harness/registry-push.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';

/**
 * The fault proxy in front of a real registry: each kind does what it says to the bytes, the
 * injections follow the configured rates, and the same seed gives the same faults.
 */
let registry: TestRegistry;
let image: TestImage;
let other: TestImage;
const proxies: FaultProxy[] = [];

before(async () => {
  registry = await startRegistry();
  const pusher = new RegistryPusher(registry);
  image = await buildTestImage({ layers: [{ 'srv/a.txt': 'a'.repeat(4000) }] });
  other = await buildTestImage({ layers: [{ 'srv/b.txt': 'b'.repeat(3000) }] });
  await pusher.pushImage('fault/app', 'one', image);
  await pusher.pushImage('fault/app', 'two', other);
});
after(async () => {
  for (const proxy of proxies) await proxy.stop();
  await registry?.stop();
});

async function proxyWith(options: FaultProxyOptions): Promise<FaultProxy> {
  const proxy = await FaultProxy.start(registry.url, options);
  proxies.push(proxy);
  return proxy;
}

function blobUrl(proxy: FaultProxy, digest: string): string {
  return `${proxy.url}/v2/fault/app/blobs/${digest}`;
}

function manifestUrl(proxy: FaultProxy, reference: string): string {
  return `${proxy.url}/v2/fault/app/manifests/${reference}`;
}

const manifestAccept = { accept: 'application/vnd.oci.image.manifest.v1+json' };

describe('each kind at rate 1', () => {
  test('server_error answers 500 and rate_limited 429 with Retry-After, to manifests and blobs alike', async () => {
    const failing = await proxyWith({ seed: 1, rates: { server_error: 1 } });
    const blob = await fetch(blobUrl(failing, image.layers[0]?.digest ?? ''));
    assert.equal(blob.status, 500);
    await blob.arrayBuffer();
    const head = await fetch(manifestUrl(failing, 'one'), { method: 'HEAD', headers: manifestAccept });
    assert.equal(head.status, 500);
    const limited = await proxyWith({ seed: 1, rates: { rate_limited: 1 }, retryAfterSeconds: 3 });
    const answer = await fetch(manifestUrl(limited, 'one'), { headers: manifestAccept });
    assert.equal(answer.status, 429);
    assert.equal(answer.headers.get('retry-after'), '3');
    assert.match(await answer.text(), /TOOMANYREQUESTS/);
    assert.deepEqual(failing.counts(), { ...zeroCounts(), server_error: 2 });
    assert.deepEqual(limited.counts(), { ...zeroCounts(), rate_limited: 1 });
    // The API root is no read: never a fault.
    assert.equal((await fetch(`${failing.url}/v2/`)).status, 200);
  });

  test('corrupt flips one byte of a blob and keeps its length', async () => {
    const proxy = await proxyWith({ seed: 2, rates: { corrupt: 1 } });
    const layer = image.layers[0];
    assert.ok(layer);
    const answer = await fetch(blobUrl(proxy, layer.digest));
    assert.equal(answer.status, 200);
    const bytes = Buffer.from(await answer.arrayBuffer());
    assert.equal(bytes.length, layer.bytes.length);
    assert.notEqual(sha256(bytes), layer.digest);
    const differing = [...bytes].filter((byte, index) => byte !== layer.bytes[index]).length;
    assert.equal(differing, 1);
    // A manifest is never corrupted: only blob bodies are.
    const manifest = await fetch(manifestUrl(proxy, image.manifest.digest), { headers: manifestAccept });
    assert.equal(sha256(Buffer.from(await manifest.arrayBuffer())), image.manifest.digest);
    assert.equal(proxy.counts().corrupt, 1);
  });

  test("wrong_digest serves another blob's bytes, and a manifest that is not its digest", async () => {
    const proxy = await proxyWith({ seed: 3, rates: { wrong_digest: 1 } });
    const first = image.layers[0];
    const second = other.layers[0];
    assert.ok(first && second);
    // The first answer has no other blob to swap in yet: its bytes get one more.
    const lone = Buffer.from(await (await fetch(blobUrl(proxy, first.digest))).arrayBuffer());
    assert.deepEqual(lone, Buffer.concat([first.bytes, Buffer.from([0])]));
    const swapped = Buffer.from(await (await fetch(blobUrl(proxy, second.digest))).arrayBuffer());
    assert.deepEqual(swapped, first.bytes);
    const manifest = await fetch(manifestUrl(proxy, image.manifest.digest), { headers: manifestAccept });
    assert.equal(manifest.headers.get('docker-content-digest'), image.manifest.digest);
    const bytes = Buffer.from(await manifest.arrayBuffer());
    assert.notEqual(sha256(bytes), image.manifest.digest);
    assert.deepEqual(JSON.parse(bytes.toString('utf8')), JSON.parse(image.manifest.bytes.toString('utf8')));
    assert.equal(proxy.counts().wrong_digest, 3);
  });

  test('drop sends the headers and part of the body, then closes the connection', async () => {
    const proxy = await proxyWith({ seed: 4, rates: { drop: 1 } });
    const layer = image.layers[0];
    assert.ok(layer);
    const answer = await fetch(blobUrl(proxy, layer.digest));
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-length'), String(layer.bytes.length));
    await assert.rejects(answer.arrayBuffer(), /terminated/);
    assert.equal(proxy.counts().drop, 1);
  });

  test('stall holds a blob body (or a manifest before its headers) until the client gives up', async () => {
    const proxy = await proxyWith({ seed: 5, rates: { stall: 1 } });
    const layer = image.layers[0];
    assert.ok(layer);
    const controller = new AbortController();
    const answer = await fetch(blobUrl(proxy, layer.digest), { signal: controller.signal });
    assert.equal(answer.status, 200);
    const body = answer.arrayBuffer();
    assert.equal(proxy.heldResponses, 1);
    controller.abort();
    await assert.rejects(body, { name: 'AbortError' });
    await waitFor(() => proxy.heldResponses === 0);

    const manifest = fetch(manifestUrl(proxy, 'one'), {
      headers: manifestAccept,
      signal: AbortSignal.timeout(300),
    });
    await assert.rejects(manifest, { name: 'TimeoutError' });
    await waitFor(() => proxy.heldResponses === 0);
    assert.equal(proxy.counts().stall, 2);
  });

  test('a bounded stall passes the answer on intact afterwards', async () => {
    const proxy = await proxyWith({ seed: 6, rates: { stall: 1 }, stallMs: 50 });
    const layer = image.layers[0];
    assert.ok(layer);
    const bytes = Buffer.from(await (await fetch(blobUrl(proxy, layer.digest))).arrayBuffer());
    assert.equal(sha256(bytes), layer.digest);
    const manifest = await fetch(manifestUrl(proxy, image.manifest.digest), { headers: manifestAccept });
    assert.equal(sha256(Buffer.from(await manifest.arrayBuffer())), image.manifest.digest);
  });
});

describe('rates and seeds', () => {
  const rates = {
    drop: 0.1,
    stall: 0.1,
    server_error: 0.1,
    rate_limited: 0.1,
    corrupt: 0.1,
    wrong_digest: 0.1,
  };

  test('a plan injects each kind at its rate among the reads it applies to', () => {
    const plan = new FaultPlan(42, rates);
    const counts = new Map<FaultKind | undefined, number>();
    const draws = 20_000;
    for (let index = 0; index < draws; index += 1) {
      const path = `/v2/app/blobs/sha256:${index}`;
      const read = parseRegistryRead('GET', path);
      assert.ok(read);
      const { kind } = plan.decide(read, path);
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    // Binomial(20000, 0.1): mean 2000, standard deviation 42; 5 deviations either side.
    for (const kind of faultKinds) {
      const count = counts.get(kind) ?? 0;
      assert.ok(count > 1790 && count < 2210, `${kind}: ${count}`);
    }
    // HEAD reads carry no body: only the kinds that need none apply.
    const head = parseRegistryRead('HEAD', '/v2/app/manifests/latest');
    assert.ok(head);
    for (let index = 0; index < 2000; index += 1) {
      const { kind } = plan.decide(head, '/v2/app/manifests/latest');
      assert.ok(kind === undefined || ['stall', 'server_error', 'rate_limited'].includes(kind), kind);
    }
    assert.throws(() => new FaultPlan(1, { drop: 0.7, stall: 0.7 }), RangeError);
    assert.throws(() => new FaultPlan(1, { drop: -0.1 }), RangeError);
  });

  test('a decision depends on the seed and the request, not on the order requests arrive in', () => {
    const paths = Array.from({ length: 300 }, (_, index) => `/v2/app/blobs/sha256:${index % 100}`);
    const decideAll = (seed: number, order: readonly string[]): Map<string, (FaultKind | undefined)[]> => {
      const plan = new FaultPlan(seed, rates);
      const byPath = new Map<string, (FaultKind | undefined)[]>();
      for (const path of order) {
        const read = parseRegistryRead('GET', path);
        assert.ok(read);
        byPath.set(path, [...(byPath.get(path) ?? []), plan.decide(read, path).kind]);
      }
      return byPath;
    };
    const forward = decideAll(7, paths);
    assert.deepEqual(decideAll(7, [...paths].reverse()), forward);
    assert.notDeepEqual(decideAll(8, paths), forward);
  });

  test('the proxy injects exactly what its plan decides, the same for the same seed', async () => {
    const gentle = { ...rates, stall: 0 };
    const run = async (seed: number): Promise<string[]> => {
      const proxy = await proxyWith({ seed, rates: gentle, retryAfterSeconds: 0 });
      const digests = [image.config, ...image.layers, other.config, ...other.layers].map(
        (blob) => blob.digest,
      );
      for (let round = 0; round < 25; round += 1) {
        for (const digest of digests) {
          // A drop fails the body: the exchange still counts.
          await fetch(blobUrl(proxy, digest))
            .then((answer) => answer.arrayBuffer())
            .catch(() => undefined);
        }
      }
      const plan = new FaultPlan(seed, gentle);
      const expected: string[] = [];
      for (let round = 0; round < 25; round += 1) {
        for (const digest of digests) {
          const path = `/v2/fault/app/blobs/${digest}`;
          const read = parseRegistryRead('GET', path);
          assert.ok(read);
          const { kind } = plan.decide(read, path);
          if (kind) expected.push(`${kind} ${path}`);
        }
      }
      const injected = proxy.injections.map((entry) => `${entry.kind} ${entry.path}`);
      assert.deepEqual(injected, expected);
      assert.equal(proxy.seen.reads, 100);
      return injected;
    };
    const first = await run(11);
    assert.ok(first.length > 20, `only ${first.length} faults in 100 reads at a total rate of 0.5`);
    assert.deepEqual(await run(11), first);
    assert.notDeepEqual(await run(12), first);
  });
});

function zeroCounts(): Record<FaultKind, number> {
  return Object.fromEntries(faultKinds.map((kind) => [kind, 0])) as Record<FaultKind, number>;
}

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
