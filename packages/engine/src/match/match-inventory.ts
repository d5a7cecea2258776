import type { DetectedOs } from '../inventory/coalesce-os.ts';
import type { InventoryPackage } from '../inventory/coalesce-packages.ts';
import { evaluateOsvRanges } from '../versioning/evaluate-osv-ranges.ts';
import type { SchemeId, VersionScheme } from '../versioning/scheme.ts';
import type { VulnerabilityDatabase } from '../vulndb/database.ts';
import type { AdvisorySummary, AffectedCandidate, MatchEntry } from '../vulndb/match-entry.ts';
import type { OsvRange } from '../versioning/osv-affected.ts';
import type { VulnerabilityFinding } from './finding.ts';
import type { MatchMemo, QueryMatch } from './match-memo.ts';
import { memoisedSchemes } from './memoised-scheme.ts';
import { normalisePypiName, osvQueryFor, type OsvQuery } from './osv-ecosystem.ts';

function namesMatch(entry: MatchEntry, ecosystem: string, name: string): boolean {
  if (entry.package.ecosystem !== ecosystem) return false;
  if (ecosystem === 'PyPI') return normalisePypiName(entry.package.name) === name;
  if (ecosystem === 'Packagist') return entry.package.name.toLowerCase() === name;
  return entry.package.name === name;
}

/** Fixed versions of the entry that are later than the installed version, in the scheme's order. */
function fixedVersionsOf(
  entry: MatchEntry,
  installed: string,
  scheme: VersionScheme,
  verdict: Match['verdict'],
): string[] {
  // Most findings: one range of two events, and the walk found the version below its `fixed`.
  const only = entry.ranges?.length === 1 ? entry.ranges[0] : undefined;
  if (only?.events.length === 2 && verdict.status === 'affected' && verdict.evidence.kind === 'range') {
    const { fixed } = verdict.evidence;
    if (fixed !== undefined) return [fixed];
  }
  let installedValid: boolean | undefined;
  const later: string[] = [];
  const ranges = entry.ranges ?? [];
  for (let r = 0; r < ranges.length; r++) {
    const range = ranges[r] as OsvRange;
    if (range.type === 'GIT') continue;
    for (let e = 0; e < range.events.length; e++) {
      const fixed = range.events[e]?.fixed;
      if (fixed === undefined || later.includes(fixed) || !scheme.isValid(fixed)) continue;
      installedValid ??= scheme.isValid(installed);
      // Installed first, as the range walk asked: the memoised answer is found, not computed.
      if (!installedValid || scheme.compare(installed, fixed) < 0) later.push(fixed);
    }
  }
  return later.length < 2 ? later : later.sort((a, b) => scheme.compare(a, b));
}

/** One (advisory, package) pair whose ranges did not rule the package out. */
interface Match extends QueryMatch {
  readonly pkg: VulnerabilityFinding['package'];
  readonly query: OsvQuery;
}

/**
 * Matches an image's inventory against the vulnerability database: exact lookups by OSV
 * ecosystem and package name (no fuzzy or CPE matching), the record's ranges evaluated with the
 * ecosystem's version scheme. One finding per (record, package); a record matched both by a
 * binary name and its source package counts once. Withdrawn records never reach here.
 *
 * The database is asked once per ecosystem for all the inventory's names, and once for the
 * summaries of the advisories that matched: per-package lookups cost more than the matching.
 * With a `memo` (of this database), a query answered before is not evaluated again.
 */
export function matchInventory(
  packages: readonly InventoryPackage[],
  os: DetectedOs | undefined,
  database: VulnerabilityDatabase,
  schemes: Readonly<Record<SchemeId, VersionScheme>>,
  memo?: MatchMemo,
): VulnerabilityFinding[] {
  const cached = memoisedSchemes(schemes);
  const queries = packages.map((pkg) => osvQueryFor(pkg, os));
  // Without a memo (the CLI's one match per process) nothing here is spent on one.
  const keys = memo && queries.map((query) => query && memo.keyOf(query));
  const known = keys?.map((key) => (key === undefined ? undefined : memo?.get(key)));
  const candidates = lookUpAll(known ? queries.filter((_, index) => !known[index]) : queries, database);
  const matches: Match[] = [];
  // Indexed loops, not for-of: this runs once per process in the CLI, mostly before V8 has
  // optimised it, and unoptimised for-of allocates an iterator result per step.
  for (let index = 0; index < packages.length; index++) {
    const pkg = packages[index] as InventoryPackage;
    const query = queries[index];
    if (!query) continue;
    let found = known?.[index];
    if (!found) {
      found = queryMatches(query, cached, candidates);
      const key = keys?.[index];
      if (key !== undefined) memo?.set(key, found);
    }
    if (found.length === 0) continue;
    // Shared by the package's findings (they are read-only): fewer objects for the collector.
    const pkgView = packageView(pkg);
    for (let f = 0; f < found.length; f++) {
      const { ecosystem, by, version, id, entry, verdict, scheme } = found[f] as QueryMatch;
      matches.push({ ecosystem, by, version, id, entry, verdict, scheme, pkg: pkgView, query });
    }
  }
  const summaries = database.summariesOf(new Set(matches.map((match) => match.id)));
  // Findings of one advisory share its alias list (they are read-only).
  const aliases = new Map<string, readonly string[]>();
  return matches.map((match) => {
    const summary = summaries.get(match.id);
    if (!summary) throw new Error(`the vulnerability database has no summary of ${match.id}`);
    let advisoryAliases = aliases.get(match.id);
    if (!advisoryAliases) aliases.set(match.id, (advisoryAliases = aliasesOf(summary)));
    return toFinding(match, summary, advisoryAliases);
  });
}

/** The advisories whose ranges do not rule out the query's package: the first entry of each. */
function queryMatches(
  query: OsvQuery,
  cached: Readonly<Record<SchemeId, VersionScheme>>,
  candidates: ReadonlyMap<string, ReadonlyMap<string, readonly AffectedCandidate[]>>,
): readonly QueryMatch[] {
  const scheme = cached[query.scheme];
  const seen = new Set<string>();
  const found: QueryMatch[] = [];
  for (let e = 0; e < query.ecosystems.length; e++) {
    const ecosystem = query.ecosystems[e] as string;
    const byName = candidates.get(ecosystem);
    for (let n = 0; n < query.names.length; n++) {
      const { name, by } = query.names[n] as OsvQuery['names'][number];
      const candidatesOfName = byName?.get(name) ?? [];
      for (let c = 0; c < candidatesOfName.length; c++) {
        const { id, entries } = candidatesOfName[c] as AffectedCandidate;
        if (seen.has(id)) continue;
        const version = query.versionFor(by);
        for (let m = 0; m < entries.length; m++) {
          const entry = entries[m] as MatchEntry;
          if (!namesMatch(entry, ecosystem, name)) continue;
          const verdict = evaluateOsvRanges(version, entry, scheme, { semver: cached.semver });
          if (verdict.status === 'not-affected') continue;
          seen.add(id);
          found.push({ ecosystem, by, version, id, entry, verdict, scheme });
          break;
        }
      }
    }
  }
  return found.length === 0 ? noMatches : found;
}

/** Most packages match nothing: one answer for all of them (a memo holds it per query). */
const noMatches: readonly QueryMatch[] = [];

function lookUpAll(
  queries: readonly (OsvQuery | undefined)[],
  database: VulnerabilityDatabase,
): Map<string, ReadonlyMap<string, readonly AffectedCandidate[]>> {
  const wanted = new Map<string, Set<string>>();
  for (const query of queries) {
    if (!query) continue;
    for (const ecosystem of query.ecosystems) {
      let names = wanted.get(ecosystem);
      if (!names) wanted.set(ecosystem, (names = new Set()));
      for (const { name } of query.names) names.add(name);
    }
  }
  const candidates = new Map<string, ReadonlyMap<string, readonly AffectedCandidate[]>>();
  for (const [ecosystem, names] of wanted)
    candidates.set(ecosystem, database.candidatesFor(ecosystem, [...names]));
  return candidates;
}

function packageView(pkg: InventoryPackage): VulnerabilityFinding['package'] {
  return {
    ecosystem: pkg.ecosystem,
    name: pkg.name,
    version: pkg.version,
    purl: pkg.purl,
    path: pkg.path,
    layer: pkg.layer,
    ...(pkg.source ? { source: pkg.source } : {}),
  };
}

/** The advisory's aliases, with the CVE ids among its related records. */
function aliasesOf(summary: AdvisorySummary): readonly string[] {
  const relatedCves = summary.related.filter((id) => id.startsWith('CVE-'));
  if (relatedCves.length === 0) return summary.aliases;
  return [...new Set([...summary.aliases, ...relatedCves])];
}

function toFinding(match: Match, summary: AdvisorySummary, aliases: readonly string[]): VulnerabilityFinding {
  const { pkg, entry, verdict, version, scheme } = match;
  const severity = entry.severity ?? summary.severity;
  return {
    id: match.id,
    aliases,
    status: verdict.status,
    package: pkg,
    installedVersion: version,
    fixedVersions: fixedVersionsOf(entry, version, scheme, verdict),
    severity: severity.level,
    ...(severity.score !== undefined && severity.vector !== undefined
      ? { cvss: { version: severity.cvssVersion ?? '', score: severity.score, vector: severity.vector } }
      : {}),
    severitySource: severity.source,
    summary: summary.summary,
    description: summary.details,
    references: summary.references,
    published: summary.published,
    modified: summary.modified,
    evidence: {
      osvEcosystem: match.ecosystem,
      osvPackage: entry.package.name,
      matchedBy: match.by,
      scheme: match.query.scheme,
      range: verdict.status === 'affected' ? verdict.evidence : undefined,
      ...(verdict.status === 'unknown' ? { reason: verdict.reason } : {}),
    },
  };
}
