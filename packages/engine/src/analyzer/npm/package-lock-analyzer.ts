import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { isInsideNodeModules, packageFacts } from './npm-facts.ts';
import { parsePackageLock } from './package-lock.ts';

const id = 'npm-lock';

/** npm lock files of applications: package-lock.json and npm-shrinkwrap.json, lock versions 1 to 3. */
export const npmLockAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id,
  version: 1,
  wants: { basenames: ['package-lock.json', 'npm-shrinkwrap.json'], maxBytes: 64 * 1024 * 1024 },
  analyze(file, context): readonly Fact[] {
    if (isInsideNodeModules(file.path)) return [];
    return packageFacts(id, 'lockfile', file, context, parsePackageLock(file.content.toString('utf8')));
  },
};
