import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { nodeFlags } from '../packages/cli/bin/node-flags.js';

const run = promisify(execFile);

/** What bench/scan-child.ts prints about one scan. */
export interface ScanFigures {
  readonly seconds: number;
  readonly maxRssMb: number;
  readonly files: number;
  readonly layers: number;
  readonly os: string | null;
  /** Secrets found; null when secrets were not scanned. */
  readonly secrets: number | null;
  /** Files flagged as malware; null when malware was not scanned. */
  readonly malware: number | null;
}

const root = join(import.meta.dirname, '..');
/** Where bench/scan-child.ts is bundled (gitignored .cache, below node_modules' folder). */
const childBundle = join(root, '.cache', 'bench', 'scan-child');
let built: Promise<unknown> | undefined;

/**
 * One scan in a fresh process (bench/scan-child.ts), with its options. The child runs as the CLI
 * ships: bundled by scripts/build-cli.mjs (once per benchmark process) and with the launcher's
 * Node flags. Through tsx, its transformed sources and their source maps stayed on the heap: about
 * 25 MB more peak RSS and costlier full collections than the shipped CLI has. With
 * BENCH_CPU_PROF=DIR the process writes a V8 CPU profile into DIR (read it with
 * bench/image-profile-top.ts).
 */
export async function scanOnce(reference: string, options: readonly string[] = []): Promise<ScanFigures> {
  built ??= run(process.execPath, [
    join(root, 'scripts', 'build-cli.mjs'),
    childBundle,
    'bench/scan-child.ts',
  ]);
  await built;
  const profileDir = process.env['BENCH_CPU_PROF'];
  const profiling = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const { stdout } = await run(
    process.execPath,
    [...nodeFlags, ...profiling, join(childBundle, 'scan-child.js'), reference, ...options],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout) as ScanFigures;
}

/** The fastest of several runs. */
export function fastest(figures: readonly ScanFigures[]): ScanFigures {
  return figures.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
}
