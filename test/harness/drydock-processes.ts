import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { nodeFlags } from '../../packages/cli/bin/node-flags.js';
import { testCacheDir } from './isolated-cache.ts';
import { createInterface } from 'node:readline';
import { createApiToken, signInToApi } from './api-session.ts';
import { freePort } from './registry.ts';

/** The launcher users run: the CLI's bundle when it is current (setup builds it), else the sources. */
const cliEntry = join(import.meta.dirname, '..', '..', 'packages', 'cli', 'bin', 'drydock.js');

/** A `drydock serve` or `drydock worker` running as its own process, as an operator starts it. */
export interface DrydockProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:PORT` of its API (serve) or its probes (worker with a health port). */
  readonly url: string | undefined;
  /** What it wrote to standard error so far (warnings, the request log). */
  readonly stderr: () => string;
  /** Resolves with the exit code (or signal) once it has ended. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** SIGTERM and wait: running scans go back to the queue. */
  stop(): Promise<void>;
  /** SIGKILL and wait: a crash. */
  kill(): Promise<void>;
}

/**
 * Starts `drydock <role> ...args` with `env` added and waits for its "running" line; fails with
 * its standard error if it ends first or takes longer than `timeoutMs`.
 */
export async function startDrydockProcess(
  role: 'serve' | 'worker',
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  { timeoutMs = 60_000, url }: { readonly timeoutMs?: number; readonly url?: string } = {},
): Promise<DrydockProcess> {
  const child = spawn(process.execPath, [...nodeFlags, cliEntry, role, ...args], {
    env: {
      ...process.env,
      NO_COLOR: '1',
      DATABASE_URL: '',
      DRYDOCK_SERVER: '',
      DRYDOCK_TOKEN: '',
      DRYDOCK_CACHE_DIR: testCacheDir(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    // Bounded: a long run's request log is not kept whole.
    stderr = (stderr + chunk).slice(-200_000);
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'SIGKILL')),
  );
  const lines = createInterface({ input: child.stdout! });
  const running = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith(`drydock ${role}: running`)) resolve();
    });
    void exited.then((code) =>
      reject(new Error(`drydock ${role} ended (${code}) before running:\n${stderr}`)),
    );
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    await running;
  } finally {
    clearTimeout(timer);
  }
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    child,
    url,
    stderr: () => stderr,
    exited,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}

/** `drydock serve --workers 0` on PostgreSQL with its API on a free loopback port. */
export async function startServeProcess(options: {
  readonly databaseUrl: string;
  readonly secretKey: string;
  readonly dataDir: string;
  readonly adminPassword?: string;
  readonly extraArgs?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}): Promise<DrydockProcess> {
  const port = await freePort();
  return startDrydockProcess(
    'serve',
    [
      '--database',
      options.databaseUrl,
      '--workers',
      '0',
      '--listen',
      `127.0.0.1:${port}`,
      '--data-dir',
      options.dataDir,
      ...(options.extraArgs ?? []),
    ],
    {
      DRYDOCK_SECRET_KEY: options.secretKey,
      DRYDOCK_LOG_LEVEL: 'warn',
      ...(options.adminPassword ? { DRYDOCK_ADMIN_PASSWORD: options.adminPassword } : {}),
      ...options.env,
    },
    { url: `http://127.0.0.1:${port}` },
  );
}

/** `drydock worker` on PostgreSQL, with the service's vulnerability database when `server` is given. */
export async function startWorkerProcess(options: {
  readonly databaseUrl: string;
  readonly secretKey: string;
  readonly dataDir: string;
  readonly workers?: number;
  readonly server?: { readonly url: string; readonly tokenFile: string };
  readonly healthPort?: number;
  readonly extraArgs?: readonly string[];
}): Promise<DrydockProcess> {
  return startDrydockProcess(
    'worker',
    [
      '--database',
      options.databaseUrl,
      '--workers',
      String(options.workers ?? 1),
      '--data-dir',
      options.dataDir,
      ...(options.server ? ['--server', options.server.url, '--token-file', options.server.tokenFile] : []),
      ...(options.healthPort ? ['--health-listen', `127.0.0.1:${options.healthPort}`] : []),
      ...(options.extraArgs ?? []),
    ],
    { DRYDOCK_SECRET_KEY: options.secretKey },
    options.healthPort ? { url: `http://127.0.0.1:${options.healthPort}` } : {},
  );
}

/** Signs in as the first admin of a serve process and creates an API token. */
export async function createAdminToken(url: string, password: string, name = 'worker'): Promise<string> {
  return createApiToken(await signInToApi(url, 'admin', password), name);
}
