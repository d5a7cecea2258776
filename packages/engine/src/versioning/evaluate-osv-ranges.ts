import type { OsvAffectedRanges, OsvRange, RangeEvidence, RangeVerdict } from './osv-affected.ts';
import { hasListedVersions, listsVersion } from './listed-versions.ts';
import type { VersionScheme } from './scheme.ts';

export interface EvaluateOsvRangesOptions {
  /**
   * The scheme for `SEMVER` ranges (SemVer 2.0 precedence). Without it, `SEMVER` ranges use
   * `scheme` when that is the semver scheme, and are `unknown` otherwise.
   */
  readonly semver?: VersionScheme;
}

/**
 * Whether `version` of a package is affected by one OSV `affected` entry, by the OSV evaluation
 * rules (https://ossf.github.io/osv-schema/#evaluation):
 *
 * 1. `versions` lists the affected versions explicitly (or `joinedVersions`, the stored form of the
 *    list: listed-versions.ts): an exact string match is `affected`.
 * 2. Each `ECOSYSTEM` range (ordered by `scheme`) and `SEMVER` range (ordered by the semver
 *    scheme) is walked: its events are sorted by version (`introduced: "0"` sorts before every
 *    version, a `limit` containing `*` after every version; events of equal versions keep the
 *    record's order); the version is affected when the last event at or below it is an
 *    `introduced`, where a `fixed` at or below it and a `last_affected` below it end an interval.
 *    With `limit` events, only versions below some limit can be affected.
 * 3. `GIT` ranges (commit graphs) and other types are not evaluated: an entry with only such
 *    ranges and no `versions` list is `unknown` (`git ranges only`); with a `versions` list, that
 *    list is the whole answer.
 *
 * Drydock never turns what it cannot read into a verdict:
 * - a version the range's scheme does not accept is `unknown`;
 * - an event whose version the scheme does not accept is left out of the walk, and the range is
 *   `unknown` if the event could change the outcome wherever it sorted: an `introduced` when the
 *   walk says not affected, a `fixed` or `last_affected` when it says affected, a `limit` when
 *   the walk says affected and no readable limit lies above the version. Otherwise it is ignored;
 * - an event with more than one of introduced/fixed/last_affected/limit, a range without any
 *   `introduced`, and an entry with neither ranges nor versions are `unknown`.
 *
 * Ranges combine as the spec's "any range": the first `affected` range wins; else any `unknown`
 * makes the entry `unknown`; else it is `not-affected`.
 */
export function evaluateOsvRanges(
  version: string,
  affected: OsvAffectedRanges,
  scheme: VersionScheme,
  options: EvaluateOsvRangesOptions = {},
): RangeVerdict {
  if (listsVersion(affected, version)) return { status: 'affected', evidence: { kind: 'versions', version } };
  const ranges = affected.ranges ?? [];
  let evaluable = 0;
  for (let index = 0; index < ranges.length; index++) if (isEvaluable(ranges[index] as OsvRange)) evaluable++;
  if (evaluable === 0) {
    if (hasListedVersions(affected)) return { status: 'not-affected' };
    if (ranges.length === 0) return unknown('no ranges or versions');
    if (ranges.every((range) => range.type === 'GIT')) return unknown('git ranges only');
    return unknown(
      `no ECOSYSTEM or SEMVER range (${[...new Set(ranges.map((range) => range.type))].join(', ')})`,
    );
  }
  let firstUnknown: RangeVerdict | undefined;
  for (let index = 0; index < ranges.length; index++) {
    const range = ranges[index] as OsvRange;
    if (!isEvaluable(range)) continue;
    const verdict = evaluateRange(version, range, rangeScheme(range, scheme, options));
    if (verdict.status === 'affected') return verdict;
    if (verdict.status === 'unknown') firstUnknown ??= verdict;
  }
  return firstUnknown ?? { status: 'not-affected' };
}

function isEvaluable(range: OsvRange): boolean {
  return range.type === 'ECOSYSTEM' || range.type === 'SEMVER';
}

function unknown(reason: string): RangeVerdict {
  return { status: 'unknown', reason };
}

function rangeScheme(
  range: OsvRange,
  scheme: VersionScheme,
  options: EvaluateOsvRangesOptions,
): VersionScheme | undefined {
  if (range.type !== 'SEMVER') return scheme;
  return options.semver ?? (scheme.id === 'semver' ? scheme : undefined);
}

type EventKind = 'introduced' | 'fixed' | 'last_affected' | 'limit';
const eventKinds: readonly EventKind[] = ['introduced', 'fixed', 'last_affected', 'limit'];

/** One readable event; `bottom` is `introduced: "0"`, `top` a `limit` containing `*`. */
interface PlacedEvent {
  readonly kind: EventKind;
  readonly value: string;
  readonly bound?: 'bottom' | 'top';
}

/** The event's kind, `undefined` for an empty event, `multiple` when it has more than one. */
function kindOf(event: OsvRange['events'][number]): EventKind | 'multiple' | undefined {
  let found: EventKind | undefined;
  for (let index = 0; index < eventKinds.length; index++) {
    const kind = eventKinds[index] as EventKind;
    if (event[kind] === undefined) continue;
    if (found !== undefined) return 'multiple';
    found = kind;
  }
  return found;
}

/** Sort order of events: `bottom` first, `top` last, the rest by the scheme. */
function compareEvents(a: PlacedEvent, b: PlacedEvent, scheme: VersionScheme): number {
  if (a.bound === b.bound && a.bound !== undefined) return 0;
  if (a.bound === 'bottom' || b.bound === 'top') return -1;
  if (a.bound === 'top' || b.bound === 'bottom') return 1;
  return scheme.compare(a.value, b.value);
}

/** 1 when the version is above the event, 0 at it, -1 below it. */
function positionOf(version: string, event: PlacedEvent, scheme: VersionScheme): number {
  if (event.bound === 'bottom') return 1;
  if (event.bound === 'top') return -1;
  return Math.sign(scheme.compare(version, event.value));
}

/** Insertion sort: ranges hold a handful of events, and it keeps equal events in record order. */
function sortEvents(events: PlacedEvent[], scheme: VersionScheme): void {
  for (let i = 1; i < events.length; i++) {
    const event = events[i] as PlacedEvent;
    let j = i - 1;
    while (j >= 0 && compareEvents(events[j] as PlacedEvent, event, scheme) > 0) {
      events[j + 1] = events[j] as PlacedEvent;
      j--;
    }
    events[j + 1] = event;
  }
}

// Written without closures, intermediate arrays or for-of: it runs for every candidate entry of a
// scan, mostly before V8 has optimised it, and unoptimised for-of allocates an iterator result per step.
function evaluateRange(version: string, range: OsvRange, scheme: VersionScheme | undefined): RangeVerdict {
  const type = range.type === 'SEMVER' ? 'SEMVER' : 'ECOSYSTEM';
  if (scheme === undefined) return unknown('SEMVER range without a semver scheme');
  if (!scheme.isValid(version))
    return unknown(`${JSON.stringify(version)} is not a valid ${scheme.id} version`);

  const simple = fixedSinceZero(version, range, scheme, type);
  if (simple !== undefined) return simple;

  const sorted: PlacedEvent[] = [];
  let hasIntroduced = false;
  let unreadableIntroduced = false;
  let unreadableUpper = false;
  let unreadableLimit = false;
  for (let index = 0; index < range.events.length; index++) {
    const event = range.events[index] as OsvRange['events'][number];
    const kind = kindOf(event);
    if (kind === 'multiple')
      return unknown(
        `event with more than one of ${eventKinds.filter((k) => event[k] !== undefined).join(', ')}`,
      );
    const value = kind === undefined ? undefined : event[kind];
    if (kind === undefined || value === undefined) continue;
    if (kind === 'introduced' && value === '0') sorted.push({ kind, value, bound: 'bottom' });
    else if (kind === 'limit' && value.includes('*')) sorted.push({ kind, value, bound: 'top' });
    else if (scheme.isValid(value)) sorted.push({ kind, value });
    else if (kind === 'introduced') unreadableIntroduced = true;
    else if (kind === 'limit') unreadableLimit = true;
    else unreadableUpper = true;
    if (kind === 'introduced') hasIntroduced = true;
  }
  if (!hasIntroduced) return unknown('range has no introduced event');
  sortEvents(sorted, scheme);

  // The walk of the spec's IncludedInRanges, remembering which event opened the interval, and
  // the first limit above the version.
  let opened: number | undefined;
  let belowLimit: PlacedEvent | undefined;
  let hasLimits = unreadableLimit;
  for (let index = 0; index < sorted.length; index++) {
    const event = sorted[index] as PlacedEvent;
    const position = positionOf(version, event, scheme);
    if (event.kind === 'introduced' && position >= 0) opened = index;
    else if (event.kind === 'fixed' && position >= 0) opened = undefined;
    else if (event.kind === 'last_affected' && position > 0) opened = undefined;
    else if (event.kind === 'limit') {
      hasLimits = true;
      if (belowLimit === undefined && position < 0) belowLimit = event;
    }
  }
  const walkAffected = opened !== undefined;
  const couldChange =
    (unreadableIntroduced && !walkAffected) ||
    (unreadableUpper && walkAffected) ||
    (unreadableLimit && walkAffected && belowLimit === undefined);
  if (couldChange) return unknown(`range has an event whose version is not a valid ${scheme.id} version`);

  if (opened === undefined) return { status: 'not-affected' };
  if (hasLimits && belowLimit === undefined) return { status: 'not-affected' };
  return { status: 'affected', evidence: evidenceOf(type, sorted, opened, belowLimit) };
}

/**
 * Most ranges are `introduced: "0"` then one `fixed` (nine in ten of the OSV data here): their walk
 * is one comparison, without placing and sorting events. Gives the general walk's verdict for
 * that shape, and undefined for any other.
 */
function fixedSinceZero(
  version: string,
  range: OsvRange,
  scheme: VersionScheme,
  type: 'ECOSYSTEM' | 'SEMVER',
): RangeVerdict | undefined {
  if (range.events.length !== 2) return undefined;
  const [first, second] = range.events;
  if (first?.introduced !== '0' || kindOf(first) !== 'introduced') return undefined;
  if (second === undefined || second.fixed === undefined || kindOf(second) !== 'fixed') return undefined;
  const fixed = second.fixed;
  // An unreadable fixed version could end the interval anywhere: the walk says affected, so unknown.
  if (!scheme.isValid(fixed))
    return unknown(`range has an event whose version is not a valid ${scheme.id} version`);
  if (scheme.compare(version, fixed) >= 0) return { status: 'not-affected' };
  return { status: 'affected', evidence: { kind: 'range', type, introduced: '0', fixed } };
}

/** The interval the version is in: the introducing event, the next upper bound, the limit above it. */
function evidenceOf(
  type: 'ECOSYSTEM' | 'SEMVER',
  sorted: readonly PlacedEvent[],
  opened: number,
  limit: PlacedEvent | undefined,
): RangeEvidence {
  const introduced = sorted[opened]?.value ?? '0';
  const upper = sorted
    .slice(opened + 1)
    .find((event) => event.kind === 'fixed' || event.kind === 'last_affected');
  return {
    kind: 'range',
    type,
    introduced,
    ...(upper?.kind === 'fixed' ? { fixed: upper.value } : {}),
    ...(upper?.kind === 'last_affected' ? { lastAffected: upper.value } : {}),
    ...(limit === undefined ? {} : { limit: limit.value }),
  };
}
