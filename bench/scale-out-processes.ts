/**
 * The `drydock serve` and `drydock worker` child processes of the scale-out benchmark
 * (bench/scale-out.ts), run as an operator runs them: the real CLI through tsx, configured by
 * flags and environment, each with its own data directory and log file. A `ProcessGroup` owns
 * them, so a failing round still ends every one of them (SIGTERM, then SIGKILL), and a crash of
 * the benchmark itself kills them on exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '../test/harness/registry.ts';
import { pidCpuSeconds } from './api-cpu.ts';

const cliEntry = join(import.meta.dirname, '..', 'packages', 'cli', 'src', 'main.ts');

export type DrydockRole = 'serve' | 'worker';

export interface DrydockProcess {
  readonly role: DrydockRole;
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** `http://127.0.0.1:PORT`: serve's API, or the worker's health probes (`--health-listen`). */
  readonly url: string;
  /** Seconds of CPU the process has used so far (utime + stime of /proc/PID/stat); 0 once it is gone. */
  cpuSeconds(): Promise<number>;
  /** Its peak resident memory so far in MB (VmHWM of /proc/PID/status); 0 once it is gone. */
  peakRssMb(): Promise<number>;
}

async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kilobytes = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
  return kilobytes / 1024;
}

export interface StartOptions {
  readonly role: DrydockRole;
  readonly name: string;
  readonly databaseUrl: string;
  /** DRYDOCK_SECRET_KEY: the same in every process, as it seals the registry credentials. */
  readonly secretKey: string;
  /** DRYDOCK_CACHE_DIR: where the vulnerability database is found. */
  readonly cacheDir: string;
  /** Scan slots in the process (`--workers`). */
  readonly workers: number;
}

/** Milliseconds a process may take to answer its readiness probe (tsx compiles the CLI first). */
const readyTimeoutMs = 120_000;
/** Milliseconds between SIGTERM and SIGKILL. */
const stopGraceMs = 15_000;

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function tail(file: string, bytes = 3000): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.slice(-bytes);
}

/**
 * The serve and worker processes of one benchmark run, under `workDir`. Everything started here
 * is ended by `stopAll`, and killed if the benchmark exits without calling it.
 */
export class ProcessGroup {
  readonly #workDir: string;
  readonly #children = new Map<DrydockProcess, ChildProcess>();
  readonly #killOnExit = () => {
    for (const child of this.#children.values()) if (!exited(child)) child.kill('SIGKILL');
  };

  constructor(workDir: string) {
    this.#workDir = workDir;
    process.on('exit', this.#killOnExit);
  }

  /** Starts the process and resolves once its `/readyz` answers 200 (the database answers). */
  async start(options: StartOptions): Promise<DrydockProcess> {
    const dataDir = join(this.#workDir, 'data', options.name);
    await mkdir(dataDir, { recursive: true });
    const logFile = join(this.#workDir, 'logs', `${options.name}.log`);
    await mkdir(join(this.#workDir, 'logs'), { recursive: true });
    const port = await freePort();
    const listen = `127.0.0.1:${port}`;
    const args = [
      options.role,
      '--database',
      options.databaseUrl,
      '--workers',
      String(options.workers),
      options.role === 'serve' ? '--listen' : '--health-listen',
      listen,
    ];
    const url = `http://${listen}`;

    const env: NodeJS.ProcessEnv = { ...process.env };
    // Nothing from the caller's environment may point a process at another service or database.
    for (const name of Object.keys(env))
      if (name.startsWith('DRYDOCK_') || name === 'DATABASE_URL') delete env[name];
    Object.assign(env, {
      NO_COLOR: '1',
      DRYDOCK_SECRET_KEY: options.secretKey,
      DRYDOCK_DATA_DIR: dataDir,
      DRYDOCK_CACHE_DIR: options.cacheDir,
      DRYDOCK_LOG_LEVEL: 'warn',
    });
    const log = await open(logFile, 'w');
    const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, ...args], {
      env,
      stdio: ['ignore', log.fd, log.fd],
    });
    await log.close();
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${options.name}: no pid (spawn failed)`);
    const handle: DrydockProcess = {
      role: options.role,
      name: options.name,
      pid,
      logFile,
      url,
      cpuSeconds: () => pidCpuSeconds(pid),
      peakRssMb: () => peakRssMb(pid),
    };
    this.#children.set(handle, child);
    await this.#waitUntilReady(handle, child);
    return handle;
  }

  async #waitUntilReady(handle: DrydockProcess, child: ChildProcess): Promise<void> {
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (exited(child))
        throw new Error(
          `${handle.name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${await tail(handle.logFile)}`,
        );
      if (await this.#ready(handle)) return;
      await delay(50);
    }
    throw new Error(`${handle.name} not ready after ${readyTimeoutMs} ms:\n${await tail(handle.logFile)}`);
  }

  async #ready(handle: DrydockProcess): Promise<boolean> {
    try {
      const response = await fetch(`${handle.url}/readyz`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false; // not listening yet
    }
  }

  /** SIGTERM (the process requeues running scans and closes), SIGKILL after a grace period. */
  async stop(handle: DrydockProcess): Promise<void> {
    const child = this.#children.get(handle);
    if (!child) return;
    if (!exited(child)) {
      const done = once(child, 'exit');
      child.kill('SIGTERM');
      const escalate = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
      await done;
      clearTimeout(escalate);
    }
    this.#children.delete(handle);
  }

  /** Stops every process still running, workers first (serve last: it owns the dispatcher). */
  async stopAll(): Promise<void> {
    const handles = [...this.#children.keys()];
    await Promise.all(handles.filter((h) => h.role === 'worker').map((h) => this.stop(h)));
    await Promise.all(handles.filter((h) => h.role === 'serve').map((h) => this.stop(h)));
  }

  /** Whether the process is still running (a worker that died mid-round makes the round invalid). */
  running(handle: DrydockProcess): boolean {
    const child = this.#children.get(handle);
    return child !== undefined && !exited(child);
  }

  /** The end of a process's log, for an error message. */
  logTail(handle: DrydockProcess): Promise<string> {
    return tail(handle.logFile);
  }

  close(): void {
    process.off('exit', this.#killOnExit);
  }
}
