/**
 * Bounds on what reading a feed may cost. Every one has a safe default; tests lower them.
 * Sizes are bytes, times milliseconds.
 */
export interface FeedLimits {
  /** One line of a JSON Lines file. */
  readonly maxLineBytes: number;
  /** One whole JSON document (a `*.json` file: one record or an array of records). */
  readonly maxDocumentBytes: number;
  /** One inflated ZIP member (one record of an `all.zip`). */
  readonly maxMemberBytes: number;
  /** All inflated ZIP members together. */
  readonly maxInflatedBytes: number;
  /** Entries in one ZIP central directory. */
  readonly maxZipEntries: number;
  /** Bytes of one download. */
  readonly maxDownloadBytes: number;
  /** Connecting to the feed's host. */
  readonly connectTimeoutMs: number;
  /** From sending the request to the end of the response headers. */
  readonly headersTimeoutMs: number;
  /** Longest pause between two pieces of the response body (a stalled download fails after it). */
  readonly bodyIdleTimeoutMs: number;
}

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

export const defaultFeedLimits: FeedLimits = {
  maxLineBytes: 64 * MiB,
  maxDocumentBytes: 256 * MiB,
  maxMemberBytes: 64 * MiB,
  maxInflatedBytes: 32 * GiB,
  maxZipEntries: 5_000_000,
  maxDownloadBytes: 8 * GiB,
  connectTimeoutMs: 30_000,
  headersTimeoutMs: 60_000,
  bodyIdleTimeoutMs: 60_000,
};

export function resolveFeedLimits(overrides: Partial<FeedLimits> = {}): FeedLimits {
  return { ...defaultFeedLimits, ...overrides };
}
