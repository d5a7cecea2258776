/**
 * Warm re-scan: `drydock image --cache-dir DIR` a second time, every layer already analysed in DIR.
 * The CLI process's wall time is measured, start-up included, as a user would see it. Returns
 * undefined while `drydock image --help` does not list --cache-dir (the layer cache of the CLI).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { nodeFlags } from '../packages/cli/bin/node-flags.js';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'drydock.js');

export function cliHasCacheDir(): boolean {
  const help = spawnSync(process.execPath, [cli, 'image', '--help'], { encoding: 'utf8' });
  return help.stdout.includes('--cache-dir');
}

async function scanWithCache(reference: string, cacheDir: string, home: string): Promise<number> {
  const started = performance.now();
  await run(
    process.execPath,
    [
      ...nodeFlags,
      cli,
      'image',
      '--cache-dir',
      cacheDir,
      '--insecure',
      '--no-progress',
      '--scanners',
      'inventory',
      '--format',
      'json',
      '--output',
      '/dev/null',
      reference,
    ],
    // A private DRYDOCK_CACHE_DIR: no vulnerability database or state of the user's is picked up.
    { env: { ...process.env, DRYDOCK_CACHE_DIR: home }, maxBuffer: 1 << 24, timeout: 900_000 },
  );
  return (performance.now() - started) / 1000;
}

/** Best of `runs` warm scans after one scan that fills a fresh cache directory; undefined without --cache-dir. */
export async function warmRescanSeconds(reference: string, runs: number): Promise<number | undefined> {
  if (!cliHasCacheDir()) return undefined;
  const work = await mkdtemp(join(tmpdir(), 'drydock-bench-warm-'));
  try {
    const cacheDir = join(work, 'layers');
    await scanWithCache(reference, cacheDir, work);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await scanWithCache(reference, cacheDir, work));
    return Math.min(...times);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
