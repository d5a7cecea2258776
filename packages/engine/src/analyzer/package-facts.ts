import type { AnalyzedFile, AnalyzerContext } from './contract.ts';
import type { DiagnosticFact, Fact, PackageOrigin, PackageRecord } from './fact.ts';

/** A `parse_error` diagnostic for a file an analyzer could not read (in full). */
export function parseErrorFact(
  source: string,
  file: AnalyzedFile,
  context: AnalyzerContext,
  message: string,
): DiagnosticFact {
  return { kind: 'diagnostic', layer: context.layer, path: file.path, source, code: 'parse_error', message };
}

/** Two copies of one package (same purl) in one file: licences from whichever has them; dev only when both are. */
function merge(first: PackageRecord, second: PackageRecord): PackageRecord {
  const dev = first.dev === undefined || second.dev === undefined ? undefined : first.dev && second.dev;
  const { dev: _dropped, ...rest } = first;
  return {
    ...rest,
    licenses: first.licenses.length > 0 ? first.licenses : second.licenses,
    ...(dev === undefined ? {} : { dev }),
  };
}

/**
 * The facts of one parsed file shared by the lock-file and metadata analyzers: one package fact per
 * distinct purl (copies that differ only in details are one package here), and a `parse_error`
 * diagnostic summing up skipped entries.
 */
export function distinctPackageFacts(
  source: string,
  origin: PackageOrigin,
  file: AnalyzedFile,
  context: AnalyzerContext,
  records: readonly PackageRecord[],
  problems: readonly string[] = [],
): Fact[] {
  const byPurl = new Map<string, PackageRecord>();
  for (const record of records) {
    const seen = byPurl.get(record.purl);
    byPurl.set(record.purl, seen === undefined ? record : merge(seen, record));
  }
  const facts: Fact[] = [...byPurl.values()].map((pkg) => ({
    kind: 'package',
    layer: context.layer,
    path: file.path,
    origin,
    pkg,
  }));
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    facts.push(parseErrorFact(source, file, context, `skipped entries: ${shown}${more}`));
  }
  return facts;
}

/** What a file parser returns: the packages of the file, or why it could not be read. */
export type ParsedPackages =
  | { readonly ok: true; readonly packages: readonly PackageRecord[] }
  | { readonly ok: false; readonly error: string };

/** One package fact per package a parser found in `file`, or its `parse_error` diagnostic. */
export function parsedPackageFacts(
  source: string,
  origin: PackageOrigin,
  file: AnalyzedFile,
  context: AnalyzerContext,
  result: ParsedPackages,
): Fact[] {
  if (!result.ok) return [parseErrorFact(source, file, context, result.error)];
  return result.packages.map((pkg) => ({
    kind: 'package',
    layer: context.layer,
    path: file.path,
    origin,
    pkg,
  }));
}
