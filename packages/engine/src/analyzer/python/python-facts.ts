import type { AnalyzedFile, AnalyzerContext } from '../contract.ts';
import type { Fact, PackageOrigin, PackageRecord } from '../fact.ts';
import { distinctPackageFacts, parseErrorFact } from '../package-facts.ts';
import { purlOf } from '../purl.ts';
import { normalizeName } from './package-name.ts';
import type { PythonPackage, PythonParse } from './python-package.ts';

/** The pypi package record: the name as written, `pkg:pypi/<PEP 503 name>@version`. */
export function pypiRecord(found: PythonPackage): PackageRecord {
  return {
    ecosystem: 'pypi',
    name: found.name,
    version: found.version,
    purl: purlOf({ type: 'pypi', name: normalizeName(found.name), version: found.version }),
    licenses: found.licenses,
    ...(found.dev === undefined ? {} : { dev: found.dev }),
  };
}

export { parseErrorFact } from '../package-facts.ts';

/** One package fact per distinct purl (package-facts.ts), or the parse error. */
export function packageFacts(
  source: string,
  origin: PackageOrigin,
  file: AnalyzedFile,
  context: AnalyzerContext,
  result: PythonParse,
): Fact[] {
  if (!result.ok) return [parseErrorFact(source, file, context, result.error)];
  return distinctPackageFacts(source, origin, file, context, result.packages.map(pypiRecord));
}

/**
 * Lock and requirement files count where they stand in an application, not inside installed
 * packages (site-packages, dist-packages, node_modules), which ship their own for their developers.
 */
export function isInsideInstalledPackages(path: string): boolean {
  return /(?:^|\/)(?:site-packages|dist-packages|node_modules)\//.test(path);
}
