/**
 * Scan failures worth another attempt (the job queue's retry with backoff): the network or the
 * registry may do better next time. Anything else fails the scan at once.
 */
export const transientFailureCodes: ReadonlySet<string> = new Set([
  'download_failed',
  'timed_out',
  'internal_error',
]);
