import { open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { openDirectoryFeed } from './directory-source.ts';
import { downloadFeed } from './download.ts';
import { feedError } from './feed-error.ts';
import type { FeedFormat, OpenedFeed } from './feed-item.ts';
import type { FeedLimits } from './feed-limits.ts';
import { openJsonFileFeed } from './json-file-source.ts';
import { openJsonlFeed } from './jsonl-source.ts';
import { openZipFeed } from './zip-source.ts';

/**
 * Where a feed's records come from: a directory (recursively, `*.json` records and `*.jsonl`
 * files), a JSON Lines file, a JSON file (one record or an array), a ZIP archive of records (the
 * OSV project's `all.zip`), or an http(s) URL serving any of these files. Formats are recognised
 * by content (ZIP signature; a first line that is a whole JSON value means JSON Lines) and by
 * extension where the content is ambiguous.
 */
export interface OpenFeedOptions {
  readonly limits: FeedLimits;
  readonly signal?: AbortSignal | undefined;
  /** The ETag of the last download of this URL (sent as If-None-Match). */
  readonly etag?: string | undefined;
  /** File to download a URL into (default: a new file in the system's temporary folder). */
  readonly downloadPath?: string | undefined;
}

export type OpenFeedResult =
  | { readonly status: 'not-modified' }
  | { readonly status: 'opened'; readonly feed: OpenedFeed; readonly etag: string | undefined };

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

const sniffBytes = 64 * 1024;
let downloads = 0;

/** Recognises the format of a feed file from its first bytes, then its extension. */
export async function sniffFileFormat(
  path: string,
  nameHint: string = path,
): Promise<Exclude<FeedFormat, 'directory'>> {
  const file = await open(path, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(sniffBytes);
    const { bytesRead } = await file.read(buffer, 0, sniffBytes, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
  const extension = extname(nameHint.replace(/[?#].*$/, '')).toLowerCase();
  if (extension === '.zip' || (head.length >= 2 && head[0] === 0x50 && head[1] === 0x4b)) return 'zip';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  if (extension === '.json') return 'json';
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') {
    if (head[0] === 0x1f && head[1] === 0x8b)
      throw feedError('invalid_feed', `${nameHint} is gzip-compressed; give the uncompressed file`);
    throw feedError('invalid_feed', `${nameHint} is not OSV JSON, JSON Lines or a ZIP archive of records`);
  }
  const newline = text.indexOf('\n');
  if (newline > 0) {
    try {
      JSON.parse(text.slice(0, newline));
      return 'jsonl';
    } catch {
      return 'json';
    }
  }
  return 'json';
}

async function openFile(
  path: string,
  format: Exclude<FeedFormat, 'directory'>,
  limits: FeedLimits,
  fingerprint?: string,
): Promise<OpenedFeed> {
  switch (format) {
    case 'zip':
      return openZipFeed(path, limits, fingerprint);
    case 'jsonl':
      return openJsonlFeed(path, limits);
    case 'json':
      return openJsonFileFeed(path, limits);
  }
}

/** Opens a feed for reading; for a URL, downloads it first (unless the server says it is unchanged). */
export async function openFeed(source: string, options: OpenFeedOptions): Promise<OpenFeedResult> {
  if (isUrl(source)) {
    const download = await downloadFeed(source, {
      limits: options.limits,
      path: options.downloadPath ?? join(tmpdir(), `drydock-feed-${process.pid}-${++downloads}`),
      etag: options.etag,
      signal: options.signal,
    });
    if (download.status === 'not-modified') return { status: 'not-modified' };
    try {
      const format = await sniffFileFormat(download.path, new URL(source).pathname);
      const feed = await openFile(download.path, format, options.limits, download.fingerprint);
      return {
        status: 'opened',
        etag: download.etag,
        feed: {
          source,
          format,
          items: (signal) => feed.items(signal),
          fingerprint: () => download.fingerprint,
          close: async () => {
            await feed.close();
            await rm(download.path, { force: true });
          },
        },
      };
    } catch (error) {
      await rm(download.path, { force: true });
      throw error;
    }
  }
  const info = await stat(source).catch((error: unknown) => {
    throw feedError('feed_not_found', `${source} does not exist`, { cause: error });
  });
  if (info.isDirectory())
    return { status: 'opened', etag: undefined, feed: openDirectoryFeed(source, options.limits) };
  return {
    status: 'opened',
    etag: undefined,
    feed: await openFile(source, await sniffFileFormat(source), options.limits),
  };
}
