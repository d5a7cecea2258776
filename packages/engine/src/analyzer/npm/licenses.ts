import { isObject } from './json-value.ts';

/**
 * The licences a package.json (or a package-lock entry copied from one) declares, as written.
 * `license` is an SPDX expression string (https://docs.npmjs.com/cli/v11/configuring-npm/package-json#license);
 * older packages use `{ "type": "MIT", "url": ... }` or an array of those (the legacy `licenses`
 * field), and some write an array of strings. Anything else (numbers, null, objects without a type)
 * declares nothing.
 */
export function licensesOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  const licenses: string[] = [];
  for (const item of items) {
    const license = typeof item === 'string' ? item : isObject(item) ? item['type'] : undefined;
    if (typeof license === 'string' && license.trim() !== '') licenses.push(license.trim());
  }
  return licenses;
}

/** `license`, falling back to the legacy `licenses` array. */
export function declaredLicenses(manifest: Readonly<Record<string, unknown>>): string[] {
  const modern = licensesOf(manifest['license']);
  return modern.length > 0 ? modern : licensesOf(manifest['licenses']);
}
