import type { FailureCode } from '@drydock/engine';
import type { RegistryClientOptions } from './connection-config.ts';
import type { WebFetch } from './http-fetch.ts';

/** Something a listing left out without failing: a repository the account may not read, a tag without a digest. */
export interface SkippedEntry {
  readonly namespace: string;
  readonly repository: string;
  /** Absent when the whole repository (or namespace) was skipped. */
  readonly tag?: string;
  readonly code: FailureCode;
  readonly message: string;
}

/** How a lister runs; every field is optional. */
export interface ListerOptions {
  /**
   * Overrides for the engine's registry client (timeouts, retries, clock, sleep, user agent); the
   * web API clients take their timeouts, sleep and user agent from here too. Credentials and TLS
   * always come from the connection.
   */
  readonly registryOptions?: Omit<RegistryClientOptions, 'credentials' | 'caPem' | 'skipTlsVerify'>;
  /**
   * The HTTP client of the web APIs (Harbor, Artifactory, Docker Hub); the global `fetch` fits.
   * Default: node:http/https with the connection's CA and TLS settings.
   */
  readonly fetch?: WebFetch;
  /** Docker Hub: the registry its images are pulled from (default `registry-1.docker.io`). */
  readonly pullRegistry?: string;
  /** Entries per page asked of every paginated API (default 100, the most Harbor and Docker Hub allow). */
  readonly pageSize?: number;
  /** Tags described at the same time within one repository (default 4). */
  readonly concurrency?: number;
  /** Told about each repository or tag the listing left out and why (for the sync's report). */
  readonly onSkip?: (skipped: SkippedEntry) => void;
}

export const defaultPageSize = 100;
export const defaultConcurrency = 4;
export const defaultPullRegistry = 'registry-1.docker.io';
