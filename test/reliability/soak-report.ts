import { faultKinds, type FaultKind } from '../harness/fault-plan.ts';

/**
 * What a soak run saw and how it is judged. Both the CI test and `npm run soak` judge a run with
 * `soakViolations`, so the long run fails on exactly what the short one does.
 */

/**
 * The failure codes each fault may end an image with once the retries are spent: a broken or
 * lying body is a failed download (reasons `truncated`, `digest_mismatch`, `size_mismatch`), a
 * stall outlives the scan's time limit (`timed_out`) or the body idle timeout (`download_failed`,
 * reason `stalled`), a 429 that keeps coming is `registry_rate_limited`.
 */
export const expectedFailureCodes: Readonly<Record<FaultKind, readonly string[]>> = {
  drop: ['download_failed'],
  stall: ['timed_out', 'download_failed'],
  server_error: ['download_failed'],
  rate_limited: ['registry_rate_limited'],
  corrupt: ['download_failed'],
  wrong_digest: ['download_failed'],
};

export interface ImageOutcome {
  readonly repository: string;
  /** `os/arch[/variant]` of an index's image; empty for a single-platform image. */
  readonly platform: string;
  readonly status: string;
  readonly failureCode: string | null;
  readonly failureMessage: string | null;
  /** Faults the proxy injected into this image's repository during the round. */
  readonly faults: readonly FaultKind[];
}

export interface RoundReport {
  readonly round: number;
  readonly faultsOn: boolean;
  /** The soak stopped this round's task midway: its images may end `terminated`, the task `stopped`. */
  readonly stopped: boolean;
  /** The inventory sync before the task: its status, how many images it marked deleted, its errors. */
  readonly sync: { readonly status: string; readonly deleted: number; readonly errors: readonly string[] };
  readonly taskStatus: string;
  readonly images: readonly ImageOutcome[];
  /** From the task's start until every image was final; null when they never were (a hang). */
  readonly imagesDoneMs: number | null;
  /** From every image being final until the task was; null when it never was (a hang). */
  readonly taskEndLagMs: number | null;
}

export interface MemorySample {
  readonly atMs: number;
  /** After a full garbage collection. */
  readonly heapUsed: number;
  readonly rss: number;
}

export interface SoakReport {
  readonly seconds: number;
  /** Images in the registry, each of which every task must scan. */
  readonly images: number;
  /** Task rows of a round: one per image, one per platform of an index. */
  readonly scansPerRound: number;
  readonly seed: number;
  readonly rounds: readonly RoundReport[];
  readonly injected: Readonly<Record<FaultKind, number>>;
  readonly memory: readonly MemorySample[];
}

export interface SoakBounds {
  /** Longest a task may stay running once its images are final. */
  readonly taskEndLagMs: number;
  /** The last third's mean heap (after GC) over the first third's. */
  readonly heapGrowth: number;
  /** The same for the resident set, which also holds the embedded database's pages. */
  readonly rssGrowth: number;
}

/**
 * A task ends within a few dispatcher rounds of its last image. The heap after GC must not grow by
 * half between the first and last thirds of the run; the resident set gets more room because the
 * embedded database (WASM memory, which never shrinks) grows with every stored result.
 */
export const defaultSoakBounds: SoakBounds = { taskEndLagMs: 15_000, heapGrowth: 1.5, rssGrowth: 2 };

const finalImageStatuses = new Set(['succeeded', 'failed', 'terminated']);

export function isFinalImageStatus(status: string): boolean {
  return finalImageStatuses.has(status);
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

/** The first and last thirds' means of a series (needs 3 samples or more). */
export function thirdsGrowth(values: readonly number[]): number | undefined {
  if (values.length < 3) return undefined;
  const third = Math.floor(values.length / 3);
  return mean(values.slice(-third)) / mean(values.slice(0, third));
}

function imageViolations(round: RoundReport, image: ImageOutcome): string[] {
  const where = `round ${round.round}, ${image.repository}${image.platform ? ` (${image.platform})` : ''}`;
  if (!isFinalImageStatus(image.status)) return [`${where}: still ${image.status} (a hang)`];
  if (image.status === 'terminated')
    return round.stopped ? [] : [`${where}: terminated, though nothing stopped the task`];
  if (image.status === 'succeeded') return [];
  if (image.faults.length === 0)
    return [`${where}: failed ${image.failureCode} (${image.failureMessage}) with no fault injected`];
  const allowed = new Set(image.faults.flatMap((kind) => expectedFailureCodes[kind]));
  if (image.failureCode === null || !allowed.has(image.failureCode))
    return [
      `${where}: failed ${image.failureCode} (${image.failureMessage}); faults ${image.faults.join(', ')} allow ${[...allowed].join(', ')}`,
    ];
  return [];
}

/** Everything wrong with a run; empty when it passed. */
export function soakViolations(report: SoakReport, bounds: SoakBounds = defaultSoakBounds): string[] {
  const violations: string[] = [];
  if (report.rounds.length < 2) violations.push(`only ${report.rounds.length} rounds ran`);
  for (const round of report.rounds) {
    if (round.sync.deleted > 0)
      violations.push(
        `round ${round.round}: the sync (${round.sync.status}) marked ${round.sync.deleted} images deleted`,
      );
    if (round.images.length !== report.scansPerRound)
      violations.push(
        `round ${round.round}: the task had ${round.images.length} of ${report.scansPerRound} scans`,
      );
    if (round.imagesDoneMs === null) violations.push(`round ${round.round}: images never all final`);
    if (round.taskEndLagMs === null || round.taskEndLagMs > bounds.taskEndLagMs)
      violations.push(
        `round ${round.round}: task still ${round.taskStatus} ${round.taskEndLagMs ?? '∞'} ms after its images`,
      );
    else if (round.taskStatus !== 'finished' && !(round.stopped && round.taskStatus === 'stopped'))
      violations.push(`round ${round.round}: task ended ${round.taskStatus}`);
    for (const image of round.images) violations.push(...imageViolations(round, image));
  }
  const last = report.rounds.at(-1);
  if (!last || last.faultsOn) violations.push('no final round with faults off');
  else if (last.images.some((image) => image.status !== 'succeeded'))
    violations.push('the final round without faults did not scan every image');
  const heap = thirdsGrowth(report.memory.map((sample) => sample.heapUsed));
  const rss = thirdsGrowth(report.memory.map((sample) => sample.rss));
  if (heap === undefined || rss === undefined) violations.push(`only ${report.memory.length} memory samples`);
  else {
    if (heap > bounds.heapGrowth)
      violations.push(`heap after GC grew ${heap.toFixed(2)}x (bound ${bounds.heapGrowth}x)`);
    if (rss > bounds.rssGrowth) violations.push(`RSS grew ${rss.toFixed(2)}x (bound ${bounds.rssGrowth}x)`);
  }
  if (faultKinds.some((kind) => report.injected[kind] === 0))
    violations.push(`some fault kinds were never injected: ${JSON.stringify(report.injected)}`);
  return violations;
}

const megabytes = (bytes: number): string => `${(bytes / 1048576).toFixed(1)}`;

/** A few lines for people: scans, outcomes by code, faults by kind, memory. */
export function soakSummary(report: SoakReport): string {
  const outcomes = new Map<string, number>();
  let scans = 0;
  for (const round of report.rounds) {
    for (const image of round.images) {
      scans += 1;
      const key = image.status === 'failed' ? `failed ${image.failureCode}` : image.status;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
  }
  const syncs = new Map<string, number>();
  for (const round of report.rounds) syncs.set(round.sync.status, (syncs.get(round.sync.status) ?? 0) + 1);
  const lags = report.rounds.map((round) => round.taskEndLagMs ?? Number.POSITIVE_INFINITY);
  const heap = thirdsGrowth(report.memory.map((sample) => sample.heapUsed));
  const rss = thirdsGrowth(report.memory.map((sample) => sample.rss));
  return [
    `soak: ${report.seconds} s, seed ${report.seed}, ${report.rounds.length} rounds (${report.rounds.filter((round) => round.stopped).length} stopped midway), ${scans} image scans`,
    `outcomes: ${[...outcomes].map(([key, count]) => `${key} ${count}`).join(', ')}`,
    `syncs: ${[...syncs].map(([status, count]) => `${status} ${count}`).join(', ')}`,
    `faults injected: ${faultKinds.map((kind) => `${kind} ${report.injected[kind]}`).join(', ')}`,
    `longest task end after its images: ${Math.max(...lags)} ms`,
    `heap after GC (MB): ${report.memory.map((sample) => megabytes(sample.heapUsed)).join(' ')}`,
    `RSS (MB): ${report.memory.map((sample) => megabytes(sample.rss)).join(' ')}`,
    `growth last third / first third: heap ${heap?.toFixed(2) ?? '-'}x, RSS ${rss?.toFixed(2) ?? '-'}x`,
  ].join('\n');
}
