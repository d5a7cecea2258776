import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FeedItem, OpenedFeed } from './feed-item.ts';
import type { FeedLimits } from './feed-limits.ts';
import { documentItems } from './parse-json-item.ts';

/**
 * The items of one whole JSON document file (one OSV record, possibly pretty-printed, or an
 * array of records), bounded by `maxDocumentBytes`. `onBytes` sees the file's bytes.
 */
export async function jsonFileItems(
  path: string,
  limits: FeedLimits,
  onBytes: (bytes: Buffer) => void,
  label: string,
): Promise<FeedItem[]> {
  const { size } = await stat(path);
  if (size > limits.maxDocumentBytes) {
    return [
      { kind: 'invalid', reason: `document larger than ${limits.maxDocumentBytes} bytes`, location: label },
    ];
  }
  const bytes = await readFile(path);
  onBytes(bytes);
  return documentItems(bytes.toString('utf8'), label);
}

/** A single `*.json` file as a feed; its fingerprint is the sha256 of the file. */
export function openJsonFileFeed(path: string, limits: FeedLimits): OpenedFeed {
  let digest: string | undefined;
  return {
    source: path,
    format: 'json',
    async *items() {
      const hash = createHash('sha256');
      yield* await jsonFileItems(path, limits, (bytes) => hash.update(bytes), basename(path));
      digest = `sha256:${hash.digest('hex')}`;
    },
    fingerprint: () => digest,
    close: async () => undefined,
  };
}
