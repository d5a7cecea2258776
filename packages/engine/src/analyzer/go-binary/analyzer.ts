import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact, PackageRecord } from '../fact.ts';
import { goModulePackage, goStdlib } from '../go-mod/go-package.ts';
import { goTagToSemver } from '../go-mod/go-version.ts';
import { readGoBuildInfo } from './build-info.ts';
import { isElf } from './elf.ts';
import { parseBuildInfo, type GoModule } from './parse-build-info.ts';

const id = 'go-binary';
const KiB = 1024;
const MiB = 1024 * KiB;

/** Executables smaller than this cannot hold a Go runtime; larger than the cap are not read. */
const minBytes = 1 * KiB;
const maxBytes = 256 * MiB;

/** The module actually built: its replacement when there is one. */
function effective(module: GoModule): GoModule {
  return module.replace ?? module;
}

/**
 * Reported module versions: not the main module's `(devel)` (a build from a checkout, not a
 * release), and not an empty version (a local directory replacement).
 */
function isReportable(module: GoModule): boolean {
  return module.path !== '' && module.version !== '' && module.version !== '(devel)';
}

/**
 * Go executables: the modules compiled in, read from the build information the Go linker embeds
 * (Go 1.13 and later), and the standard library at the version of the Go toolchain that built it.
 * See readme.md.
 */
export const goBinaryAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id,
  version: 1,
  wants: {
    match: (_path, size, mode) => (mode & 0o111) !== 0 && size >= minBytes && size <= maxBytes,
    matchGuard: { executable: true },
    maxBytes,
  },
  analyze(file, context): readonly Fact[] {
    if (!isElf(file.content)) return [];
    const diagnostic = (message: string): Fact => ({
      kind: 'diagnostic',
      layer: context.layer,
      path: file.path,
      source: id,
      code: 'parse_error',
      message,
    });
    const found = readGoBuildInfo(file.content);
    if (found.kind === 'absent') return [];
    if (found.kind === 'malformed') return [diagnostic(found.reason)];
    const packages: PackageRecord[] = [];
    const facts: Fact[] = [];
    const parsed = parseBuildInfo(found.info.modinfo);
    if (parsed.ok) {
      const modules = [parsed.info.main, ...parsed.info.deps].flatMap((module) =>
        module === undefined ? [] : [effective(module)],
      );
      const seen = new Set<string>();
      for (const module of modules) {
        if (!isReportable(module)) continue;
        const key = `${module.path}@${module.version}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const pkg = goModulePackage(module.path, module.version);
        if (pkg === undefined) facts.push(diagnostic(`invalid module version skipped: ${key.slice(0, 200)}`));
        else packages.push(pkg);
      }
    } else {
      facts.push(diagnostic(`Go module information: ${parsed.error}`));
    }
    const stdlib = goTagToSemver(found.info.goVersion);
    const stdlibPackage = stdlib === undefined ? undefined : goModulePackage(goStdlib, stdlib);
    if (stdlibPackage !== undefined) packages.push(stdlibPackage);
    return [
      ...packages.map((pkg): Fact => ({
        kind: 'package',
        layer: context.layer,
        path: file.path,
        origin: 'binary',
        pkg,
      })),
      ...facts,
    ];
  },
};
