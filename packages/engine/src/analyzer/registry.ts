import { apkAnalyzer } from './apk/analyzer.ts';
import type { Analyzer } from './contract.ts';
import { dpkgAnalyzer } from './dpkg/analyzer.ts';
import { npmAnalyzers } from './npm/index.ts';
import { osReleaseAnalyzer } from './os-release/analyzer.ts';
import { pythonAnalyzers } from './python/index.ts';
import { rpmAnalyzer } from './rpm/analyzer.ts';

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
];
