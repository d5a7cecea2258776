/**
 * A loopback fault server for the RegistryClient tests: a tiny node:http(s) server that answers as
 * each test needs (429, 5xx, stalls, truncation, lies, redirects, TLS), so the failure paths run fast
 * and deterministically, plus the image bytes and helpers those tests share. Not imported by
 * production code; the real registry is exercised in test/registry-client.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { DrydockError, type FailureCode } from '../../util/errors.ts';
import { after, before } from 'node:test';
import { RegistryClient } from './client.ts';
import type { RegistryOptions } from './options.ts';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface FakeServer {
  readonly host: string;
  readonly url: string;
  readonly requests: IncomingMessage[];
  handle: Handler;
  close(): Promise<void>;
}

async function listen(
  server: Server,
  fake: { requests: IncomingMessage[]; handle: Handler },
): Promise<number> {
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    fake.requests.push(request);
    fake.handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

/** Starts a fake registry on a free loopback port, over HTTPS when given a key and certificate; it answers 500 until `handle` is set. */
export async function fakeServer(tls?: { key: string; cert: string }): Promise<FakeServer> {
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }) : createHttpServer();
  const fake = {
    requests: [] as IncomingMessage[],
    handle: ((_request, response) => {
      response.writeHead(500).end();
    }) as Handler,
  };
  const port = await listen(server, fake);
  const host = `127.0.0.1:${port}`;
  return Object.assign(fake, {
    host,
    url: `${tls ? 'https' : 'http'}://${host}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** The `sha256:<hex>` digest of some bytes. */
export const sha256 = (bytes: Buffer | string): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
/** A layer blob and the image config and manifest that reference it. */
export const blob = Buffer.alloc(256 * 1024, 7);
export const blobDigest = sha256(blob);

export const config = Buffer.from(
  JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [sha256('tar')] },
    history: [{ created_by: 'ADD x /' }],
  }),
);
export const manifest = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: sha256(config),
      size: config.length,
    },
    layers: [
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: blobDigest, size: blob.length },
    ],
  }),
);

/** Answers with a manifest, its Docker-Content-Digest and media type. */
export function sendManifest(
  response: ServerResponse,
  bytes: Buffer = manifest,
  digest = sha256(bytes),
  type = 'application/vnd.oci.image.manifest.v1+json',
): void {
  response
    .writeHead(200, { 'content-type': type, 'docker-content-digest': digest, 'content-length': bytes.length })
    .end(bytes);
}

/** Sleeps recorded instead of slept. */
export function fakeTime(start = Date.parse('2026-01-01T00:00:00Z')): {
  now: number;
  sleeps: number[];
  options: Pick<RegistryOptions, 'clock' | 'sleep' | 'random'>;
} {
  const state = {
    now: start,
    sleeps: [] as number[],
    options: {} as Pick<RegistryOptions, 'clock' | 'sleep' | 'random'>,
  };
  state.options = {
    clock: () => state.now,
    sleep: async (ms: number, signal: AbortSignal) => {
      signal.throwIfAborted();
      state.sleeps.push(ms);
      state.now += ms;
    },
    random: () => 0.5,
  };
  return state;
}

/** Reads a stream to the end. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Asserts that a promise rejects with a DrydockError of this code (and reason), and returns it. */
export async function rejectsWith(
  promise: Promise<unknown>,
  code: FailureCode,
  reason?: string,
): Promise<DrydockError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DrydockError, `expected a DrydockError, got ${String(error)}`);
    assert.equal(error.code, code, `${error.message} (${error.reason})`);
    if (reason !== undefined) assert.equal(error.reason, reason, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

/** A generous per-test abort signal. */
export const signal = (): AbortSignal => AbortSignal.timeout(10_000);

/**
 * Registers, in the calling suite, a fake server started before its tests and closed after them,
 * with every client made through `client` (fast retries by default). `server` delegates to the
 * running server, so tests set `server.handle` as usual.
 */
export function useFaultServer(): {
  readonly server: FakeServer;
  client(options?: RegistryOptions): RegistryClient;
} {
  let started: FakeServer | undefined;
  const clients: RegistryClient[] = [];
  const current = (): FakeServer => {
    if (!started) throw new Error('the fake server starts in before()');
    return started;
  };
  const server: FakeServer = {
    get host() {
      return current().host;
    },
    get url() {
      return current().url;
    },
    get requests() {
      return current().requests;
    },
    get handle() {
      return current().handle;
    },
    set handle(handler: Handler) {
      current().handle = handler;
    },
    close: () => current().close(),
  };
  before(async () => {
    started = await fakeServer();
  });
  after(async () => {
    await Promise.all(clients.map((made) => made.close()));
    await started?.close();
  });
  return {
    server,
    client(options: RegistryOptions = {}): RegistryClient {
      const made = new RegistryClient(current().host, {
        retries: { baseDelayMs: 10, maxDelayMs: 50 },
        ...options,
      });
      clients.push(made);
      return made;
    },
  };
}
