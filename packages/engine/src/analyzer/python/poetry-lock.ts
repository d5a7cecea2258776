import { parse as parseToml } from 'smol-toml';
import { failed, parsed, type PythonPackage, type PythonParse } from './python-package.ts';

/**
 * Reads poetry.lock (TOML, https://python-poetry.org/docs/basic-usage/#installing-with-poetrylock):
 * one `[[package]]` table per locked package with `name` and `version`. Lock format 1 marks
 * development packages with `category = "dev"`; format 2 lists the dependency `groups` a package
 * belongs to, and a package outside the `main` group is development-only. A git source pins its
 * commit in `[package.source] resolved_reference`.
 */
export function parsePoetryLock(text: string): PythonParse {
  let lock: unknown;
  try {
    lock = parseToml(text);
  } catch (error) {
    return failed(`not TOML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isTable(lock)) return failed('poetry.lock is not a TOML table');
  const tables = lock['package'];
  if (tables === undefined) return parsed([]);
  if (!Array.isArray(tables)) return failed('poetry.lock: package is not an array of tables');
  const packages: PythonPackage[] = [];
  for (const table of tables) {
    if (!isTable(table)) continue;
    const name = table['name'];
    const version = table['version'];
    if (typeof name !== 'string' || typeof version !== 'string' || name === '' || version === '') continue;
    const source = table['source'];
    const commit = isTable(source) && source['type'] === 'git' ? source['resolved_reference'] : undefined;
    packages.push({
      name,
      version,
      dev: isDevelopment(table),
      licenses: [],
      commit: typeof commit === 'string' && commit !== '' ? commit : undefined,
    });
  }
  return parsed(packages);
}

function isDevelopment(table: Readonly<Record<string, unknown>>): boolean {
  const groups = table['groups'];
  if (Array.isArray(groups)) return groups.length > 0 && !groups.includes('main');
  return table['category'] === 'dev';
}

function isTable(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
