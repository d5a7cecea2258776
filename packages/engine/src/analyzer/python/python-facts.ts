import type { AnalyzedFile, AnalyzerContext } from '../contract.ts';
import type { DiagnosticFact, Fact, PackageOrigin, PackageRecord } from '../fact.ts';
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

export function parseErrorFact(
  source: string,
  file: AnalyzedFile,
  context: AnalyzerContext,
  message: string,
): DiagnosticFact {
  return { kind: 'diagnostic', layer: context.layer, path: file.path, source, code: 'parse_error', message };
}

/** One package fact per distinct purl (development-only when every entry is), or the parse error. */
export function packageFacts(
  source: string,
  origin: PackageOrigin,
  file: AnalyzedFile,
  context: AnalyzerContext,
  result: PythonParse,
): Fact[] {
  if (!result.ok) return [parseErrorFact(source, file, context, result.error)];
  const byPurl = new Map<string, PackageRecord>();
  for (const found of result.packages) {
    const record = pypiRecord(found);
    const seen = byPurl.get(record.purl);
    const dev = seen?.dev === undefined || record.dev === undefined ? record.dev : seen.dev && record.dev;
    byPurl.set(record.purl, seen === undefined ? record : { ...seen, ...(dev === undefined ? {} : { dev }) });
  }
  return [...byPurl.values()].map((pkg) => ({
    kind: 'package',
    layer: context.layer,
    path: file.path,
    origin,
    pkg,
  }));
}

/**
 * Lock and requirement files count where they stand in an application, not inside installed
 * packages (site-packages, dist-packages, node_modules), which ship their own for their developers.
 */
export function isInsideInstalledPackages(path: string): boolean {
  return /(?:^|\/)(?:site-packages|dist-packages|node_modules)\//.test(path);
}
