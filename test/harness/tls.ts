/**
 * A throwaway TLS identity for loopback test servers: a self-signed certificate for 127.0.0.1
 * made by `openssl`, so tests can check that clients refuse an unknown certificate, trust a given
 * CA, or skip verification when told to.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface TlsIdentity {
  readonly keyPem: string;
  /** Self-signed: the certificate is its own CA. */
  readonly certPem: string;
}

export async function selfSignedIdentity(): Promise<TlsIdentity> {
  const dir = await mkdtemp(join(tmpdir(), 'drydock-tls-'));
  try {
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
    return {
      keyPem: await readFile(join(dir, 'key.pem'), 'utf8'),
      certPem: await readFile(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
