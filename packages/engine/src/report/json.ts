import type { ScanReport } from '../scan/result.ts';

/** The JSON format: the report as it is, two-space indented, newline-terminated. */
export function formatJson(report: ScanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
