import type { PackageRecord } from '../fact.ts';
import { uniquePackages } from '../go-mod/unique-packages.ts';
import { composerPackage } from './composer-package.ts';

export type ComposerResult =
  | { readonly ok: true; readonly packages: readonly PackageRecord[] }
  | { readonly ok: false; readonly error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(
  text: string,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * composer.lock (https://getcomposer.org/doc/01-basic-usage.md#composer-lock-the-lock-file):
 * `packages` and, dev-only, `packages-dev`.
 */
export function parseComposerLock(text: string): ComposerResult {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  if (!isRecord(parsed.value)) return { ok: false, error: 'composer.lock is not a JSON object' };
  const lock = parsed.value;
  return {
    ok: true,
    packages: uniquePackages([
      ...list(lock['packages']).map((entry) => composerPackage(entry, false)),
      ...list(lock['packages-dev']).map((entry) => composerPackage(entry, true)),
    ]),
  };
}

/**
 * `vendor/composer/installed.json`, what Composer installed into a vendor directory: Composer 1
 * writes an array of packages; Composer 2 an object `{packages, dev, dev-package-names}`, the
 * dev-only packages named in `dev-package-names`.
 * https://getcomposer.org/doc/07-runtime.md#installed-versions
 */
export function parseComposerInstalled(text: string): ComposerResult {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const document = parsed.value;
  if (Array.isArray(document))
    return { ok: true, packages: uniquePackages(document.map((entry) => composerPackage(entry, false))) };
  if (!isRecord(document)) return { ok: false, error: 'installed.json is neither an array nor an object' };
  const devNames = new Set(
    list(document['dev-package-names']).filter((name): name is string => typeof name === 'string'),
  );
  return {
    ok: true,
    packages: uniquePackages(
      list(document['packages']).map((entry) =>
        composerPackage(
          entry,
          isRecord(entry) && typeof entry['name'] === 'string' && devNames.has(entry['name']),
        ),
      ),
    ),
  };
}
