import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { z } from 'zod';
import { lineOf, parseYamlDocument } from '../util/yaml-document.ts';
import type { VulnerabilityFinding } from '../match/finding.ts';
import { SuppressionFileError } from './suppressions-error.ts';

/** The ignore file's name, looked for in the working directory when none is given. */
export const defaultIgnoreFileName = '.drydockignore';

/** A YAML 1.1 reader turns an unquoted date into a Date; YAML 1.2 keeps the text. Both are accepted. */
const day = z.preprocess(
  (value) =>
    value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value,
  z.iso.date({ error: 'must be a date written YYYY-MM-DD' }),
);

const text = z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' });

const entrySchema = z.strictObject({
  id: text,
  package: text.optional(),
  path: text.optional(),
  reason: text,
  expires: day.optional(),
});

const fileSchema = z.array(entrySchema, { error: 'must be a list of entries (- id: ..., reason: ...)' });

/**
 * One entry of an ignore file. It suppresses the findings whose advisory id or one of its aliases
 * is `id` (case-insensitive), of the package named `package` (binary or source name) when given,
 * found in a file matched by `path` when given (a glob or an exact path relative to the image
 * root; a match on a parent directory counts). `expires` (YYYY-MM-DD, UTC) is the day from which
 * the entry no longer applies.
 */
export type IgnoreEntry = z.infer<typeof entrySchema>;

export interface IgnoreFile {
  /** Where the entries came from (a path, for messages and reports). */
  readonly source: string;
  readonly entries: readonly IgnoreEntry[];
}

/**
 * Parses an ignore file: a YAML list of entries (https://yaml.org/spec/1.2.2/), each with `id`
 * and `reason`, optionally `package`, `path` and `expires`. Unknown keys are errors (a misspelt
 * `expiry` would otherwise silently never expire). An empty file has no entries.
 *
 * @throws SuppressionFileError `invalid_ignore_file`, listing each problem with its line.
 */
export function parseIgnoreFile(content: string, source: string): IgnoreFile {
  const yaml = parseYamlDocument(
    content,
    (cause) =>
      new SuppressionFileError('invalid_ignore_file', source, `${source} is not valid YAML`, {
        issues: ['nested too deeply to read'],
        cause,
      }),
  );
  const { document, value } = yaml;

  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => `line ${error.linePos?.[0].line ?? '?'}: ${error.message}`);
    throw new SuppressionFileError('invalid_ignore_file', source, `${source} is not valid YAML`, { issues });
  }
  if (value === null || value === undefined) return { source, entries: [] };
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const where = lineOf(yaml, issue.path) ?? 'top level';
      const [index, ...field] = issue.path;
      const entry = typeof index === 'number' ? `entry ${index + 1}` : 'the file';
      const name = field.length > 0 ? ` ${field.join('.')}` : '';
      return `${where}, ${entry}${name}: ${issue.message}`;
    });
    throw new SuppressionFileError('invalid_ignore_file', source, `${source} has invalid entries`, {
      issues,
    });
  }
  return { source, entries: parsed.data };
}

/** Reads and parses an ignore file. @throws SuppressionFileError when it cannot be read or is invalid. */
export async function loadIgnoreFile(path: string): Promise<IgnoreFile> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    throw new SuppressionFileError(
      'suppression_file_unreadable',
      path,
      `cannot read the ignore file ${path}`,
      {
        issues: [error instanceof Error ? error.message : String(error)],
        cause: error,
      },
    );
  }
  return parseIgnoreFile(content, path);
}

/** Today's date in UTC as YYYY-MM-DD, the form `expires` is compared in. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Whether an entry no longer applies on `today` (YYYY-MM-DD): from its expiry day on. */
export function isExpired(entry: IgnoreEntry, today: string): boolean {
  return entry.expires !== undefined && entry.expires <= today;
}

function normalisePath(path: string): string {
  return path.replace(/^(?:\.?\/)+/, '').replace(/\/+$/, '');
}

/** The path and each of its parent directories, deepest first. */
function pathAndParents(path: string): string[] {
  const result: string[] = [];
  for (let current = path; current !== '' && current !== '.'; current = posix.dirname(current)) {
    result.push(current);
    if (!current.includes('/')) break;
  }
  return result;
}

function idMatches(entry: IgnoreEntry, finding: VulnerabilityFinding): boolean {
  const id = entry.id.toUpperCase();
  return finding.id.toUpperCase() === id || finding.aliases.some((alias) => alias.toUpperCase() === id);
}

function packageMatches(entry: IgnoreEntry, finding: VulnerabilityFinding): boolean {
  if (entry.package === undefined) return true;
  return entry.package === finding.package.name || entry.package === finding.package.source?.name;
}

function pathMatches(entry: IgnoreEntry, finding: VulnerabilityFinding): boolean {
  if (entry.path === undefined) return true;
  const pattern = normalisePath(entry.path);
  return pathAndParents(normalisePath(finding.package.path)).some(
    (candidate) => candidate === pattern || posix.matchesGlob(candidate, pattern),
  );
}

/** Whether an entry names this finding (expiry is the caller's concern). */
export function ignoreEntryMatches(entry: IgnoreEntry, finding: VulnerabilityFinding): boolean {
  return idMatches(entry, finding) && packageMatches(entry, finding) && pathMatches(entry, finding);
}
