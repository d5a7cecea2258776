import Table from 'cli-table3';

export type OutputFormat = 'table' | 'json';

/** Prints rows as a table, or the value as JSON (dates as ISO strings). */
export function printRows(
  format: OutputFormat,
  value: unknown,
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): void {
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  const table = new Table({ head: [...header], style: { head: [], border: [] } });
  for (const row of rows)
    table.push(row.map((cell) => (cell === null || cell === undefined ? '' : String(cell))));
  process.stdout.write(`${table.toString()}\n`);
}

export function printJsonOrText(format: OutputFormat, value: unknown, text: string): void {
  process.stdout.write(format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

export function formatTime(at: Date | null | undefined): string {
  return at ? at.toISOString().replace('T', ' ').slice(0, 19) : '';
}
