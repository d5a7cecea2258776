import type { PackageRecord } from '../fact.ts';
import { uniquePackages } from '../go-mod/unique-packages.ts';
import { nugetPackage } from './nuget-package.ts';
import { parseXml } from './xml.ts';

export type NugetResult =
  | { readonly ok: true; readonly packages: readonly PackageRecord[] }
  | { readonly ok: false; readonly error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonObject(
  text: string,
  what: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text.startsWith('\ufeff') ? text.slice(1) : text);
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  return isRecord(value) ? { ok: true, value } : { ok: false, error: `${what} is not a JSON object` };
}

/** Library types that are NuGet packages: `package`, and the runtime packs of self-contained apps. */
const packageTypes = new Set(['package', 'runtimepack']);

/**
 * A .NET application's `*.deps.json` (https://github.com/dotnet/sdk/blob/main/documentation/specs/runtime-configuration-file.md):
 * the `libraries` of type `package` and `runtimepack` (`runtimepack.` prefix dropped: the pack is
 * the NuGet package `Microsoft.NETCore.App.Runtime.<rid>`). Projects of the solution are no NuGet
 * packages and are left out. A library the runtime target lists without any runtime, native or
 * runtime-target asset ships no code into the application (a reference or meta package; the
 * framework provides it) and is left out too, as trivy does; when the runtime target is missing,
 * every library is kept.
 */
export function parseDepsJson(text: string): NugetResult {
  const parsed = parseJsonObject(text, '.deps.json');
  if (!parsed.ok) return parsed;
  const document = parsed.value;
  const libraries = document['libraries'];
  if (libraries !== undefined && !isRecord(libraries))
    return { ok: false, error: '`libraries` is not an object' };
  const runtimeTarget = document['runtimeTarget'];
  const targetName =
    isRecord(runtimeTarget) && typeof runtimeTarget['name'] === 'string' ? runtimeTarget['name'] : undefined;
  const targets = document['targets'];
  const target =
    targetName !== undefined && isRecord(targets) && isRecord(targets[targetName])
      ? targets[targetName]
      : undefined;
  const hasAssets = (key: string): boolean => {
    if (target === undefined || !(key in target)) return true;
    const entry = target[key];
    if (!isRecord(entry)) return false;
    return ['runtime', 'runtimeTargets', 'native'].some((asset) => {
      const assets = entry[asset];
      return isRecord(assets) && Object.keys(assets).length > 0;
    });
  };
  const packages: (PackageRecord | undefined)[] = [];
  for (const [key, library] of Object.entries(libraries ?? {})) {
    if (!isRecord(library) || typeof library['type'] !== 'string' || !packageTypes.has(library['type']))
      continue;
    const slash = key.lastIndexOf('/');
    if (slash <= 0 || !hasAssets(key)) continue;
    const name = key.slice(0, slash).replace(/^runtimepack\./, '');
    packages.push(nugetPackage(name, key.slice(slash + 1)));
  }
  return { ok: true, packages: uniquePackages(packages) };
}

/**
 * NuGet's `packages.lock.json` (https://learn.microsoft.com/en-us/nuget/consume-packages/package-references-in-project-files#locking-dependencies):
 * per target framework, every dependency with its `resolved` version (Direct, Transitive,
 * CentralTransitive); `Project` references are the solution's own projects and are left out.
 */
export function parsePackagesLockJson(text: string): NugetResult {
  const parsed = parseJsonObject(text, 'packages.lock.json');
  if (!parsed.ok) return parsed;
  const frameworks = parsed.value['dependencies'];
  if (frameworks !== undefined && !isRecord(frameworks))
    return { ok: false, error: '`dependencies` is not an object' };
  const packages: (PackageRecord | undefined)[] = [];
  for (const dependencies of Object.values(frameworks ?? {})) {
    if (!isRecord(dependencies)) continue;
    for (const [name, dependency] of Object.entries(dependencies)) {
      if (!isRecord(dependency) || dependency['type'] === 'Project') continue;
      const resolved = dependency['resolved'];
      if (typeof resolved === 'string') packages.push(nugetPackage(name, resolved));
    }
  }
  return { ok: true, packages: uniquePackages(packages) };
}

/**
 * The legacy `packages.config` (https://learn.microsoft.com/en-us/nuget/reference/packages-config):
 * `<packages><package id version [developmentDependency]/></packages>`; a development dependency
 * is reported with `dev`.
 */
export function parsePackagesConfig(text: string): NugetResult {
  const parsed = parseXml(text);
  if (!parsed.ok) return { ok: false, error: `invalid XML: ${parsed.error}` };
  if (parsed.root.name !== 'packages')
    return { ok: false, error: `root element is <${parsed.root.name}>, not <packages>` };
  const packages = parsed.root.children
    .filter((element) => element.name === 'package')
    .map((element) =>
      nugetPackage(
        element.attributes.get('id') ?? '',
        element.attributes.get('version') ?? '',
        element.attributes.get('developmentDependency') === 'true',
      ),
    );
  return { ok: true, packages: uniquePackages(packages) };
}
