/**
 * The printed tables of the scale-out benchmark (bench/scale-out.ts), in the Markdown that
 * bench/RESULTS.md records: throughput per round beside the round's own no-gap rate, the dispatch
 * overhead as distributions against the 50 ms target, and the database growth per scanned image.
 */
import type { DatabaseSize, Distribution, StoredContent } from './scale-out-figures.ts';
import type { SizePhase } from './scale-out-sizes.ts';
import { growth } from './scale-out-figures.ts';
import type { RoundOutcome } from './scale-out-round.ts';

/** The issue's target for the median dispatch overhead. */
export const targetMedianMs = 50;

export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 1 : 0) : '—');
export const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
export const kb = (bytes: number) => `${(bytes / 1e3).toFixed(1)} kB`;

/** The round every ratio is taken against: one worker, one pull. */
export function singleWorker(outcomes: readonly RoundOutcome[]): RoundOutcome | undefined {
  return outcomes.find((outcome) => outcome.spec.workers === 1 && outcome.spec.pulls === 1);
}

export function throughputTable(outcomes: readonly RoundOutcome[]): string[] {
  const single = singleWorker(outcomes);
  const lines = [
    '| round | scan slots | concurrent pulls | images ok | first start → last finish (s) | images/min | × 1 worker | scan p50 (ms) | no-gap images/min | achieved / no-gap |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { spec, times, jobs } of outcomes) {
    // This round's floor: every slot scanning all the time, each image taking the round's mean scan time.
    const noGap = (spec.workers * 60_000) / times.scan.mean;
    const failed = jobs - times.succeeded;
    lines.push(
      `| ${[
        spec.label,
        String(spec.workers),
        String(spec.pulls),
        `${times.succeeded}${failed > 0 ? ` (${failed} not: ${JSON.stringify(times.failures)})` : ''}`,
        (times.wallMs / 1000).toFixed(1),
        times.imagesPerMinute.toFixed(0),
        single ? (times.imagesPerMinute / single.times.imagesPerMinute).toFixed(2) : '—',
        ms(times.scan.p50),
        noGap.toFixed(0),
        (times.imagesPerMinute / noGap).toFixed(2),
      ].join(' | ')} |`,
    );
  }
  return lines;
}

export function cpuTable(outcomes: readonly RoundOutcome[], cores: number): string[] {
  const lines = [
    `| round | CPU ms/image: workers | serve | PostgreSQL | registry | worker cores busy | machine cores busy (of ${cores}) | index lock held | ≈ ms held per result | samples with a waiter | waiting backends (mean) | peak RSS MB: worker, serve |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { spec, times, cpu, lockWaits } of outcomes) {
    const perImage = (seconds: number) => ((seconds * 1000) / times.succeeded).toFixed(1);
    lines.push(
      `| ${[
        spec.label,
        perImage(cpu.workers),
        perImage(cpu.serve),
        perImage(cpu.postgres),
        perImage(cpu.registry),
        (cpu.workers / cpu.seconds).toFixed(2),
        cpu.machineCores.toFixed(2),
        `${(lockWaits.held * 100).toFixed(0)} %`,
        // Little's law: the share of time the lock is held over the results written per unit of time.
        ((lockWaits.held * cpu.seconds * 1000) / times.succeeded).toFixed(1),
        `${(lockWaits.anyWaiting * 100).toFixed(0)} %`,
        lockWaits.meanWaiting.toFixed(2),
        `${cpu.workerPeakRssMb.toFixed(0)}, ${cpu.servePeakRssMb.toFixed(0)}`,
      ].join(' | ')} |`,
    );
  }
  return lines;
}

function distributionCells(value: Distribution): string {
  return [
    String(value.count),
    ms(value.p50),
    ms(value.p90),
    ms(value.p99),
    ms(value.max),
    String(value.overOneSecond),
  ].join(' | ');
}

export function dispatchTable(outcomes: readonly RoundOutcome[]): string[] {
  const lines = [
    `| round | measure (ms) | jobs | p50 | p90 | p99 | max | > 1 s | median < ${targetMedianMs} ms |`,
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const verdict = (value: Distribution) => (value.p50 < targetMedianMs ? '✓' : '✗');
  for (const { spec, times } of outcomes) {
    lines.push(
      `| ${spec.label} | enqueue → start | ${distributionCells(times.enqueueToStart)} | ${verdict(times.enqueueToStart)} |`,
    );
    if (times.finishToNextStart)
      lines.push(
        `| ${spec.label} | finish → next start | ${distributionCells(times.finishToNextStart)} | ${verdict(times.finishToNextStart)} |`,
      );
  }
  return lines;
}

/** The hand-over split at pg-boss's own timestamps: where the time between two scans goes. */
export function segmentTable(outcomes: readonly RoundOutcome[]): string[] {
  const lines = [
    '| round | segment (ms) | jobs | p50 | p90 | p99 | max | > 1 s |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const { spec, times } of outcomes)
    for (const segment of times.segments)
      lines.push(`| ${spec.label} | ${segment.name} | ${distributionCells(segment.values)} |`);
  return lines;
}

/** Bytes of each table's growth between two sizes, by table. */
function growthOf(from: DatabaseSize, to: DatabaseSize): Map<string, number> {
  return new Map(growth(from, to).map((table) => [table.table, table.bytes]));
}

/**
 * Growth per table, packed (after `vacuum full`): per image of the first half (with what is paid
 * once), per image of the second half (one more image), and per further scan. The ten tables that
 * grow most with images and scans, the rest summed; then the whole database, packed and as written.
 */
export function sizeTable(phase: SizePhase): string[] {
  const first = growthOf(phase.synced, phase.firstHalf.packed);
  const second = growthOf(phase.firstHalf.packed, phase.secondHalf.packed);
  const again = growthOf(phase.secondHalf.packed, phase.rescan.packed);
  const weight = (table: string) =>
    (second.get(table) ?? 0) + (again.get(table) ?? 0) + (first.get(table) ?? 0) / 100;
  const order = [...new Set([...first.keys(), ...second.keys(), ...again.keys()])].sort(
    (a, b) => weight(b) - weight(a),
  );
  const cells = (firstBytes: number, secondBytes: number, againBytes: number) => [
    kb(firstBytes / phase.firstHalf.scans),
    kb(secondBytes / phase.secondHalf.scans),
    mb((secondBytes / phase.secondHalf.scans) * 10_000),
    kb(againBytes / phase.rescan.scans),
    mb((againBytes / phase.rescan.scans) * 10_000),
  ];
  const lines = [
    '| table (with its indexes and TOAST), packed | first half: per image | second half: per image | per 10,000 images | each further scan | per 10,000 further scans |',
    '|---|---|---|---|---|---|',
  ];
  for (const table of order.slice(0, 10))
    lines.push(
      `| ${table} | ${cells(first.get(table) ?? 0, second.get(table) ?? 0, again.get(table) ?? 0).join(' | ')} |`,
    );
  const rest = order.slice(10);
  const sum = (of: Map<string, number>) => rest.reduce((total, table) => total + (of.get(table) ?? 0), 0);
  if (rest.length > 0)
    lines.push(`| ${rest.length} other tables | ${cells(sum(first), sum(second), sum(again)).join(' | ')} |`);
  const database = (from: DatabaseSize, to: DatabaseSize) => to.database - from.database;
  lines.push(
    `| **database** (pg_database_size) | ${cells(
      database(phase.synced, phase.firstHalf.packed),
      database(phase.firstHalf.packed, phase.secondHalf.packed),
      database(phase.secondHalf.packed, phase.rescan.packed),
    ).join(' | ')} |`,
    `| database as written (before vacuum full) | ${cells(
      database(phase.synced, phase.firstHalf.asWritten),
      database(phase.firstHalf.packed, phase.secondHalf.asWritten),
      database(phase.secondHalf.packed, phase.rescan.asWritten),
    ).join(' | ')} |`,
    `| write-ahead log written (full_page_writes off) | ${cells(
      phase.firstHalf.walBytes,
      phase.secondHalf.walBytes,
      phase.rescan.walBytes,
    ).join(' | ')} |`,
  );
  return lines;
}

/** The estimate SIZING.md quotes: once-only bytes plus the per-image and per-scan slopes. */
export function sizeSummary(phase: SizePhase): string[] {
  const database = (from: DatabaseSize, to: DatabaseSize) => to.database - from.database;
  const perImage = database(phase.firstHalf.packed, phase.secondHalf.packed) / phase.secondHalf.scans;
  const once = database(phase.synced, phase.firstHalf.packed) - perImage * phase.firstHalf.scans;
  const perScan = database(phase.secondHalf.packed, phase.rescan.packed) / phase.rescan.scans;
  const asWritten = growth(phase.secondHalf.packed, phase.rescan.asWritten).slice(0, 3);
  return [
    `packed: ${mb(once)} once (the base's distinct findings and cache entry, first user, task rows) + ` +
      `${kb(perImage)} per scanned image = ${mb(once + perImage * 10_000)} per 10,000 images scanned once; ` +
      `each further scan of an image adds ${kb(perScan)} (${mb(perScan * 10_000)} per 10,000 scans: results are kept)`,
    `as written, before autovacuum reuses dead rows, a further scan grew the database by ${kb(
      database(phase.secondHalf.packed, phase.rescan.asWritten) / phase.rescan.scans,
    )}; most in ${asWritten.map((table) => `${table.table} ${kb(table.bytes / phase.rescan.scans)}`).join(', ')} per scan`,
  ];
}

export function contentLine(content: StoredContent, images: number): string {
  return (
    `stored: ${content.results} results, report ${kb(content.reportBytes)} each as stored (compressed), risk counts ${content.riskCounts}; ` +
    `${content.findingGroups} distinct findings (finding_group: grows with the fleet's variety, not its size), ` +
    `${(content.imageFindings / images).toFixed(0)} image–finding rows per image; layer cache ${content.layerCacheEntries} entries, ` +
    `${kb(content.layerCacheBytes)} (one per distinct layer, capped at 2 GiB by default)`
  );
}
