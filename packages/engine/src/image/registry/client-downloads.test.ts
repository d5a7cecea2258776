/**
 * RegistryClient downloads against the loopback fault server: stalled, truncated and aborted blobs,
 * size and digest checks, progress, and manifests through RegistryImageSource.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  blob,
  blobDigest,
  config,
  useFaultServer,
  manifest,
  readAll,
  rejectsWith,
  sendManifest,
  sha256,
  signal,
} from './fake-registry-server.ts';
import { RegistryImageSource } from './registry-source.ts';

describe('RegistryClient against a fault server', () => {
  const { server, client } = useFaultServer();

  it('fails a stalled blob within the body idle timeout', async () => {
    server.handle = (_request, response) => {
      response.writeHead(200, { 'content-length': blob.length, 'content-type': 'application/octet-stream' });
      response.write(blob.subarray(0, 1000)); // …and then nothing
    };
    const started = Date.now();
    const stream = await client({ timeouts: { bodyIdleMs: 300 } }).openBlob(
      'a/b',
      { digest: blobDigest, size: blob.length },
      signal(),
    );
    await rejectsWith(readAll(stream), 'download_failed', 'stalled');
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 250 && elapsed < 1000, `failed after ${elapsed} ms`);
  });

  it('does not take a slow consumer for a stalled download', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 3);
    server.handle = (_request, response) =>
      void response.writeHead(200, { 'content-length': big.length }).end(big);
    const stream = await client({ timeouts: { bodyIdleMs: 150 } }).openBlob(
      'a/b',
      { digest: sha256(big), size: big.length },
      signal(),
    );
    let total = 0;
    let first = true;
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (first) await new Promise((resolve) => setTimeout(resolve, 400));
      first = false;
    }
    assert.equal(total, big.length);
  });

  it('fails a truncated blob with download_failed', async () => {
    server.handle = (_request, response) => {
      response.writeHead(200, { 'content-length': blob.length, 'content-type': 'application/octet-stream' });
      response.write(blob.subarray(0, 5000), () => response.socket?.destroy());
    };
    await rejectsWith(
      readAll(await client().openBlob('a/b', { digest: blobDigest, size: blob.length }, signal())),
      'download_failed',
      'truncated',
    );
  });

  it('fails a blob shorter than its descriptor before streaming', async () => {
    server.handle = (_request, response) =>
      void response.writeHead(200, { 'content-length': 10 }).end(blob.subarray(0, 10));
    await rejectsWith(
      client().openBlob('a/b', { digest: blobDigest, size: blob.length }, signal()),
      'download_failed',
      'size_mismatch',
    );
  });

  it('aborts a download mid-body through the AbortSignal', async () => {
    server.handle = (_request, response) => {
      response.writeHead(200, { 'content-length': blob.length });
      response.write(blob.subarray(0, 64 * 1024)); // the rest never comes
    };
    const controller = new AbortController();
    const stream = await client().openBlob(
      'a/b',
      { digest: blobDigest, size: blob.length },
      controller.signal,
      () => controller.abort(),
    );
    await rejectsWith(readAll(stream), 'aborted');
  });

  it('reports progress and verifies a good blob', async () => {
    server.handle = (_request, response) =>
      void response.writeHead(200, { 'content-length': blob.length }).end(blob);
    let seen = 0;
    const bytes = await readAll(
      await client().openBlob('a/b', { digest: blobDigest, size: blob.length }, signal(), (n) => (seen += n)),
    );
    assert.equal(seen, blob.length);
    assert.deepEqual(bytes, blob);
  });

  it('catches manifests that differ from Docker-Content-Digest or from the digest pulled', async () => {
    server.handle = (_request, response) => sendManifest(response, manifest, sha256('something else'));
    await rejectsWith(client().getManifest('a/b', 'v1', signal()), 'download_failed', 'digest_mismatch');
    server.handle = (_request, response) => sendManifest(response, manifest, '');
    await rejectsWith(
      client().getManifest('a/b', sha256('other'), signal()),
      'download_failed',
      'digest_mismatch',
    );
    const fine = await client().getManifest('a/b', sha256(manifest), signal());
    assert.equal(fine.digest, sha256(manifest));
  });

  it('sends the Accept header listing OCI and Docker manifest types', async () => {
    server.handle = (_request, response) => sendManifest(response);
    server.requests.length = 0;
    await client().getManifest('a/b', 'v1', signal());
    const accept = server.requests[0]?.headers.accept ?? '';
    for (const type of [
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
    ]) {
      assert.ok(accept.includes(type), type);
    }
  });

  it('a manifest that is not JSON → malformed_image', async () => {
    const garbage = Buffer.from('<html>this is not a manifest</html>');
    server.handle = (_request, response) => sendManifest(response, garbage);
    const source = new RegistryImageSource(`${server.host}/a/b:v1`, { client: client() });
    await rejectsWith(source.describe(signal()), 'malformed_image', 'not_json');
  });

  it('serves a whole image: manifest, verified config and layer', async () => {
    server.handle = (request, response) => {
      if (request.url?.includes('/manifests/')) return sendManifest(response);
      if (request.url?.endsWith(sha256(config))) return void response.writeHead(200).end(config);
      if (request.url?.endsWith(blobDigest)) return void response.writeHead(200).end(blob);
      response.writeHead(404).end();
    };
    const source = new RegistryImageSource(`${server.host}/a/b:v1`, { client: client() });
    const image = await source.select(undefined, signal());
    assert.equal(image.metadata.layers[0]?.createdBy, 'ADD x /');
    assert.deepEqual(await readAll(await image.openLayer(0, signal())), blob);
    await rejectsWith(
      source.select({ os: 'linux', architecture: 'arm64' }, signal()),
      'not_found',
      'platform_not_found',
    );
  });
});
