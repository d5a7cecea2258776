import type { Clock } from '../clock.ts';

export interface LoginLimit {
  /** Attempts allowed per address in one window. */
  readonly attempts: number;
  readonly windowMs: number;
}

export const defaultLoginLimit: LoginLimit = { attempts: 20, windowMs: 60_000 };

/** Whether an attempt may go ahead, and if not, when the next one may. */
export type LoginAdmission =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Window {
  readonly start: number;
  count: number;
}

/** Above this many tracked addresses, a check first drops the windows that have ended. */
const pruneAbove = 10_000;

/**
 * Login attempts per client address, counted in fixed windows. It guards against guessing many
 * users' passwords from one place, which the per-user lockout alone does not see. It counts in the
 * process's memory: a restart forgets, and each process of a cluster counts on its own, which is
 * acceptable for a brake on guessing (the per-user lockout in the database is the hard limit).
 */
export class LoginLimiter {
  readonly #windows = new Map<string, Window>();

  private readonly clock: Clock;
  private readonly limit: LoginLimit;

  constructor(clock: Clock, limit: LoginLimit = defaultLoginLimit) {
    this.clock = clock;
    this.limit = limit;
  }

  /** Counts one attempt from `address`; refused attempts count too, so hammering does not help. */
  admit(address: string): LoginAdmission {
    const now = this.clock.now().getTime();
    if (this.#windows.size > pruneAbove) this.#prune(now);
    let window = this.#windows.get(address);
    if (!window || now - window.start >= this.limit.windowMs) {
      window = { start: now, count: 0 };
      this.#windows.set(address, window);
    }
    window.count += 1;
    if (window.count <= this.limit.attempts) return { allowed: true };
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.limit.windowMs - now) / 1000)),
    };
  }

  #prune(now: number): void {
    for (const [address, window] of this.#windows) {
      if (now - window.start >= this.limit.windowMs) this.#windows.delete(address);
    }
  }
}
