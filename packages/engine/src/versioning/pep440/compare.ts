import type { Pep440Version } from './parse.ts';
import { parsePep440 } from './parse.ts';

/**
 * Orders two PEP 440 versions ("Summary of permitted suffixes and relative ordering";
 * pypa/packaging's `_cmpkey`): epoch, release (trailing zeros ignored), then dev-only releases
 * before pre-releases before the release, post-releases after it, dev releases before their
 * non-dev form, and a local label after the same version without one (local parts: numbers above
 * strings, numbers numerically, strings lexically, a shorter label first when it is a prefix).
 * Both versions must be valid (`parsePep440`); an invalid one sorts below every valid version and
 * equal to every other invalid one, so the order stays total. Returns -1, 0 or 1.
 */
export function comparePep440(a: string, b: string): number {
  const left = parsePep440(a);
  const right = parsePep440(b);
  if (left === undefined || right === undefined) {
    if (left === right) return 0;
    return left === undefined ? -1 : 1;
  }
  return compareParsedPep440(left, right);
}

export function compareParsedPep440(a: Pep440Version, b: Pep440Version): number {
  return (
    compareBigints(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    compareBigintTuples(preKey(a), preKey(b)) ||
    compareBigintTuples(postKey(a), postKey(b)) ||
    compareBigintTuples(devKey(a), devKey(b)) ||
    compareLocal(a.local, b.local)
  );
}

function compareBigints(a: bigint, b: bigint): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function compareRelease(a: readonly bigint[], b: readonly bigint[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = compareBigints(a[i] ?? 0n, b[i] ?? 0n);
    if (order !== 0) return order;
  }
  return 0;
}

/** Lexicographic order of tuples whose first element ranks the case (-1 = −∞, 1 = +∞). */
function compareBigintTuples(a: readonly bigint[], b: readonly bigint[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const left = a[i];
    const right = b[i];
    if (left === undefined || right === undefined) return left === right ? 0 : left === undefined ? -1 : 1;
    const order = compareBigints(left, right);
    if (order !== 0) return order;
  }
  return 0;
}

const preLabelRank = { a: 0n, b: 1n, rc: 2n } as const;

/** A dev-only release sorts before every pre-release; a final (or post) release after all of them. */
function preKey(version: Pep440Version): readonly bigint[] {
  if (version.pre !== undefined) return [0n, preLabelRank[version.pre.label], version.pre.number];
  if (version.post === undefined && version.dev !== undefined) return [-1n];
  return [1n];
}

function postKey(version: Pep440Version): readonly bigint[] {
  return version.post === undefined ? [-1n] : [0n, version.post];
}

function devKey(version: Pep440Version): readonly bigint[] {
  return version.dev === undefined ? [1n] : [0n, version.dev];
}

function compareLocal(a: Pep440Version['local'], b: Pep440Version['local']): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const left = a[i];
    const right = b[i];
    if (left === undefined || right === undefined) return left === undefined ? -1 : 1;
    const order = compareLocalPart(left, right);
    if (order !== 0) return order;
  }
  return 0;
}

function compareLocalPart(a: bigint | string, b: bigint | string): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return compareBigints(a, b);
  if (typeof a === 'bigint') return 1;
  if (typeof b === 'bigint') return -1;
  return a === b ? 0 : a < b ? -1 : 1;
}
