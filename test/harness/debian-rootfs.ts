/**
 * A real Debian bookworm root filesystem (`mmdebstrap --variant=minbase`, about 100 packages), built once
 * and shared: by every test of one process through a promise, and by concurrent test processes through a
 * lock directory beside it. It lives under `$DRYDOCK_TEST_TMP` (scripts/test.sh removes that at the end)
 * or the system temporary directory (kept between runs as a cache). Needs root and mmdebstrap; the mirror
 * is the machine's own, from /etc/apt/sources.list.d/debian.sources.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
const suite = 'bookworm';
/** The longest wait for another process's build before giving up. */
const waitLimitMs = 15 * 60 * 1000;
/** A lock directory left without its pid file for this long belongs to no one. */
const staleLockMs = 30 * 1000;

/** Where the root filesystem is (or will be): a fixed name, so test files find each other's build. */
export function debianRootfsPath(): string {
  return join(process.env['DRYDOCK_TEST_TMP'] ?? tmpdir(), `drydock-debian-${suite}-minbase`);
}

async function debianMirror(): Promise<string> {
  const sources = await readFile('/etc/apt/sources.list.d/debian.sources', 'utf8');
  const mirror = /^URIs:\s*(\S+)/m.exec(sources)?.[1];
  if (!mirror) throw new Error('no Debian mirror (URIs:) in /etc/apt/sources.list.d/debian.sources');
  return mirror;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

/** Takes the lock (a directory: mkdir is atomic) or returns false when a live process holds it. */
async function tryLock(lock: string): Promise<boolean> {
  try {
    await mkdir(lock);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    const owner = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''));
    // A lock without a pid file is being created right now (or its creator died at once: stale after a
    // while); one whose process died is stale.
    if (!Number.isInteger(owner) || owner <= 0) {
      const age = Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? Date.now());
      if (age < staleLockMs) return false;
    } else if (isAlive(owner)) return false;
    await rm(lock, { recursive: true, force: true });
    return tryLock(lock);
  }
  await writeFile(join(lock, 'pid'), String(process.pid));
  return true;
}

async function build(target: string): Promise<void> {
  const scratch = `${target}.build-${process.pid}`;
  await rm(scratch, { recursive: true, force: true });
  try {
    await run(
      'mmdebstrap',
      ['--quiet', '--variant=minbase', '--format=directory', suite, scratch, await debianMirror()],
      {
        maxBuffer: 1 << 26,
      },
    );
    await rename(scratch, target);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function buildOrWait(): Promise<string> {
  const target = debianRootfsPath();
  const lock = `${target}.lock`;
  const deadline = Date.now() + waitLimitMs;
  await mkdir(join(target, '..'), { recursive: true });
  while (!existsSync(target)) {
    if (await tryLock(lock)) {
      try {
        if (!existsSync(target)) await build(target);
      } finally {
        await rm(lock, { recursive: true, force: true });
      }
      break;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for another process to build ${target}`);
    await sleep(250);
  }
  return target;
}

let shared: Promise<string> | undefined;

/** The root filesystem's directory, built on first use; a failed build is retried by the next caller. */
export function debianRootfs(): Promise<string> {
  shared ??= buildOrWait().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
