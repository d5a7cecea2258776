/** RegistryClient over TLS against the loopback fault server, with a throwaway self-signed certificate. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { RegistryClient } from './client.ts';
import {
  fakeServer,
  manifest,
  rejectsWith,
  sendManifest,
  sha256,
  signal,
  type FakeServer,
} from './fake-registry-server.ts';
import type { RegistryOptions } from './options.ts';

describe('TLS', () => {
  let dir: string;
  let server: FakeServer;
  let certPem: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drydock-tls-'));
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]);
    certPem = await readFile(join(dir, 'cert.pem'), 'utf8');
    server = await fakeServer({ key: await readFile(join(dir, 'key.pem'), 'utf8'), cert: certPem });
    server.handle = (_request, response) => sendManifest(response);
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects an unknown certificate with download_failed tls, not retried', async () => {
    const client = new RegistryClient(server.host, { scheme: 'https' });
    try {
      server.requests.length = 0;
      await rejectsWith(client.getManifest('a/b', 'v1', signal()), 'download_failed', 'tls');
    } finally {
      await client.close();
    }
  });

  it('trusts a custom CA, or skips verification when told to', async () => {
    for (const options of [{ caPem: certPem }, { skipTlsVerify: true }] satisfies RegistryOptions[]) {
      const client = new RegistryClient(server.host, { scheme: 'https', ...options });
      try {
        const result = await client.getManifest('a/b', 'v1', signal());
        assert.equal(result.digest, sha256(manifest));
      } finally {
        await client.close();
      }
    }
  });
});
