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

/** One scan in a fresh process (bench/scan-child.ts), with its options. */
export async function scanOnce(reference: string, options: readonly string[] = []): Promise<ScanFigures> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'scan-child.ts'), reference, ...options],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout) as ScanFigures;
}

/** The fastest of several runs. */
export function fastest(figures: readonly ScanFigures[]): ScanFigures {
  return figures.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
}
