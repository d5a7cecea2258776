/**
 * Random version pairs for the live-oracle tests (test support only). Half the pairs are two
 * versions drawn at random; the other half are near neighbours in the sorted list (usually the
 * same package's versions, which differ late in the string), where comparisons are hard.
 * Seeded, so a failure names the seed that reproduces it: set DRYDOCK_ORACLE_SEED to rerun it.
 */
export type VersionPair = readonly [string, string];

export function oracleSeed(): number {
  const fixed = process.env.DRYDOCK_ORACLE_SEED;
  return fixed === undefined || fixed === '' ? Math.floor(Math.random() * 2 ** 31) : Number(fixed);
}

/** `count` pairs of versions from `versions` (which must hold at least two). */
export function drawPairs(versions: Iterable<string>, count: number, seed: number): readonly VersionPair[] {
  const sorted = [...new Set(versions)].sort();
  if (sorted.length < 2) throw new Error('need at least two versions');
  const random = mulberry32(seed);
  const pick = (): number => Math.floor(random() * sorted.length);
  const pairs: VersionPair[] = [];
  while (pairs.length < count) {
    const i = pick();
    const j =
      pairs.length % 2 === 0
        ? pick()
        : Math.min(sorted.length - 1, Math.max(0, i + Math.floor(random() * 11) - 5));
    const a = sorted[i];
    const b = sorted[j];
    if (a !== undefined && b !== undefined) pairs.push([a, b]);
  }
  return pairs;
}

/** A small seeded generator (mulberry32): deterministic for one seed, good enough for sampling. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
