import Table from 'cli-table3';
import pc from 'picocolors';
import type { Severity } from '@drydock/engine';

/** Shared pieces of the table format's sections. */
export interface TableOptions {
  readonly color: boolean;
  /**
   * What to say where an image's vulnerabilities were not scanned (no database, or not asked
   * for); defaults to a hint to build the database.
   */
  readonly notScanned?: string;
}

const instructionWidth = 70;

/** Shortens a build instruction for a table cell: buildkit prefixes dropped, one line, ellipsis. */
export function shortInstruction(createdBy: string | undefined): string {
  if (!createdBy) return '';
  const text = createdBy
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
    .replace(/^\/bin\/sh -c /, 'RUN ')
    .replace(/\s+/g, ' ')
    .replace(/ # buildkit$/, '')
    .trim();
  return text.length > instructionWidth ? `${text.slice(0, instructionWidth - 1)}…` : text;
}

export function shortDigest(digest: string | undefined): string {
  if (!digest) return '';
  const [algorithm, hex] = digest.split(':');
  return hex ? `${algorithm}:${hex.slice(0, 12)}` : digest;
}

export function heading(text: string, options: TableOptions): string {
  return options.color ? pc.bold(pc.cyan(text)) : text;
}

export function table(head: string[], rows: (string | number)[][], options: TableOptions): string {
  const rendered = new Table({
    head,
    style: { head: options.color ? ['bold'] : [], border: options.color ? ['grey'] : [] },
    wordWrap: true,
    // No rule between rows: long reports stay readable in a terminal.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  rendered.push(...rows.map((row) => row.map(String)));
  return rendered.toString();
}

const severityColours: Readonly<Record<Severity, (text: string) => string>> = {
  critical: (text) => pc.bold(pc.red(text)),
  high: pc.red,
  medium: pc.yellow,
  low: pc.blue,
  unknown: pc.gray,
};

export function severityLabel(severity: Severity, options: TableOptions): string {
  const text = severity.toUpperCase();
  return options.color ? severityColours[severity](text) : text;
}

export function truncate(text: string, width: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}
