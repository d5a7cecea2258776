import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { isInsideNodeModules, packageFacts } from './npm-facts.ts';
import { parsePnpmLock } from './pnpm-lock.ts';

const id = 'pnpm-lock';

/** pnpm-lock.yaml of applications, lockfile versions 5 to 9. */
export const pnpmLockAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id,
  version: 1,
  wants: { basenames: ['pnpm-lock.yaml'], maxBytes: 64 * 1024 * 1024 },
  analyze(file, context): readonly Fact[] {
    if (isInsideNodeModules(file.path)) return [];
    return packageFacts(id, 'lockfile', file, context, parsePnpmLock(file.content.toString('utf8')));
  },
};
