/**
 * The report format every part of `npm run bench` shares (see bench/run-all.ts): a `### title`
 * line, a table of measure | value | floor | ratio | target | met, and short notes, printed to
 * stdout and, when BENCH_REPORT_FILE is set, appended to that file for the orchestrator.
 */
import { appendFileSync } from 'node:fs';

export interface ReportRow {
  readonly measure: string;
  /** The figure, already formatted (e.g. `12.3`, or `not available`). */
  readonly value: string;
  readonly floor?: string;
  readonly ratio?: string;
  /** e.g. `≤ 1.3 × floor`, `< 300 MB`. */
  readonly target?: string;
  /** Whether the target was met; absent when there is no target or no figure. */
  readonly met?: boolean;
}

export function reportSection(title: string, rows: readonly ReportRow[], notes: readonly string[]): string {
  const cell = (text: string | undefined) => (text ?? '').replaceAll('|', '\\|');
  const lines = [
    `### ${title}`,
    '',
    '| measure | value | floor | ratio | target | met |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${cell(row.measure)} | ${cell(row.value)} | ${cell(row.floor)} | ${cell(row.ratio)} | ${cell(row.target)} | ${row.met === undefined ? '' : row.met ? '✓' : '✗'} |`,
    ),
    '',
    ...notes.map((note) => `- ${note}`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/** Prints the section and appends it to BENCH_REPORT_FILE when that is set. */
export function emitSection(title: string, rows: readonly ReportRow[], notes: readonly string[]): void {
  const text = reportSection(title, rows, notes);
  process.stdout.write(text);
  const file = process.env['BENCH_REPORT_FILE'];
  if (file) appendFileSync(file, text);
}

/** Seconds with two decimals, or three below 1 s. */
export function seconds(value: number): string {
  return value < 1 ? value.toFixed(3) : value.toFixed(2);
}
