/**
 * What a feed reader yields: one parsed JSON value per record (validated later, in one place), or
 * a record that could not even be parsed. `location` says where it came from
 * (`PyPI.jsonl:17`, `all.zip!GHSA-xxxx.json`) for the import report.
 */
export type FeedItem =
  | { readonly kind: 'json'; readonly value: unknown; readonly location: string }
  | { readonly kind: 'invalid'; readonly reason: string; readonly location: string };

/** How a feed's bytes are laid out. */
export type FeedFormat = 'directory' | 'jsonl' | 'json' | 'zip';

/**
 * A feed opened for reading. `items` may be iterated once. `fingerprint` is the sha256 of the
 * feed's bytes (for a directory, of its files' names and digests) as `sha256:<hex>`; it is known
 * once `items` has been consumed to the end (earlier for ZIP archives and downloads).
 */
export interface OpenedFeed {
  readonly source: string;
  readonly format: FeedFormat;
  items(signal?: AbortSignal): AsyncIterable<FeedItem>;
  fingerprint(): string | undefined;
  close(): Promise<void>;
}
