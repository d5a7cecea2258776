import type { AnalyzedFile, AnalyzerContext } from '../contract.ts';
import type { Fact, PackageOrigin, PackageRecord } from '../fact.ts';
import { distinctPackageFacts, parseErrorFact } from '../package-facts.ts';
import { purlOf } from '../purl.ts';
import type { LockedPackage, LockParse } from './locked-package.ts';
import { splitScope } from './package-name.ts';

/** The npm package record of a name and version: `pkg:npm/%40scope/name@version`. */
export function npmRecord(found: LockedPackage): PackageRecord {
  const { namespace, name } = splitScope(found.name);
  return {
    ecosystem: 'npm',
    name: found.name,
    version: found.version,
    purl: purlOf({ type: 'npm', namespace, name, version: found.version }),
    licenses: found.licenses,
    ...(found.dev === undefined ? {} : { dev: found.dev }),
  };
}

export { parseErrorFact } from '../package-facts.ts';

/** The facts of one parsed npm file (package-facts.ts), or its parse error. */
export function packageFacts(
  source: string,
  origin: PackageOrigin,
  file: AnalyzedFile,
  context: AnalyzerContext,
  parsed: LockParse,
): Fact[] {
  if (!parsed.ok) return [parseErrorFact(source, file, context, parsed.error)];
  return distinctPackageFacts(source, origin, file, context, parsed.packages.map(npmRecord), parsed.problems);
}

/** Lock files inside node_modules belong to installed packages, not to the application. */
export function isInsideNodeModules(path: string): boolean {
  return path.startsWith('node_modules/') || path.includes('/node_modules/');
}
