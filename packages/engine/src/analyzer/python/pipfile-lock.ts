import { failed, parsed, type PythonPackage, type PythonParse } from './python-package.ts';

/**
 * Reads Pipfile.lock (JSON, https://pipenv.pypa.io/en/latest/pipfile.html#pipfile-lock): `default`
 * holds the run-time packages and `develop` the development ones, each `{ "version": "==1.2.3" }`.
 * Entries without a pinned version (editable git or path checkouts) are not reported. A package
 * in both sections is one run-time package; an empty file locks nothing.
 */
export function parsePipfileLock(text: string): PythonParse {
  if (text.trim() === '') return parsed([]);
  let lock: unknown;
  try {
    lock = JSON.parse(text);
  } catch (error) {
    return failed(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(lock)) return failed('Pipfile.lock is not a JSON object');
  const byKey = new Map<string, PythonPackage>();
  for (const [section, dev] of [
    ['default', false],
    ['develop', true],
  ] as const) {
    const entries = lock[section];
    if (!isObject(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      const pinned = isObject(entry) ? entry['version'] : undefined;
      if (typeof pinned !== 'string' || !pinned.startsWith('==')) continue;
      const version = pinned.replace(/^===?/, '').trim();
      if (version === '') continue;
      const key = `${name}\u0000${version}`;
      const seen = byKey.get(key);
      byKey.set(key, { name, version, dev: (seen?.dev ?? true) && dev, licenses: [], commit: undefined });
    }
  }
  return parsed([...byKey.values()]);
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
