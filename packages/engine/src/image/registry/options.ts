import { setTimeout as delay } from 'node:timers/promises';
import type { Credentials } from './credentials.ts';
import { defaultRetryPolicy, type RetryPolicy } from './retry-policy.ts';

/** Time limits of one HTTP exchange with a registry or its token server. */
export interface RegistryTimeouts {
  /** TCP connect plus TLS handshake. */
  readonly connectMs: number;
  /** From sending the request to the end of the response headers. */
  readonly headersMs: number;
  /** Longest silence while a body streams; a stalled download fails after it (`download_failed`, reason `stalled`). */
  readonly bodyIdleMs: number;
}

export const defaultTimeouts: RegistryTimeouts = { connectMs: 10_000, headersMs: 30_000, bodyIdleMs: 30_000 };

/** How to reach one registry. Every field is optional; see `resolveRegistryOptions` for defaults. */
export interface RegistryOptions {
  /** Anonymous when absent. */
  readonly credentials?: Credentials;
  /**
   * Allow plain HTTP (and HTTP token realms and redirects) for this registry. Loopback registries
   * (localhost, 127.0.0.0/8, [::1]) always may use HTTP.
   */
  readonly insecure?: boolean;
  /** `http` or `https`; defaults to `http` for insecure and loopback registries, else `https`. */
  readonly scheme?: 'http' | 'https';
  /** Extra trusted CA certificates (PEM), added to the system's roots. */
  readonly caPem?: string | readonly string[];
  /** Accept any TLS certificate. Only for registries the user explicitly marked so. */
  readonly skipTlsVerify?: boolean;
  readonly timeouts?: Partial<RegistryTimeouts>;
  readonly retries?: Partial<RetryPolicy>;
  readonly userAgent?: string;
  /** Epoch milliseconds; injectable for tests (token expiry, Retry-After dates). */
  readonly clock?: () => number;
  /** Waits between retries; injectable so tests do not sleep. Must reject when `signal` aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** In [0, 1), for backoff jitter. */
  readonly random?: () => number;
}

export interface ResolvedRegistryOptions {
  readonly credentials: Credentials;
  readonly insecure: boolean;
  readonly scheme: 'http' | 'https' | undefined;
  readonly caPem: readonly string[];
  readonly skipTlsVerify: boolean;
  readonly timeouts: RegistryTimeouts;
  readonly retries: RetryPolicy;
  readonly userAgent: string;
  readonly clock: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random: () => number;
}

export const defaultUserAgent = 'drydock/0.1';

async function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal });
}

export function resolveRegistryOptions(options: RegistryOptions = {}): ResolvedRegistryOptions {
  const caPem =
    options.caPem === undefined
      ? []
      : typeof options.caPem === 'string'
        ? [options.caPem]
        : [...options.caPem];
  return {
    credentials: options.credentials ?? { kind: 'anonymous' },
    insecure: options.insecure ?? false,
    scheme: options.scheme,
    caPem,
    skipTlsVerify: options.skipTlsVerify ?? false,
    timeouts: { ...defaultTimeouts, ...options.timeouts },
    retries: { ...defaultRetryPolicy, ...options.retries },
    userAgent: options.userAgent ?? defaultUserAgent,
    clock: options.clock ?? Date.now,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
  };
}
