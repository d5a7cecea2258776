import { isObject, parseJson, stringAt } from './json-value.ts';
import { declaredLicenses } from './licenses.ts';
import { isValidPackageName } from './package-name.ts';

/** The identity an installed package's manifest declares; fields it lacks are `undefined`. */
export interface PackageManifest {
  readonly name: string | undefined;
  readonly version: string | undefined;
  readonly licenses: readonly string[];
}

export type ManifestParse =
  { readonly ok: true; readonly manifest: PackageManifest } | { readonly ok: false; readonly error: string };

/**
 * Reads `name`, `version` and the declared licences of a package.json
 * (https://docs.npmjs.com/cli/v11/configuring-npm/package-json). A file that is not a JSON object,
 * or names the package with a name npm would refuse, is an error.
 */
export function parsePackageJson(text: string): ManifestParse {
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, error: `not JSON: ${parsed.error}` };
  if (!isObject(parsed.value)) return { ok: false, error: 'package.json is not a JSON object' };
  const manifest = parsed.value;
  const name = stringAt(manifest, 'name')?.trim() || undefined;
  if (name !== undefined && !isValidPackageName(name)) {
    return { ok: false, error: `invalid package name ${JSON.stringify(name.slice(0, 256))}` };
  }
  const version = stringAt(manifest, 'version')?.trim() || undefined;
  return { ok: true, manifest: { name, version, licenses: declaredLicenses(manifest) } };
}
