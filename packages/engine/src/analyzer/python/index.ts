import type { Analyzer } from '../contract.ts';
import { pythonInstalledAnalyzer } from './installed-analyzer.ts';
import { pipfileLockAnalyzer } from './pipfile-lock-analyzer.ts';
import { poetryLockAnalyzer } from './poetry-lock-analyzer.ts';
import { requirementsAnalyzer } from './requirements-analyzer.ts';

export { pipfileLockAnalyzer, poetryLockAnalyzer, pythonInstalledAnalyzer, requirementsAnalyzer };

/** The Python analyzers, for the explicit list in ../registry.ts. */
export const pythonAnalyzers: readonly Analyzer[] = [
  pythonInstalledAnalyzer,
  poetryLockAnalyzer,
  pipfileLockAnalyzer,
  requirementsAnalyzer,
];
