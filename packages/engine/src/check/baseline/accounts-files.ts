/**
 * Parsers of the four account databases: passwd(5), shadow(5), group(5) and gshadow(5). Tolerant:
 * blank lines and `#` comments are skipped, a line with too few fields is padded with empty ones,
 * a field that should be a number and is not becomes `undefined`. Every entry keeps its path and
 * 1-based line for evidence. Legacy NIS compat lines (`+`, `+name`, `-name`, `+@netgroup`) are
 * kept and marked, so checks can report them and leave them out of everything else.
 */
import { numberedLines } from './system-files.ts';

export const passwdPath = 'etc/passwd';
export const shadowPath = 'etc/shadow';
export const groupPath = 'etc/group';
export const gshadowPath = 'etc/gshadow';

export interface AccountLine {
  readonly path: string;
  readonly line: number;
  /** A NIS compat entry (`+`/`-` in front of the name): the name is not an account of its own. */
  readonly nis: boolean;
  readonly name: string;
}

export interface PasswdEntry extends AccountLine {
  /** `x` when the hash is in shadow; a hash, `*`/`!` or empty otherwise. */
  readonly password: string;
  readonly uid: number | undefined;
  readonly gid: number | undefined;
  readonly home: string;
  readonly shell: string;
}

export interface ShadowEntry extends AccountLine {
  readonly password: string;
  /** Days since 1970-01-01 of the last change; 0 forces a change at the next login. */
  readonly lastChange: number | undefined;
  readonly minDays: number | undefined;
  /** Undefined (empty field) means the password never has to change. */
  readonly maxDays: number | undefined;
  readonly warnDays: number | undefined;
}

export interface GroupEntry extends AccountLine {
  readonly password: string;
  readonly gid: number | undefined;
  readonly members: readonly string[];
}

export interface GshadowEntry extends AccountLine {
  readonly password: string;
  readonly administrators: readonly string[];
  readonly members: readonly string[];
}

interface SplitLine {
  readonly line: number;
  readonly fields: readonly string[];
}

function splitColonFile(text: string, fieldCount: number): SplitLine[] {
  const lines: SplitLine[] = [];
  for (const { line, text: raw } of numberedLines(text)) {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const fields = raw.split(':');
    while (fields.length < fieldCount) fields.push('');
    lines.push({ line, fields });
  }
  return lines;
}

function field(fields: readonly string[], index: number): string {
  return fields[index] ?? '';
}

function numeric(value: string): number | undefined {
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function accountLine(path: string, line: number, name: string): AccountLine {
  return { path, line, nis: name.startsWith('+') || name.startsWith('-'), name };
}

export function parsePasswd(text: string, path = passwdPath): PasswdEntry[] {
  return splitColonFile(text, 7).map(({ line, fields }) => ({
    ...accountLine(path, line, field(fields, 0)),
    password: field(fields, 1),
    uid: numeric(field(fields, 2)),
    gid: numeric(field(fields, 3)),
    home: field(fields, 5),
    shell: field(fields, 6),
  }));
}

export function parseShadow(text: string, path = shadowPath): ShadowEntry[] {
  return splitColonFile(text, 9).map(({ line, fields }) => ({
    ...accountLine(path, line, field(fields, 0)),
    password: field(fields, 1),
    lastChange: numeric(field(fields, 2)),
    minDays: numeric(field(fields, 3)),
    maxDays: numeric(field(fields, 4)),
    warnDays: numeric(field(fields, 5)),
  }));
}

export function parseGroup(text: string, path = groupPath): GroupEntry[] {
  return splitColonFile(text, 4).map(({ line, fields }) => ({
    ...accountLine(path, line, field(fields, 0)),
    password: field(fields, 1),
    gid: numeric(field(fields, 2)),
    members: list(field(fields, 3)),
  }));
}

export function parseGshadow(text: string, path = gshadowPath): GshadowEntry[] {
  return splitColonFile(text, 4).map(({ line, fields }) => ({
    ...accountLine(path, line, field(fields, 0)),
    password: field(fields, 1),
    administrators: list(field(fields, 2)),
    members: list(field(fields, 3)),
  }));
}
