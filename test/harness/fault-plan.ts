import { createHash } from 'node:crypto';

/**
 * What a FaultProxy may do to one registry request instead of passing it through:
 * - `drop`: forwards the status and headers of a blob, part of its body, then destroys the socket;
 * - `stall`: holds the response (a manifest before its headers, a blob after them) for the stall time, or
 *   until the client gives up;
 * - `server_error`: answers 500;
 * - `rate_limited`: answers 429 with a `Retry-After`;
 * - `corrupt`: flips one byte of a blob body, the length unchanged;
 * - `wrong_digest`: serves another blob's bytes for a blob, or a manifest whose bytes are not its digest.
 */
export const faultKinds = [
  'drop',
  'stall',
  'server_error',
  'rate_limited',
  'corrupt',
  'wrong_digest',
] as const;
export type FaultKind = (typeof faultKinds)[number];

/** Chance (0..1) of each kind per eligible request; absent kinds never happen. The sum must be at most 1. */
export type FaultRates = Partial<Readonly<Record<FaultKind, number>>>;

/** The requests a fault can hit: reads of a manifest or a blob (`/v2/<name>/(manifests|blobs)/<reference>`). */
export interface RegistryRead {
  readonly method: string;
  readonly kind: 'manifest' | 'blob';
  readonly repository: string;
  readonly reference: string;
}

/** Kinds that make sense for a read: body faults need a body, and those that mangle bytes, a blob's. */
function applicable(read: RegistryRead, kind: FaultKind): boolean {
  switch (kind) {
    case 'server_error':
    case 'rate_limited':
    case 'stall':
      return true;
    case 'drop':
    case 'corrupt':
      return read.method === 'GET' && read.kind === 'blob';
    case 'wrong_digest':
      return read.method === 'GET';
  }
}

export function parseRegistryRead(method: string, path: string): RegistryRead | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  const match = /^\/v2\/(.+)\/(manifests|blobs)\/([^/?]+)/.exec(path);
  if (!match?.[1] || !match[3]) return undefined;
  return {
    method,
    kind: match[2] === 'blobs' ? 'blob' : 'manifest',
    repository: match[1],
    reference: match[3],
  };
}

/** mulberry32: a small seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultDecision {
  readonly kind: FaultKind | undefined;
  /** A number in [0, 1) for the fault's own choice (where a drop cuts the body, which byte is flipped). */
  readonly position: number;
}

/**
 * Decides each request's fault from the seed and the request itself (method, path and how many
 * times that path was asked before), not from arrival order: concurrent clients interleave
 * differently from run to run, yet every request meets the same fault for the same seed.
 */
export class FaultPlan {
  readonly #seed: number;
  #rates: FaultRates;
  readonly #occurrences = new Map<string, number>();

  constructor(seed: number, rates: FaultRates) {
    this.#seed = seed;
    this.#rates = FaultPlan.#checked(rates);
  }

  static #checked(rates: FaultRates): FaultRates {
    let sum = 0;
    for (const kind of faultKinds) {
      const rate = rates[kind] ?? 0;
      if (!(rate >= 0 && rate <= 1))
        throw new RangeError(`fault rate of ${kind} must be in [0, 1], got ${rate}`);
      sum += rate;
    }
    if (sum > 1 + 1e-9) throw new RangeError(`fault rates add up to ${sum}, more than 1`);
    return { ...rates };
  }

  get rates(): FaultRates {
    return this.#rates;
  }

  set rates(rates: FaultRates) {
    this.#rates = FaultPlan.#checked(rates);
  }

  decide(read: RegistryRead, path: string): FaultDecision {
    const key = `${read.method} ${path}`;
    const occurrence = this.#occurrences.get(key) ?? 0;
    this.#occurrences.set(key, occurrence + 1);
    const hash = createHash('sha256').update(`${this.#seed}\n${key}\n${occurrence}`).digest();
    const random = seededRandom(hash.readUInt32BE(0));
    const roll = random();
    const position = random();
    let threshold = 0;
    for (const kind of faultKinds) {
      threshold += this.#rates[kind] ?? 0;
      if (roll < threshold) return { kind: applicable(read, kind) ? kind : undefined, position };
    }
    return { kind: undefined, position };
  }
}
