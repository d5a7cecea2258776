import type { DetectedOs } from '../inventory/coalesce-os.ts';
import type { VulnerabilityFinding } from '../match/finding.ts';
import { matchInventory } from '../match/match-inventory.ts';
import type { MatchMemo } from '../match/match-memo.ts';
import { versionSchemes } from '../versioning/registry.ts';
import type { VulnerabilityDatabase } from '../vulndb/database.ts';
import type { ImageReport } from './result.ts';

/**
 * Matches a stored report's inventory against (newer) vulnerability data, without the image: the
 * report keeps every package and the detected OS, which is all matching reads. The service uses it
 * to re-check stored results after a database update; a `memo` kept across its reports answers
 * each package version once.
 */
export function rematchReport(
  report: ImageReport,
  database: VulnerabilityDatabase,
  memo?: MatchMemo,
): VulnerabilityFinding[] {
  const os: DetectedOs | undefined = report.os && {
    family: report.os.family,
    id: report.os.id,
    name: report.os.name,
    versionId: report.os.version,
    versionCodename: report.os.codename,
    prettyName: report.os.prettyName,
    // Matching does not read ID_LIKE (the family is already resolved), so the report need not keep it.
    idLike: [],
    path: report.os.path,
    layerIndex: report.os.layerIndex,
  };
  return matchInventory(report.packages, os, database, versionSchemes, memo);
}
