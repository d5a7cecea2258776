/**
 * The fuzzing budget, from the environment, so CI and the long run (`npm run fuzz`) share the
 * properties and differ only in how many inputs each one gets:
 * - FUZZ_RUNS: inputs per property (default 250, which keeps test/fuzz well under a minute on
 *   two cores); a property that is dear per input (a layer walk, an SQLite file) asks for a share
 *   of it with `weight`.
 * - FUZZ_SEED: the seed of every property (default fixed, so a CI run is repeatable; the long run
 *   passes a random one). fast-check prints the seed and the shrunk counterexample on failure;
 *   rerun with FUZZ_SEED=<seed> to replay it.
 */
import type { Parameters } from 'fast-check';

const defaultRuns = 250;
const defaultSeed = 20261127;

function integerSetting(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    throw new Error(`${name} must be an integer, got ${JSON.stringify(text)}`);
  return value;
}

/** Inputs per property: FUZZ_RUNS times `weight`, at least 10. */
export function fuzzRuns(weight = 1): number {
  return Math.max(10, Math.round(integerSetting('FUZZ_RUNS', defaultRuns) * weight));
}

/** fast-check parameters for one property. */
export function fuzzParameters<T>(weight = 1): Parameters<T> {
  return { numRuns: fuzzRuns(weight), seed: integerSetting('FUZZ_SEED', defaultSeed), endOnFailure: false };
}
