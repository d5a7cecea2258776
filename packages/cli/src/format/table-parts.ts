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

/** Text this program styled (a coloured severity): the one kind of cell shown with its escape sequences. */
export interface StyledCell {
  readonly styled: string;
}

/**
 * A table cell: text (from the image, so shown through `printable`), a number, lines of text
 * (each printable, one under another), or text this program styled.
 */
export type Cell = string | number | readonly string[] | StyledCell;

/**
 * Text from an image (file names, package fields, messages quoting them) made safe to print: C0
 * and C1 control characters and DEL are shown as escapes (`\n`, `\t`, `\r`, else `\xNN`), so a
 * hostile name can neither drive the terminal with ESC sequences nor start a line of its own.
 */
export function printable(text: string): string {
  let shown = '';
  let from = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x20 && (code < 0x7f || code > 0x9f)) continue;
    shown += text.slice(from, index) + escapeOf(code);
    from = index + 1;
  }
  return from === 0 ? text : shown + text.slice(from);
}

function escapeOf(code: number): string {
  if (code === 0x0a) return '\\n';
  if (code === 0x09) return '\\t';
  if (code === 0x0d) return '\\r';
  return `\\x${code.toString(16).padStart(2, '0')}`;
}

function cellText(cell: Cell): string {
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'string') return printable(cell);
  if ('styled' in cell) return cell.styled;
  return cell.map(printable).join('\n');
}

export function table(head: string[], rows: readonly (readonly Cell[])[], options: TableOptions): string {
  const rendered = new Table({
    head,
    style: { head: options.color ? ['bold'] : [], border: options.color ? ['grey'] : [] },
    wordWrap: true,
    // No rule between rows: long reports stay readable in a terminal.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  rendered.push(...rows.map((row) => row.map(cellText)));
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

/** A severity for a table cell, coloured when colours are on. */
export function severityCell(severity: Severity, options: TableOptions): StyledCell {
  return { styled: severityLabel(severity, options) };
}

export function truncate(text: string, width: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}
