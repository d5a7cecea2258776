/**
 * The built web console for tests: `npm run build -w packages/console` runs when packages/console/dist
 * is missing or older than any of the console's sources, once, however many test files ask at the
 * same time: the first takes a lock (a directory: mkdir is atomic) and builds; the others wait for
 * it, then find the build fresh. The lock lives in the repository's git-ignored `.cache/`.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repositoryRoot = resolve(import.meta.dirname, '../..');
export const consoleRoot = join(repositoryRoot, 'packages/console');
export const consoleDist = join(consoleRoot, 'dist');

/** What the console is built from (node_modules changes show in package-lock.json at the root). */
const sourcePaths = [
  'src',
  'public',
  'index.html',
  'vite.config.ts',
  'package.json',
  '../../package-lock.json',
];
const lockPath = join(repositoryRoot, '.cache/console-build.lock');
/** A build takes seconds; waiting longer means the holder hung. */
const waitLimitMs = 5 * 60_000;
/** A lock directory without its pid file for this long belongs to no one. */
const staleLockMs = 30_000;

export interface ConsoleBuild {
  readonly dist: string;
  /** Whether this process ran the build (false: it was fresh, or another process built it). */
  readonly built: boolean;
  /** How long this process's build took; undefined when it did not build. */
  readonly buildMs: number | undefined;
}

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}

/** Fresh: dist/index.html exists and is newer than every source. */
async function isFresh(): Promise<boolean> {
  const built = await stat(join(consoleDist, 'index.html')).catch(() => undefined);
  if (!built) return false;
  const sources = await Promise.all(sourcePaths.map((path) => newestMtime(join(consoleRoot, path))));
  return built.mtimeMs >= Math.max(...sources);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

/** Takes the lock, or returns false while a live process holds it (a dead holder's lock is removed). */
async function tryLock(): Promise<boolean> {
  await mkdir(join(lockPath, '..'), { recursive: true });
  try {
    await mkdir(lockPath);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    const owner = Number(await readFile(join(lockPath, 'pid'), 'utf8').catch(() => ''));
    if (!Number.isInteger(owner) || owner <= 0) {
      const age = Date.now() - ((await stat(lockPath).catch(() => undefined))?.mtimeMs ?? Date.now());
      if (age < staleLockMs) return false;
    } else if (isAlive(owner)) return false;
    await rm(lockPath, { recursive: true, force: true });
    return tryLock();
  }
  await writeFile(join(lockPath, 'pid'), String(process.pid));
  return true;
}

let once: Promise<ConsoleBuild> | undefined;

/**
 * Whether a live process holds the lock: it is building, and dist may be half written (vite
 * empties it first), with an index.html that already looks fresh.
 */
async function buildInProgress(): Promise<boolean> {
  const owner = Number(await readFile(join(lockPath, 'pid'), 'utf8').catch(() => ''));
  return Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner);
}

async function ensure(): Promise<ConsoleBuild> {
  const deadline = Date.now() + waitLimitMs;
  for (;;) {
    if (!(await buildInProgress()) && (await isFresh()))
      return { dist: consoleDist, built: false, buildMs: undefined };
    if (await tryLock()) break;
    if (Date.now() > deadline) throw new Error(`the console build lock ${lockPath} was held too long`);
    await sleep(200);
  }
  try {
    // Another process may have finished a build between the check and the lock.
    if (await isFresh()) return { dist: consoleDist, built: false, buildMs: undefined };
    const started = performance.now();
    await run('npm', ['run', 'build', '-w', 'packages/console'], {
      cwd: repositoryRoot,
      maxBuffer: 1 << 24,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { dist: consoleDist, built: true, buildMs: Math.round(performance.now() - started) };
  } finally {
    await rm(lockPath, { recursive: true, force: true });
  }
}

/** The console's dist directory, built first when it is missing or stale. */
export function ensureConsoleBuilt(): Promise<ConsoleBuild> {
  once ??= ensure();
  return once;
}
