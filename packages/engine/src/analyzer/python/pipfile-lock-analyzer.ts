import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { parsePipfileLock } from './pipfile-lock.ts';
import { isInsideInstalledPackages, packageFacts } from './python-facts.ts';
import { decodeText } from './text.ts';

const id = 'pipfile-lock';

/** Applications' Pipfile.lock files (pipenv). */
export const pipfileLockAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id,
  version: 1,
  wants: { basenames: ['Pipfile.lock'], maxBytes: 64 * 1024 * 1024 },
  analyze(file, context): readonly Fact[] {
    if (isInsideInstalledPackages(file.path)) return [];
    return packageFacts(id, 'lockfile', file, context, parsePipfileLock(decodeText(file.content)));
  },
};
