import type { DetectedOs } from '../inventory/coalesce-os.ts';
import type { InventoryPackage } from '../inventory/coalesce-packages.ts';
import { evaluateOsvRanges } from '../versioning/evaluate-osv-ranges.ts';
import type { SchemeId, VersionScheme } from '../versioning/scheme.ts';
import type { VulnerabilityDatabase } from '../vulndb/database.ts';
import type { OsvAffected, OsvRecord } from '../vulndb/osv-record.ts';
import { severityOf } from '../vulndb/severity.ts';
import type { VulnerabilityFinding } from './finding.ts';
import { memoisedSchemes } from './memoised-scheme.ts';
import { normalisePypiName, osvQueryFor } from './osv-ecosystem.ts';

function namesMatch(affected: OsvAffected, ecosystem: string, name: string): boolean {
  if (affected.package.ecosystem !== ecosystem) return false;
  if (ecosystem === 'PyPI') return normalisePypiName(affected.package.name) === name;
  if (ecosystem === 'Packagist') return affected.package.name.toLowerCase() === name;
  return affected.package.name === name;
}

/** Fixed versions of the entry that are later than the installed version, in the scheme's order. */
function fixedVersionsOf(affected: OsvAffected, installed: string, scheme: VersionScheme): string[] {
  const fixed = new Set<string>();
  for (const range of affected.ranges ?? []) {
    if (range.type === 'GIT') continue;
    for (const event of range.events) if (event.fixed !== undefined) fixed.add(event.fixed);
  }
  const valid = [...fixed].filter((version) => scheme.isValid(version));
  const later = scheme.isValid(installed)
    ? valid.filter((version) => scheme.compare(version, installed) > 0)
    : valid;
  return later.sort((a, b) => scheme.compare(a, b));
}

function referencesOf(record: OsvRecord): string[] {
  return [...new Set((record.references ?? []).map((reference) => reference.url))];
}

/**
 * Matches an image's inventory against the vulnerability database: exact lookups by OSV
 * ecosystem and package name (no fuzzy or CPE matching), the record's ranges evaluated with the
 * ecosystem's version scheme. One finding per (record, package); a record matched both by a
 * binary name and its source package counts once. Withdrawn records never reach here.
 */
export function matchInventory(
  packages: readonly InventoryPackage[],
  os: DetectedOs | undefined,
  database: VulnerabilityDatabase,
  schemes: Readonly<Record<SchemeId, VersionScheme>>,
): VulnerabilityFinding[] {
  const findings: VulnerabilityFinding[] = [];
  const cached = memoisedSchemes(schemes);
  for (const pkg of packages) {
    const query = osvQueryFor(pkg, os);
    if (!query) continue;
    const scheme = cached[query.scheme];
    const seen = new Set<string>();
    for (const ecosystem of query.ecosystems) {
      for (const { name, by } of query.names) {
        for (const record of database.recordsFor(ecosystem, name)) {
          if (seen.has(record.id)) continue;
          const version = query.versionFor(by);
          for (const affected of record.affected ?? []) {
            if (!namesMatch(affected, ecosystem, name)) continue;
            const verdict = evaluateOsvRanges(version, affected, scheme, { semver: cached.semver });
            if (verdict.status === 'not-affected') continue;
            seen.add(record.id);
            const severity = severityOf(record, affected);
            findings.push({
              id: record.id,
              aliases: [
                ...new Set([
                  ...(record.aliases ?? []),
                  ...(record.related ?? []).filter((id) => id.startsWith('CVE-')),
                ]),
              ],
              status: verdict.status,
              package: {
                ecosystem: pkg.ecosystem,
                name: pkg.name,
                version: pkg.version,
                purl: pkg.purl,
                path: pkg.path,
                layer: pkg.layer,
                ...(pkg.source ? { source: pkg.source } : {}),
              },
              installedVersion: version,
              fixedVersions: fixedVersionsOf(affected, version, scheme),
              severity: severity.level,
              ...(severity.score !== undefined && severity.vector !== undefined
                ? {
                    cvss: {
                      version: severity.cvssVersion ?? '',
                      score: severity.score,
                      vector: severity.vector,
                    },
                  }
                : {}),
              severitySource: severity.source,
              summary: record.summary,
              description: record.details,
              references: referencesOf(record),
              published: record.published,
              modified: record.modified,
              evidence: {
                osvEcosystem: ecosystem,
                osvPackage: affected.package.name,
                matchedBy: by,
                scheme: query.scheme,
                range: verdict.status === 'affected' ? verdict.evidence : undefined,
                ...(verdict.status === 'unknown' ? { reason: verdict.reason } : {}),
              },
            });
            break;
          }
        }
      }
    }
  }
  return findings;
}
