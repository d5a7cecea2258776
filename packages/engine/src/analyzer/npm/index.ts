import type { Analyzer } from '../contract.ts';
import { npmInstalledAnalyzer } from './installed-analyzer.ts';
import { npmLockAnalyzer } from './package-lock-analyzer.ts';
import { pnpmLockAnalyzer } from './pnpm-lock-analyzer.ts';
import { yarnLockAnalyzer } from './yarn-lock-analyzer.ts';

export { npmInstalledAnalyzer, npmLockAnalyzer, pnpmLockAnalyzer, yarnLockAnalyzer };

/** The JavaScript analyzers, for the explicit list in ../registry.ts. */
export const npmAnalyzers: readonly Analyzer[] = [
  npmInstalledAnalyzer,
  npmLockAnalyzer,
  yarnLockAnalyzer,
  pnpmLockAnalyzer,
];
