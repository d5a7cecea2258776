import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { FeedItem, OpenedFeed } from './feed-item.ts';
import type { FeedLimits } from './feed-limits.ts';
import { readLines } from './line-reader.ts';
import { parseJsonItem } from './parse-json-item.ts';

/**
 * The records of one JSON Lines file (https://jsonlines.org/): one OSV record per line, blank
 * lines ignored, a line that is not JSON reported as an invalid item (the rest still read).
 * `onChunk` sees the file's bytes as they are read (to hash them).
 */
export async function* jsonlItems(
  path: string,
  limits: FeedLimits,
  onChunk: (chunk: Buffer) => void,
  label: string = basename(path),
  signal?: AbortSignal,
): AsyncGenerator<FeedItem> {
  let line = 0;
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024, ...(signal ? { signal } : {}) });
  for await (const text of readLines(stream, limits.maxLineBytes, onChunk)) {
    line++;
    if (text.trim() === '') continue;
    yield parseJsonItem(text, `${label}:${line}`);
  }
}

/** A single JSON Lines file as a feed; its fingerprint is the sha256 of the file. */
export function openJsonlFeed(path: string, limits: FeedLimits): OpenedFeed {
  let digest: string | undefined;
  return {
    source: path,
    format: 'jsonl',
    async *items(signal?: AbortSignal) {
      const hash = createHash('sha256');
      yield* jsonlItems(path, limits, (chunk) => hash.update(chunk), basename(path), signal);
      digest = `sha256:${hash.digest('hex')}`;
    },
    fingerprint: () => digest,
    close: async () => undefined,
  };
}
