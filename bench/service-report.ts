/**
 * The bench parts' report contract (bench/README.md): a `### title` line, one table with the
 * columns measure | value | floor | ratio | target | met, and short notes. Printed to stdout always,
 * and appended to BENCH_REPORT_FILE when the orchestrator (bench/run-all.ts) sets it.
 */
import { loadavg } from 'node:os';
import { emitSection, reportSection, type ReportRow } from './image-report.ts';

export type { ReportRow };

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
  return reportSection(report.title, report.rows, report.notes);
}

/** Prints the part and, when BENCH_REPORT_FILE is set, appends it there. */
export function publishPart(report: PartReport): void {
  emitSection(report.title, report.rows, report.notes);
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
