import type { AnalyzedFile, AnalyzerContext } from '../contract.ts';
import type { DiagnosticFact, Fact, PackageOrigin, PackageRecord } from '../fact.ts';
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

export function parseErrorFact(
  source: string,
  file: AnalyzedFile,
  context: AnalyzerContext,
  message: string,
): DiagnosticFact {
  return { kind: 'diagnostic', layer: context.layer, path: file.path, source, code: 'parse_error', message };
}

/**
 * The facts of one parsed file: a package fact per distinct purl (copies that differ only by git
 * commit or peer set are one package here; it is development-only when every copy is), and a
 * `parse_error` diagnostic when the file could not be read or had entries that were skipped.
 */
export function packageFacts(
  source: string,
  origin: PackageOrigin,
  file: AnalyzedFile,
  context: AnalyzerContext,
  parsed: LockParse,
): Fact[] {
  if (!parsed.ok) return [parseErrorFact(source, file, context, parsed.error)];
  const byPurl = new Map<string, PackageRecord>();
  for (const found of parsed.packages) {
    const record = npmRecord(found);
    const seen = byPurl.get(record.purl);
    byPurl.set(record.purl, seen === undefined ? record : mergeRecords(seen, record));
  }
  const facts: Fact[] = [...byPurl.values()].map((pkg) => ({
    kind: 'package',
    layer: context.layer,
    path: file.path,
    origin,
    pkg,
  }));
  if (parsed.problems.length > 0) {
    const shown = parsed.problems.slice(0, 5).join('; ');
    const more = parsed.problems.length > 5 ? ` (and ${parsed.problems.length - 5} more)` : '';
    facts.push(parseErrorFact(source, file, context, `skipped entries: ${shown}${more}`));
  }
  return facts;
}

function mergeRecords(first: PackageRecord, second: PackageRecord): PackageRecord {
  const dev = first.dev === undefined || second.dev === undefined ? undefined : first.dev && second.dev;
  return {
    ...first,
    licenses: first.licenses.length > 0 ? first.licenses : second.licenses,
    ...(dev === undefined ? {} : { dev }),
  };
}

/** Lock files inside node_modules belong to installed packages, not to the application. */
export function isInsideNodeModules(path: string): boolean {
  return path.startsWith('node_modules/') || path.includes('/node_modules/');
}
