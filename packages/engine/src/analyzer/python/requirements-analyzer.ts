import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { isInsideInstalledPackages, packageFacts } from './python-facts.ts';
import { parseRequirements } from './requirements.ts';
import { decodeText } from './text.ts';

const id = 'pip-requirements';

/** `requirements.txt`, `requirements-dev.txt`, `requirements_prod.txt` ...: pip requirement files by name. */
export function isRequirementsFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.startsWith('requirements') && name.endsWith('.txt');
}

/** Pinned requirements (`name==version`) of applications' pip requirement files. */
export const requirementsAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id,
  version: 1,
  wants: {
    match: (path) => isRequirementsFile(path),
    matchGuard: { suffixes: ['.txt'] },
    maxBytes: 16 * 1024 * 1024,
  },
  analyze(file, context): readonly Fact[] {
    if (!isRequirementsFile(file.path) || isInsideInstalledPackages(file.path)) return [];
    return packageFacts(id, 'lockfile', file, context, parseRequirements(decodeText(file.content)));
  },
};
