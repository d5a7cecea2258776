import { mkdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { DrydockError } from '../util/errors.ts';
import { downloadPathFor } from './atomic-replace.ts';
import { importFeeds, type ImportOptions, type ImportResult } from './builder.ts';
import { resolveFeedLimits, type FeedLimits } from './feed-limits.ts';
import { isUrl, openFeed } from './sources.ts';

/**
 * `drydock db import PATH|URL`: one source imported as one feed, replacing what a feed of the same
 * name brought before. The feed's name defaults to the source's base name without extension
 * (`PyPI.jsonl` → `PyPI`; for `…/PyPI/all.zip` the folder, `PyPI`).
 */
export interface ImportSourceOptions extends ImportOptions {
  readonly feedName?: string | undefined;
  readonly limits?: Partial<FeedLimits> | undefined;
}

export function feedNameFor(source: string): string {
  const path = isUrl(source) ? decodeURIComponent(new URL(source).pathname) : source;
  const trimmed = path.replace(/[/\\]+$/, '');
  const stem = basename(trimmed).replace(/\.(zip|jsonl|ndjson|json)$/i, '');
  if (stem === 'all' || stem === '') {
    const parent = basename(dirname(trimmed));
    if (parent !== '' && parent !== '.' && parent !== '/') return parent;
  }
  return stem || 'feed';
}

export async function importSource(
  path: string,
  source: string,
  options: ImportSourceOptions = {},
): Promise<ImportResult> {
  const limits = resolveFeedLimits(options.limits);
  await mkdir(dirname(path), { recursive: true });
  const opened = await openFeed(source, {
    limits,
    signal: options.signal,
    downloadPath: downloadPathFor(path),
  });
  if (opened.status === 'not-modified') {
    // Only possible with an ETag, which an explicit import never sends.
    throw new DrydockError(
      'internal_error',
      `${source} answered 304 Not Modified to an unconditional request`,
    );
  }
  return importFeeds(
    path,
    [{ name: options.feedName ?? feedNameFor(source), feed: opened.feed, etag: opened.etag }],
    options,
  );
}
