import { failed, parsed, type PythonParse } from './python-package.ts';

/**
 * Reads a core metadata file (https://packaging.python.org/en/latest/specifications/core-metadata/):
 * METADATA of a wheel's .dist-info, PKG-INFO of an .egg-info or EGG-INFO, or a single-file .egg-info.
 * The fields are RFC 822 headers up to the first empty line (the description body follows); names
 * are case-insensitive, a line starting with whitespace continues the previous field, and the first
 * `Name` and `Version` count. A file without both is an error.
 *
 * Licences, in this order of preference: the SPDX `License-Expression` (metadata 2.4), the trove
 * classifiers `License :: ... :: <name>` (bare `License :: OSI Approved` names none), the free-text
 * `License` field, then `License-File` entries as `file://<path>` references.
 */
export function parseCoreMetadata(text: string): PythonParse {
  const fields = readHeaders(text);
  const name = fields.get('name')?.[0]?.trim();
  const version = fields.get('version')?.[0]?.trim();
  if (!name) return failed('core metadata has no Name');
  if (!version) return failed('core metadata has no Version');
  return parsed([{ name, version, dev: undefined, licenses: licensesOf(fields), commit: undefined }]);
}

function readHeaders(text: string): ReadonlyMap<string, readonly string[]> {
  const fields = new Map<string, string[]>();
  let last: { readonly values: string[]; readonly index: number } | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') break;
    if (/^[ \t]/.test(line)) {
      if (last !== undefined) last.values[last.index] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      last = undefined;
      continue;
    }
    const key = line.slice(0, colon).trim().toLowerCase();
    const values = fields.get(key) ?? [];
    values.push(line.slice(colon + 1).trim());
    fields.set(key, values);
    last = { values, index: values.length - 1 };
  }
  return fields;
}

function licensesOf(fields: ReadonlyMap<string, readonly string[]>): string[] {
  const expression = fields.get('license-expression')?.[0]?.trim();
  if (expression) return [expression];
  const classified = (fields.get('classifier') ?? []).flatMap((classifier) => {
    const parts = classifier.split('::').map((part) => part.trim());
    const last = parts.at(-1);
    if (
      parts[0] !== 'License' ||
      parts.length < 2 ||
      !last ||
      last === 'OSI Approved' ||
      last === 'DFSG approved'
    )
      return [];
    return [last];
  });
  if (classified.length > 0) return classified;
  const license = fields.get('license')?.[0]?.trim();
  if (license) return [license];
  return (fields.get('license-file') ?? []).filter((file) => file !== '').map((file) => `file://${file}`);
}
