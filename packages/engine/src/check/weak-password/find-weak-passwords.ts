/**
 * Tries the password hashes of /etc/shadow against the built-in dictionary, the account names and
 * the project's words, within a budget, on worker threads.
 *
 * The budget is in cost-weighted guesses (one unit ≈ one md5crypt guess, see hash-algorithm.ts):
 * hashes take turns of equal cost, so a cheap hash goes through the whole dictionary while a slow
 * one (yescrypt, bcrypt) gets the most likely candidates first and whatever budget the others
 * leave. Hashes shared by several accounts are tried once.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { candidatesFor, commonPasswords, type Candidate, type CandidateSource } from './candidates.ts';
import { identifyHash, type WeakPasswordAlgorithm } from './hash-algorithm.ts';
import { maskPassword } from './mask-password.ts';
import { parseShadowHashes, type ShadowHash } from './shadow-hashes.ts';
import { firstMatch, type GuessBatch } from './verify-password.ts';
import { workerModule } from '../../util/worker-module.ts';

export interface WeakPasswordOptions {
  /** The project's own words, tried after the account names and before the dictionary. */
  readonly extraWords?: readonly string[];
  /** Budget per image in cost-weighted guesses (one ≈ one md5crypt guess); default 3000. */
  readonly maxGuesses?: number;
  /** Worker threads; 0 runs inline. Defaults to one less than the cores, at least one. */
  readonly threads?: number;
  readonly signal?: AbortSignal;
}

export interface WeakPasswordFinding {
  readonly account: string;
  readonly algorithm: WeakPasswordAlgorithm;
  /** Masked: the first character, then `*` for each further one. */
  readonly password: string;
  readonly source: CandidateSource;
  readonly line: number;
}

export interface WeakPasswordResult {
  readonly findings: WeakPasswordFinding[];
  /** Guesses made (not cost-weighted). */
  readonly tried: number;
  /** The budget ran out before every candidate was tried against every unfound hash. */
  readonly exhausted: boolean;
  /** Hashes in a scheme this check cannot verify (scrypt `$7$`, gost-yescrypt, ...). */
  readonly unsupported: { account: string; algorithm: string }[];
}

export const defaultMaxGuesses = 3_000;

/** Units per worker task: big enough to pay a task's overhead rarely, small enough to stop soon after a find. */
const unitsPerTask = 200;

interface Target {
  readonly hash: string;
  readonly algorithm: WeakPasswordAlgorithm;
  readonly cost: number;
  readonly accounts: ShadowHash[];
  candidates: Candidate[];
  /** Index of the next candidate to hand out. */
  next: number;
  found?: { readonly index: number; readonly candidate: Candidate };
}

interface Task {
  readonly target: Target;
  readonly start: number;
  readonly batch: GuessBatch;
}

function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** Groups the guessable hashes by hash string; the rest go to `unsupported`. */
function targetsOf(hashes: readonly ShadowHash[], unsupported: WeakPasswordResult['unsupported']): Target[] {
  const byHash = new Map<string, Target>();
  for (const entry of hashes) {
    const kind = identifyHash(entry.hash);
    if (!kind.supported) {
      unsupported.push({ account: entry.account, algorithm: kind.algorithm });
      continue;
    }
    let target = byHash.get(entry.hash);
    if (target === undefined) {
      target = {
        hash: entry.hash,
        algorithm: kind.algorithm,
        cost: kind.cost,
        accounts: [],
        candidates: [],
        next: 0,
      };
      byHash.set(entry.hash, target);
    }
    target.accounts.push(entry);
  }
  return [...byHash.values()];
}

/** Hands out tasks in turns of equal cost over the unfound targets, while the budget lasts. */
class Scheduler {
  private cursor = 0;

  private readonly targets: readonly Target[];
  private budget: number;

  constructor(targets: readonly Target[], budget: number) {
    this.targets = targets;
    this.budget = budget;
  }

  next(): Task | undefined {
    for (let step = 0; step < this.targets.length; step++) {
      const index = (this.cursor + step) % this.targets.length;
      const target = this.targets[index];
      if (target === undefined || target.found !== undefined) continue;
      const left = target.candidates.length - target.next;
      const size = Math.min(
        left,
        Math.max(1, Math.floor(unitsPerTask / target.cost)),
        Math.floor(this.budget / target.cost),
      );
      if (size <= 0) continue;
      this.cursor = index + 1;
      const start = target.next;
      target.next += size;
      this.budget -= size * target.cost;
      const passwords = target.candidates.slice(start, start + size).map((candidate) => candidate.password);
      return { target, start, batch: { algorithm: target.algorithm, hash: target.hash, passwords } };
    }
    return undefined;
  }

  /** True when `next` would hand out a task. */
  hasAffordableWork(): boolean {
    return this.targets.some(
      (target) =>
        target.found === undefined && target.next < target.candidates.length && this.budget >= target.cost,
    );
  }

  /** Returns the budget of guesses a task did not make (it stopped at a match). */
  refund(target: Target, guesses: number): void {
    this.budget += guesses * target.cost;
  }
}

export async function findWeakPasswords(
  shadow: string,
  options: WeakPasswordOptions = {},
): Promise<WeakPasswordResult> {
  const signal = options.signal;
  signal?.throwIfAborted();
  const unsupported: WeakPasswordResult['unsupported'] = [];
  const targets = targetsOf(parseShadowHashes(shadow), unsupported);
  const extraWords = options.extraWords ?? [];
  for (const target of targets) {
    const names = target.accounts.map((entry) => entry.account);
    // Traditional DES reads 8 characters of the password: longer guesses sharing them are one guess.
    target.candidates = candidatesFor(
      names,
      extraWords,
      commonPasswords(),
      target.algorithm === 'des' ? 8 : Infinity,
    );
  }

  const scheduler = new Scheduler(targets, options.maxGuesses ?? defaultMaxGuesses);
  const threads = options.threads ?? defaultThreads();
  let tried = 0;
  const pool =
    threads === 0 || targets.length === 0
      ? undefined
      : new Piscina({
          filename: workerModule(import.meta.url, 'weak-password-worker'),
          minThreads: 0,
          maxThreads: threads,
          idleTimeout: 1_000,
        });
  const run = (batch: GuessBatch): Promise<number> =>
    pool === undefined
      ? Promise.resolve(firstMatch(batch))
      : (pool.run(batch, signal === undefined ? {} : { signal }) as Promise<number>);

  const lane = async (): Promise<void> => {
    for (let task = scheduler.next(); task !== undefined; task = scheduler.next()) {
      signal?.throwIfAborted();
      const index = await run(task.batch);
      const size = task.batch.passwords.length;
      if (index === -1) {
        tried += size;
        continue;
      }
      tried += index + 1;
      scheduler.refund(task.target, size - index - 1);
      const at = task.start + index;
      const candidate = task.target.candidates[at];
      if (candidate !== undefined && (task.target.found === undefined || at < task.target.found.index)) {
        task.target.found = { index: at, candidate };
      }
    }
  };

  try {
    // Lanes end when nothing is affordable; refunds from finds in other lanes may make more so.
    const lanes = pool === undefined ? 1 : threads * 2;
    do {
      await Promise.all(Array.from({ length: lanes }, lane));
    } while (scheduler.hasAffordableWork());
  } finally {
    await pool?.destroy();
  }

  const findings: WeakPasswordFinding[] = targets
    .flatMap((target) => {
      const found = target.found;
      if (found === undefined) return [];
      return target.accounts.map((entry) => ({
        account: entry.account,
        algorithm: target.algorithm,
        password: maskPassword(found.candidate.password),
        source: found.candidate.source,
        line: entry.line,
      }));
    })
    .sort((a, b) => a.line - b.line);
  const exhausted = targets.some(
    (target) => target.found === undefined && target.next < target.candidates.length,
  );
  return { findings, tried, exhausted, unsupported };
}
