import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { isInsideNodeModules, packageFacts } from './npm-facts.ts';
import { parseYarnLock } from './yarn-lock.ts';

const id = 'yarn-lock';

/** yarn.lock of applications, yarn classic (v1) and berry (2+). */
export const yarnLockAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id,
  version: 1,
  wants: { basenames: ['yarn.lock'], maxBytes: 64 * 1024 * 1024 },
  analyze(file, context): readonly Fact[] {
    if (isInsideNodeModules(file.path)) return [];
    return packageFacts(id, 'lockfile', file, context, parseYarnLock(file.content.toString('utf8')));
  },
};
