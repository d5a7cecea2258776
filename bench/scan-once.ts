import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

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

/**
 * One scan in a fresh process (bench/scan-child.ts), with its options. With BENCH_CPU_PROF=DIR the
 * process writes a V8 CPU profile into DIR (read it with bench/image-profile-top.ts).
 */
export async function scanOnce(reference: string, options: readonly string[] = []): Promise<ScanFigures> {
  const profileDir = process.env['BENCH_CPU_PROF'];
  const profiling = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const { stdout } = await run(
    process.execPath,
    [...profiling, '--import', 'tsx', join(import.meta.dirname, 'scan-child.ts'), reference, ...options],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout) as ScanFigures;
}

/** The fastest of several runs. */
export function fastest(figures: readonly ScanFigures[]): ScanFigures {
  return figures.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
}
