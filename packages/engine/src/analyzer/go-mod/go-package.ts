import type { PackageRecord } from '../fact.ts';
import { purlOf } from '../purl.ts';
import { isGoModuleVersion } from './go-version.ts';

/** The name the Go vulnerability database gives the standard library. */
export const goStdlib = 'stdlib';

/**
 * One Go module as a package record: ecosystem `golang`, the module path as name, and the purl
 * `pkg:golang/<path up to its last slash>/<last element>@<version>`
 * (https://github.com/package-url/purl-spec/blob/main/types-doc/golang-definition.md).
 * Undefined when the path or version is not one the go command would accept (hostile input).
 */
export function goModulePackage(modulePath: string, version: string): PackageRecord | undefined {
  if (modulePath === '' || /\s/.test(modulePath) || !isGoModuleVersion(version)) return undefined;
  const slash = modulePath.lastIndexOf('/');
  let purl: string;
  try {
    purl = purlOf({
      type: 'golang',
      namespace: slash > 0 ? modulePath.slice(0, slash) : undefined,
      name: slash > 0 ? modulePath.slice(slash + 1) : modulePath,
      version,
    });
  } catch {
    return undefined;
  }
  return { ecosystem: 'golang', name: modulePath, version, purl, licenses: [] };
}

/** A local directory standing in for a module (`./fork`, `../x`, `/abs`): not a published module. */
export function isLocalModulePath(path: string): boolean {
  return (
    path.startsWith('./') || path.startsWith('../') || path.startsWith('/') || path === '.' || path === '..'
  );
}
