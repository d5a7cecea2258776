import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { parsePoetryLock } from './poetry-lock.ts';
import { isInsideInstalledPackages, packageFacts } from './python-facts.ts';
import { decodeText } from './text.ts';

const id = 'poetry-lock';

/** Applications' poetry.lock files. */
export const poetryLockAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id,
  version: 1,
  wants: { basenames: ['poetry.lock'], maxBytes: 64 * 1024 * 1024 },
  analyze(file, context): readonly Fact[] {
    if (isInsideInstalledPackages(file.path)) return [];
    return packageFacts(id, 'lockfile', file, context, parsePoetryLock(decodeText(file.content)));
  },
};
