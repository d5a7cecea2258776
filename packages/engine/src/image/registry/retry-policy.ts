/**
 * When and how long to wait before trying a registry request again: exponential backoff with
 * jitter for network errors and 5xx answers to idempotent requests, and the registry's own
 * `Retry-After` (RFC 9110 section 10.2.3: delay-seconds or an HTTP-date) for 429 and 503.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (1 = never retry). */
  readonly maxAttempts: number;
  /** Backoff before retry n (0-based) is base·2ⁿ capped at `maxDelayMs`, then jittered down to half. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * Longest total time spent waiting on 429 answers for one request. A `Retry-After` that would
   * go past it ends the request at once with `registry_rate_limited`.
   */
  readonly maxRateLimitWaitMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRateLimitWaitMs: 60_000,
};

/** Delay before retry `retry` (0 for the first retry); `random` in [0, 1). */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retry, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * Milliseconds a `Retry-After` value asks to wait, or undefined when absent or unreadable.
 * A date in the past means 0.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (!Number.isFinite(date)) return undefined;
  return Math.max(0, date - now);
}

/** Status codes worth retrying for an idempotent request. */
export function isRetryableStatus(status: number): boolean {
  return status === 500 || status === 502 || status === 503 || status === 504 || status === 408;
}
