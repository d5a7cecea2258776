import type { PackageRecord } from '../fact.ts';
import { goModulePackage, goStdlib, isLocalModulePath } from './go-package.ts';
import { goTagToSemver } from './go-version.ts';
import type { GoModFile, GoReplace } from './parse-go-mod.ts';

/**
 * The replacement that applies to one required module version: a `replace` naming that exact
 * version wins over one naming the path alone (https://go.dev/ref/mod#go-mod-file-replace).
 */
function replacementOf(replaces: readonly GoReplace[], path: string, version: string): GoReplace | undefined {
  let general: GoReplace | undefined;
  for (const replace of replaces) {
    if (replace.oldPath !== path) continue;
    if (replace.oldVersion === version) return replace;
    if (replace.oldVersion === undefined) general = replace;
  }
  return general;
}

/** `1.21` → [1, 21]; undefined when the text is no Go language version. */
function languageVersion(go: string): readonly [number, number] | undefined {
  const match = /^1\.(\d+)(?:\.\d+)?(?:(?:rc|beta)\d+)?$/.exec(go);
  return match === null ? undefined : [1, Number(match[1])];
}

/**
 * The standard library version a go.mod pins, if any, as the Go vulnerability database writes
 * stdlib versions. A `toolchain` line names the minimum toolchain (`go1.22.5` → `v1.22.5`); without
 * one, a `go` line of 1.21 or later is itself a minimum toolchain requirement the go command
 * enforces (https://go.dev/doc/toolchain): `go 1.23` → `v1.23.0`, `go 1.22.1` → `v1.22.1`. Before
 * Go 1.21 the `go` line is only the language version and says nothing of the toolchain that builds
 * the module, so no stdlib is reported.
 */
export function goModStdlibVersion(file: GoModFile): string | undefined {
  if (file.toolchain !== undefined) return goTagToSemver(file.toolchain);
  if (file.go === undefined) return undefined;
  const language = languageVersion(file.go);
  if (language === undefined || language[1] < 21) return undefined;
  return goTagToSemver(`go${file.go}`);
}

export interface GoModPackages {
  readonly packages: readonly PackageRecord[];
  /** `path@version` of requirements that are no valid module version (the go command rejects them too). */
  readonly rejected: readonly string[];
}

/**
 * The modules a go.mod requires, after its replacements: a module replaced by another module is
 * reported as the replacement, one replaced by a local directory is left out (its code is not any
 * published version). Each module version once, in file order, then the stdlib.
 */
export function goModPackages(file: GoModFile): GoModPackages {
  const packages: PackageRecord[] = [];
  const rejected: string[] = [];
  const seen = new Set<string>();
  const add = (path: string, version: string): void => {
    const key = `${path}@${version}`;
    if (seen.has(key)) return;
    seen.add(key);
    const pkg = goModulePackage(path, version);
    if (pkg === undefined) rejected.push(key);
    else packages.push(pkg);
  };
  for (const require of file.requires) {
    const replace = replacementOf(file.replaces, require.path, require.version);
    if (replace === undefined) add(require.path, require.version);
    else if (replace.newVersion !== undefined && !isLocalModulePath(replace.newPath))
      add(replace.newPath, replace.newVersion);
  }
  const stdlib = goModStdlibVersion(file);
  if (stdlib !== undefined) add(goStdlib, stdlib);
  return { packages, rejected };
}

/** True when go.mod lists every module the build needs (go 1.17 and later, module graph pruning). */
export function goModIsComplete(file: GoModFile): boolean {
  if (file.go === undefined) return false;
  const language = languageVersion(file.go);
  return language !== undefined && language[1] >= 17;
}
