import { apkAnalyzer } from './apk/analyzer.ts';
import type { Analyzer } from './contract.ts';
import { dotnetDepsAnalyzer, nugetLockAnalyzer, nugetPackagesConfigAnalyzer } from './dotnet/analyzers.ts';
import { dpkgAnalyzer } from './dpkg/analyzer.ts';
import { goBinaryAnalyzer } from './go-binary/analyzer.ts';
import { goModAnalyzer } from './go-mod/analyzer.ts';
import { javaArchiveAnalyzer } from './java/archive-analyzer.ts';
import { gradleLockfileAnalyzer, sbtLockfileAnalyzer } from './java/lockfile-analyzers.ts';
import { npmAnalyzers } from './npm/index.ts';
import { osReleaseAnalyzer } from './os-release/analyzer.ts';
import { composerInstalledAnalyzer, composerLockAnalyzer } from './php/analyzers.ts';
import { pythonAnalyzers } from './python/index.ts';
import { rpmAnalyzer } from './rpm/analyzer.ts';
import { gemfileLockAnalyzer, gemspecAnalyzer } from './ruby/analyzers.ts';
import { cargoAuditableAnalyzer, cargoLockAnalyzer } from './rust/analyzers.ts';

/**
 * Every built-in analyzer, in one explicit list: nothing registers itself on import, and the shared
 * contract test runs over each entry.
 */
export const builtinAnalyzers: readonly Analyzer[] = [
  osReleaseAnalyzer,
  dpkgAnalyzer,
  apkAnalyzer,
  rpmAnalyzer,
  ...npmAnalyzers,
  ...pythonAnalyzers,
  goBinaryAnalyzer,
  goModAnalyzer,
  javaArchiveAnalyzer,
  gradleLockfileAnalyzer,
  sbtLockfileAnalyzer,
  gemspecAnalyzer,
  gemfileLockAnalyzer,
  cargoLockAnalyzer,
  cargoAuditableAnalyzer,
  composerLockAnalyzer,
  composerInstalledAnalyzer,
  dotnetDepsAnalyzer,
  nugetLockAnalyzer,
  nugetPackagesConfigAnalyzer,
];
