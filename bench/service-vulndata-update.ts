/**
 * A vulnerability data update for bench/rematch.ts: the records of ../shared/vulndata with some
 * of the advisories the fleet matched changed, as a feed update changes them. One in 25 is
 * withdrawn, one in 25 is corrected to name other packages (its findings become fixed), and one in 40
 * gets a new companion advisory affecting every version of the same packages (new findings).
 */
import type { OsvRecord } from './service-inventories.ts';

export interface UpdateCounts {
  readonly withdrawn: number;
  readonly narrowed: number;
  readonly added: number;
}

const updatedAt = '2026-11-27T00:00:00Z';

/** The updated record list, and how many advisories each kind of change touched. */
export function updatedRecords(
  records: readonly OsvRecord[],
  matchedAdvisories: ReadonlySet<string>,
): { readonly records: OsvRecord[]; readonly counts: UpdateCounts } {
  const matched = [...matchedAdvisories].sort();
  const withdraw = new Set(matched.filter((_, index) => index % 25 === 0));
  const narrow = new Set(matched.filter((_, index) => index % 25 === 12));
  const companion = new Set(matched.filter((_, index) => index % 40 === 7));
  const out: OsvRecord[] = [];
  for (const record of records) {
    if (withdraw.has(record.id)) out.push({ ...record, modified: updatedAt, withdrawn: updatedAt });
    else if (narrow.has(record.id))
      // The advisory stays, but names other packages now: a correction of what it affects.
      out.push({
        ...record,
        modified: updatedAt,
        affected: (record.affected ?? []).map((affected) => ({
          ...affected,
          package: { ...affected.package, name: `${affected.package.name}-corrected` },
        })),
      });
    else out.push(record);
    if (companion.has(record.id))
      out.push({
        schema_version: '1.6.0',
        id: `DRYDOCK-BENCH-${record.id}`,
        modified: updatedAt,
        published: updatedAt,
        summary: `A follow-up to ${record.id} (benchmark data)`,
        affected: (record.affected ?? []).map((affected) => ({
          package: affected.package,
          ranges: [{ type: affected.ranges?.[0]?.type ?? 'ECOSYSTEM', events: [{ introduced: '0' }] }],
        })),
      });
  }
  return { records: out, counts: { withdrawn: withdraw.size, narrowed: narrow.size, added: companion.size } };
}
