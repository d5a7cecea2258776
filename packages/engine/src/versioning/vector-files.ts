/**
 * Readers for the shared version-ordering vectors (../shared/testvectors/version-compare/, its
 * README.md describes the formats). Test support only: nothing in the engine imports this file.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const versionVectors = resolve(
  import.meta.dirname,
  '../../../../../shared/testvectors/version-compare',
);
export const vulnData = resolve(import.meta.dirname, '../../../../../shared/vulndata');

/** The expected order of `a` against `b`. */
export type Relation = '<' | '=' | '>';

export interface Comparison {
  /** `file:line`, for messages and exception tables. */
  readonly where: string;
  readonly a: string;
  readonly b: string;
  readonly relation: Relation;
}

const relations: Readonly<Record<string, Relation>> = { '<': '<', '=': '=', '==': '=', '>': '>' };

/**
 * An `a op b` text file: one comparison per line, fields separated by blanks; blank lines and
 * lines starting with `#` or `//` are comments.
 */
export function readComparisonLines(folder: string, file: string): readonly Comparison[] {
  const lines = readFileSync(join(versionVectors, folder, file), 'utf8').split('\n');
  const comparisons: Comparison[] = [];
  lines.forEach((line, index) => {
    const text = line.trim();
    if (text === '' || text.startsWith('#') || text.startsWith('//')) return;
    const fields = text.split(/\s+/);
    const [a, op, b] = fields;
    const relation = op === undefined ? undefined : relations[op];
    if (fields.length !== 3 || a === undefined || b === undefined || relation === undefined)
      throw new Error(`${folder}/${file}:${index + 1}: not "a op b": ${line}`);
    comparisons.push({ where: `${file}:${index + 1}`, a, b, relation });
  });
  return comparisons;
}

/** A TSV file with a header row: one record per line, keyed by the header's column names. */
export function readTsv(folder: string, file: string): readonly Readonly<Record<string, string>>[] {
  const [header, ...rows] = readFileSync(join(versionVectors, folder, file), 'utf8').split('\n');
  const columns = (header ?? '').split('\t');
  return rows
    .map((row, index) => ({ row, line: index + 2 }))
    .filter(({ row }) => row !== '')
    .map(({ row, line }) => {
      const cells = row.split('\t');
      return Object.fromEntries([
        ['line', `${file}:${line}`],
        ...columns.map((column, i) => [column, cells[i] ?? '']),
      ]);
    });
}

/** One version per line (blank lines and `#` comments skipped). */
export function readVersionList(folder: string, file: string): readonly string[] {
  return readFileSync(join(versionVectors, folder, file), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The relation `compare` returned, as a symbol. */
export function relationOf(order: number): Relation {
  return order < 0 ? '<' : order > 0 ? '>' : '=';
}

/** The relation of `b` against `a` when `a` against `b` is `relation`. */
export function reversed(relation: Relation): Relation {
  return relation === '<' ? '>' : relation === '>' ? '<' : '=';
}
