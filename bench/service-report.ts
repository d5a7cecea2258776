/**
 * The bench parts' report contract (bench/README.md): a `### title` line, one table with the
 * columns measure | value | floor | ratio | target | met, and short notes. Printed to stdout always,
 * and appended to BENCH_REPORT_FILE when the orchestrator (bench/run-all.ts) sets it.
 */
import { appendFile } from 'node:fs/promises';
import { loadavg } from 'node:os';

export interface ReportRow {
  readonly measure: string;
  readonly value: string;
  /** Empty when the measure has no floor. */
  readonly floor?: string;
  readonly ratio?: string;
  readonly target?: string;
  /** Undefined when the row has no target. */
  readonly met?: boolean;
}

export interface PartReport {
  readonly title: string;
  readonly rows: readonly ReportRow[];
  readonly notes: readonly string[];
}

/** A figure with `digits` decimals, or a dash when it could not be measured. */
export function figure(value: number | undefined, digits = 1): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

/** value / floor as `N.NN×`, or a dash. */
export function ratio(value: number, floor: number): string {
  return floor > 0 && Number.isFinite(value) ? `${(value / floor).toFixed(2)}×` : '–';
}

export function formatPart(report: PartReport): string {
  const cell = (text: string | undefined): string => (text ?? '').replaceAll('|', '\\|');
  const lines = [
    `### ${report.title}`,
    '',
    '| measure | value | floor | ratio | target | met |',
    '|---|---|---|---|---|---|',
    ...report.rows.map(
      (row) =>
        `| ${cell(row.measure)} | ${cell(row.value)} | ${cell(row.floor)} | ${cell(row.ratio)} | ${cell(row.target)} | ${row.met === undefined ? '' : row.met ? '✓' : '✗'} |`,
    ),
    '',
    ...report.notes.map((note) => `- ${note}`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/** Prints the part and, when BENCH_REPORT_FILE is set, appends it there. */
export async function publishPart(report: PartReport): Promise<void> {
  const text = formatPart(report);
  process.stdout.write(text);
  const file = process.env['BENCH_REPORT_FILE'];
  if (file) await appendFile(file, text);
}

/** BENCH_RUNS (default 3): how many runs to take the best of. */
export function benchRuns(): number {
  const runs = Number(process.env['BENCH_RUNS'] ?? '3');
  return Number.isInteger(runs) && runs > 0 ? runs : 3;
}

/** The 1-minute load average, for the notes: the machine is shared. */
export function loadAverage(): number {
  return loadavg()[0] ?? 0;
}
