/**
 * Starts the real Debian `docker-registry` (distribution 2.8) on 127.0.0.1 for tests, in one of
 * three modes: no authentication, HTTP Basic with an htpasswd file (`htpasswd -Bbn`), or Bearer
 * tokens from the project's token server (scripts/services/token-server.ts, started in-process so
 * tests can count token requests). Each registry gets its own temporary storage directory with
 * deletes enabled, and a random instance id sent as a response header: readiness waits for *this*
 * process to answer (a port held by an old registry would otherwise look ready) and fails as soon
 * as the process dies.
 *
 * ```ts
 * const registry = await startRegistry({ auth: 'token' });
 * after(() => registry.stop());
 * // registry.host = '127.0.0.1:PORT' (a registry name for references), registry.url = 'http://127.0.0.1:PORT'
 * // registry.users[0] = { username: 'alice', password: 's3cret' }; registry.tokenServer?.stats().tokenRequests
 * ```
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import {
  generateTokenCertificate,
  startTokenServer,
  type TokenServer,
} from '../../scripts/services/token-server.ts';

export type RegistryAuth = 'none' | 'basic' | 'token';

export interface TestUser {
  readonly username: string;
  readonly password: string;
}

/** The user every authenticated test registry knows unless told otherwise. */
export const defaultTestUser: TestUser = { username: 'alice', password: 's3cret' };

export interface StartRegistryOptions {
  readonly auth?: RegistryAuth;
  /** Users of the basic or token registry; `[defaultTestUser]` when absent. */
  readonly users?: readonly TestUser[];
  /** Lifetime of the token server's tokens. */
  readonly tokenExpiresInSeconds?: number;
  /** Accept schema 1 manifest pushes (`compatibility.schema1.enabled`), to test that Drydock refuses them. */
  readonly schema1?: boolean;
  /** Milliseconds to wait for readiness. */
  readonly readyTimeoutMs?: number;
  /**
   * One `notifications.endpoints` entry: the registry posts its event envelopes to `url` with these
   * headers (e.g. `Authorization`), retrying a failed delivery after `backoffMs`.
   */
  readonly notifications?: RegistryNotificationEndpoint;
}

/** A notification endpoint of the registry's configuration (distribution's `notifications.endpoints`). */
export interface RegistryNotificationEndpoint {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Default 2000. */
  readonly timeoutMs?: number;
  /** Default 200. */
  readonly backoffMs?: number;
}

function notificationsYaml(endpoint: RegistryNotificationEndpoint | undefined): string[] {
  if (!endpoint) return [];
  const headers = Object.entries(endpoint.headers ?? {}).map(
    ([name, value]) => `${JSON.stringify(name)}: [${JSON.stringify(value)}]`,
  );
  return [
    'notifications:',
    '  endpoints:',
    '    - name: drydock-test',
    `      url: ${JSON.stringify(endpoint.url)}`,
    `      headers: {${headers.join(', ')}}`,
    `      timeout: ${endpoint.timeoutMs ?? 2000}ms`,
    '      threshold: 3',
    `      backoff: ${endpoint.backoffMs ?? 200}ms`,
  ];
}

export interface TestRegistry {
  readonly auth: RegistryAuth;
  /** `127.0.0.1:PORT`: the registry part of image references. */
  readonly host: string;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** The filesystem driver's root directory (blobs under `docker/registry/v2/blobs/sha256/xx/<hex>/data`). */
  readonly storageDir: string;
  readonly users: readonly TestUser[];
  /** The in-process token server of a `token` registry. */
  readonly tokenServer: TokenServer | undefined;
  readonly logFile: string;
  /** Stops the registry (and token server) and deletes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A crashed test must not leave registries behind.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** A port that was free a moment ago (the registry may still lose a race for it; startRegistry retries). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function htpasswdLines(users: readonly TestUser[]): Promise<string> {
  const run = promisify(execFile);
  const lines: string[] = [];
  for (const user of users) {
    const { stdout } = await run('htpasswd', ['-Bbn', user.username, user.password]);
    lines.push(stdout.trim());
  }
  return `${lines.join('\n')}\n`;
}

function configYaml(options: {
  readonly storageDir: string;
  readonly port: number;
  readonly instance: string;
  readonly auth: string;
  readonly schema1: boolean;
  readonly notifications?: RegistryNotificationEndpoint | undefined;
}): string {
  return [
    'version: 0.1',
    'log: {level: warn, accesslog: {disabled: true}}',
    'storage:',
    `  filesystem: {rootdirectory: "${options.storageDir}"}`,
    '  delete: {enabled: true}',
    '  maintenance: {uploadpurging: {enabled: false}}',
    'http:',
    `  addr: "127.0.0.1:${options.port}"`,
    `  secret: "${randomUUID()}"`,
    '  headers:',
    `    X-Drydock-Registry: ["${options.instance}"]`,
    ...(options.schema1 ? ['compatibility:', '  schema1: {enabled: true}'] : []),
    ...notificationsYaml(options.notifications),
    options.auth,
    '',
  ].join('\n');
}

async function waitUntilReady(
  child: ChildProcess,
  url: string,
  instance: string,
  logFile: string,
  timeoutMs: number,
): Promise<'ready' | 'port_taken'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      if (/address already in use/.test(log)) return 'port_taken';
      throw new Error(
        `docker-registry exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${log.slice(-2000)}`,
      );
    }
    try {
      const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.headers.get('x-drydock-registry') === instance) return 'ready';
    } catch {
      // not listening yet
    }
    await delay(25);
  }
  throw new Error(`docker-registry at ${url} not ready after ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const escalate = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(escalate);
}

export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  installExitHook();
  const auth = options.auth ?? 'none';
  const users = options.users ?? [defaultTestUser];
  const workDir = await mkdtemp(join(tmpdir(), `drydock-registry-${auth}-`));
  const storageDir = join(workDir, 'data');
  const logFile = join(workDir, 'registry.log');
  const configFile = join(workDir, 'config.yml');
  let tokenServer: TokenServer | undefined;
  try {
    let authYaml = '';
    if (auth === 'basic') {
      const htpasswd = join(workDir, 'htpasswd');
      await writeFile(htpasswd, await htpasswdLines(users), { mode: 0o600 });
      authYaml = ['auth:', `  htpasswd: {realm: drydock-test-realm, path: "${htpasswd}"}`].join('\n');
    } else if (auth === 'token') {
      const certificate = await generateTokenCertificate(workDir);
      tokenServer = await startTokenServer({
        keyPem: certificate.keyPem,
        certPem: certificate.certPem,
        users,
        ...(options.tokenExpiresInSeconds !== undefined
          ? { expiresInSeconds: options.tokenExpiresInSeconds }
          : {}),
      });
      authYaml = [
        'auth:',
        '  token:',
        `    realm: "${tokenServer.realm}"`,
        `    service: "${tokenServer.service}"`,
        `    issuer: "${tokenServer.issuer}"`,
        `    rootcertbundle: "${certificate.certFile}"`,
      ].join('\n');
    }

    for (let attempt = 0; attempt < 5; attempt += 1) {
      const port = await freePort();
      const instance = randomUUID();
      await writeFile(
        configFile,
        configYaml({
          storageDir,
          port,
          instance,
          auth: authYaml,
          schema1: options.schema1 ?? false,
          notifications: options.notifications,
        }),
      );
      const log = await open(logFile, 'w');
      const child = spawn('docker-registry', ['serve', configFile], { stdio: ['ignore', log.fd, log.fd] });
      await log.close();
      live.add(child);
      child.once('exit', () => live.delete(child));
      const url = `http://127.0.0.1:${port}`;
      let state: 'ready' | 'port_taken';
      try {
        state = await waitUntilReady(child, url, instance, logFile, options.readyTimeoutMs ?? 15_000);
      } catch (error) {
        await stopChild(child);
        throw error;
      }
      if (state === 'port_taken') {
        await stopChild(child);
        continue;
      }
      const server = tokenServer;
      let stopped = false;
      return {
        auth,
        host: `127.0.0.1:${port}`,
        url,
        port,
        storageDir,
        users,
        tokenServer: server,
        logFile,
        stop: async () => {
          if (stopped) return;
          stopped = true;
          await stopChild(child);
          await server?.close();
          await rm(workDir, { recursive: true, force: true });
        },
      };
    }
    throw new Error('docker-registry: no free port after 5 attempts');
  } catch (error) {
    await tokenServer?.close();
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

/** Starts one registry of each kind (in parallel). */
export async function startRegistries(
  options: Omit<StartRegistryOptions, 'auth'> = {},
): Promise<Readonly<Record<RegistryAuth, TestRegistry>>> {
  const [none, basic, token] = await Promise.all([
    startRegistry({ ...options, auth: 'none' }),
    startRegistry({ ...options, auth: 'basic' }),
    startRegistry({ ...options, auth: 'token' }),
  ]);
  return { none, basic, token };
}
