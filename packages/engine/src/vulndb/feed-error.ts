import { DrydockError, type FailureCode } from '../util/errors.ts';

/**
 * Why reading or fetching a feed failed. The failure codes belong to util/errors.ts (PRODUCT.md
 * section 3.2), so vulndb narrows two of them with a reason instead of adding codes:
 * network trouble is `download_failed`, content that cannot be read as a feed is
 * `malformed_image` (the code for unreadable input; the reason says it was a feed).
 */
export type FeedFailureReason =
  /** The server answered with an unexpected HTTP status. */
  | 'http_status'
  /** No connection, reset, DNS failure. */
  | 'network'
  /** The response headers or the next body bytes did not arrive within the timeout. */
  | 'stalled'
  /** The feed is larger than the configured bound. */
  | 'feed_too_large'
  /** A ZIP archive whose end (central directory) is missing or damaged. */
  | 'truncated_zip'
  /** A feed that is neither OSV JSON, JSON Lines, a directory of them nor a ZIP of them. */
  | 'invalid_feed'
  /** The path or URL of the feed does not exist. */
  | 'feed_not_found';

const codeOf: Readonly<Record<FeedFailureReason, FailureCode>> = {
  http_status: 'download_failed',
  network: 'download_failed',
  stalled: 'download_failed',
  feed_too_large: 'download_failed',
  truncated_zip: 'malformed_image',
  invalid_feed: 'malformed_image',
  feed_not_found: 'not_found',
};

export function feedError(
  reason: FeedFailureReason,
  message: string,
  options: { readonly cause?: unknown; readonly details?: Readonly<Record<string, unknown>> } = {},
): DrydockError {
  return new DrydockError(codeOf[reason], message, { reason, ...options });
}
