import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import {
  parseDepsJson,
  parsePackagesConfig,
  parsePackagesLockJson,
  type NugetResult,
} from './parse-nuget.ts';

function facts(
  result: NugetResult,
  source: string,
  origin: 'installed' | 'lockfile',
  path: string,
  layer: Fact['layer'],
): readonly Fact[] {
  if (!result.ok)
    return [{ kind: 'diagnostic', layer, path, source, code: 'parse_error', message: result.error }];
  return result.packages.map((pkg) => ({ kind: 'package', layer, path, origin, pkg }));
}

const MiB = 1024 * 1024;

/** The dependency manifests .NET applications ship beside their assemblies, `<app>.deps.json`. */
export const dotnetDepsAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'dotnet-deps',
  version: 1,
  wants: { suffixes: ['.deps.json'], maxBytes: 32 * MiB },
  analyze(file, context): readonly Fact[] {
    return facts(
      parseDepsJson(file.content.toString('utf8')),
      'dotnet-deps',
      'installed',
      file.path,
      context.layer,
    );
  },
};

/** NuGet lock files, `packages.lock.json`. */
export const nugetLockAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'nuget-lock',
  version: 1,
  wants: { basenames: ['packages.lock.json'], maxBytes: 32 * MiB },
  analyze(file, context): readonly Fact[] {
    return facts(
      parsePackagesLockJson(file.content.toString('utf8')),
      'nuget-lock',
      'lockfile',
      file.path,
      context.layer,
    );
  },
};

/** Legacy NuGet package lists, `packages.config`. */
export const nugetPackagesConfigAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'nuget-packages-config',
  version: 1,
  wants: { basenames: ['packages.config'], maxBytes: 4 * MiB },
  analyze(file, context): readonly Fact[] {
    return facts(
      parsePackagesConfig(file.content.toString('utf8')),
      'nuget-packages-config',
      'lockfile',
      file.path,
      context.layer,
    );
  },
};
