/**
 * Real version strings for the live-oracle tests (test support only): the versions the shared
 * ordering vectors name, and the versions OSV records name (event versions and `versions` lists).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OsvAffectedRanges } from './osv-affected.ts';
import { readComparisonLines, vulnData } from './vector-files.ts';

/** Every version on either side of the comparisons of some vector files of one folder. */
export function versionsOfVectors(folder: string, files: readonly string[]): ReadonlySet<string> {
  const versions = new Set<string>();
  for (const file of files)
    for (const { a, b } of readComparisonLines(folder, file)) {
      versions.add(a);
      versions.add(b);
    }
  return versions;
}

interface OsvLine {
  readonly affected?: readonly (OsvAffectedRanges & { readonly package?: { readonly ecosystem?: string } })[];
}

/**
 * Every version an OSV JSON Lines file of ../shared/vulndata names for ecosystems starting with
 * `ecosystem` (`AlmaLinux` takes `AlmaLinux:8` too): range event versions other than `0`, and the
 * explicit `versions` lists.
 */
export function versionsOfOsvFile(file: string, ecosystem: string): ReadonlySet<string> {
  const versions = new Set<string>();
  for (const line of readFileSync(join(vulnData, file), 'utf8').split('\n')) {
    if (line === '') continue;
    const record: OsvLine = JSON.parse(line);
    for (const affected of record.affected ?? []) {
      if (!(affected.package?.ecosystem ?? '').startsWith(ecosystem)) continue;
      for (const version of affected.versions ?? []) versions.add(version);
      for (const range of affected.ranges ?? [])
        for (const event of range.events)
          for (const version of [event.introduced, event.fixed, event.last_affected, event.limit])
            if (version !== undefined && version !== '0') versions.add(version);
    }
  }
  return versions;
}
