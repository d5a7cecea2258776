import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { parsedPackageFacts } from '../package-facts.ts';
import { parseDepsJson, parsePackagesConfig, parsePackagesLockJson } from './parse-nuget.ts';

const MiB = 1024 * 1024;

/** The dependency manifests .NET applications ship beside their assemblies, `<app>.deps.json`. */
export const dotnetDepsAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'dotnet-deps',
  version: 1,
  wants: { suffixes: ['.deps.json'], maxBytes: 32 * MiB },
  analyze(file, context): readonly Fact[] {
    return parsedPackageFacts(
      'dotnet-deps',
      'installed',
      file,
      context,
      parseDepsJson(file.content.toString('utf8')),
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
    return parsedPackageFacts(
      'nuget-lock',
      'lockfile',
      file,
      context,
      parsePackagesLockJson(file.content.toString('utf8')),
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
    return parsedPackageFacts(
      'nuget-packages-config',
      'lockfile',
      file,
      context,
      parsePackagesConfig(file.content.toString('utf8')),
    );
  },
};
