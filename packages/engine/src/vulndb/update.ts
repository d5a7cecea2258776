import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DrydockError, toDrydockError } from '../util/errors.ts';
import { downloadPathFor } from './atomic-replace.ts';
import { DatabaseBuild, type FeedImportResult, type ImportOptions, type ImportResult } from './builder.ts';
import { resolveFeedLimits, type FeedLimits } from './feed-limits.ts';
import { readFeedStates } from './feed-state.ts';
import type { FeedDefinition } from './feeds.ts';
import { openFeed } from './sources.ts';

/**
 * `drydock db update`: fetches every configured feed and imports the ones that changed, in one
 * build of the database file. A feed is skipped as unchanged when its server answers
 * `304 Not Modified` to the ETag of the last import, or when its content has the fingerprint
 * (sha256) of the last import. A feed that cannot be fetched or read fails on its own (typed
 * error); the other feeds still update. Feeds are fetched one at a time, so at most one download
 * is on disk at once (beside the database file, on the same file system).
 */
export type FeedUpdateOutcome =
  | {
      readonly status: 'updated';
      readonly feed: string;
      readonly url: string;
      readonly result: Extract<FeedImportResult, { status: 'imported' }>;
    }
  | {
      readonly status: 'unchanged';
      readonly feed: string;
      readonly url: string;
      readonly why: 'not-modified' | 'same-fingerprint';
    }
  | { readonly status: 'failed'; readonly feed: string; readonly url: string; readonly error: DrydockError };

export interface UpdateOptions extends ImportOptions {
  readonly feeds: readonly FeedDefinition[];
  readonly limits?: Partial<FeedLimits> | undefined;
  /** Told of each feed's outcome as soon as it is known. */
  readonly onFeed?: ((outcome: FeedUpdateOutcome) => void) | undefined;
}

export interface UpdateResult {
  readonly outcomes: readonly FeedUpdateOutcome[];
  /** The build, when at least one feed changed (undefined: the file was not rewritten). */
  readonly build: ImportResult | undefined;
}

export async function updateDatabase(path: string, options: UpdateOptions): Promise<UpdateResult> {
  const limits = resolveFeedLimits(options.limits);
  const states = readFeedStates(path);
  await mkdir(dirname(path), { recursive: true });
  const outcomes: FeedUpdateOutcome[] = [];
  const report = (outcome: FeedUpdateOutcome): void => {
    outcomes.push(outcome);
    options.onFeed?.(outcome);
  };
  let build: DatabaseBuild | undefined;
  try {
    for (const definition of options.feeds) {
      options.signal?.throwIfAborted();
      const { name, url } = definition;
      const previous = states.get(name);
      try {
        const opened = await openFeed(url, {
          limits,
          signal: options.signal,
          etag: previous?.etag,
          downloadPath: downloadPathFor(path),
        });
        if (opened.status === 'not-modified') {
          report({ status: 'unchanged', feed: name, url, why: 'not-modified' });
          continue;
        }
        const fingerprint = opened.feed.fingerprint();
        if (previous !== undefined && fingerprint !== undefined && fingerprint === previous.fingerprint) {
          await opened.feed.close();
          report({ status: 'unchanged', feed: name, url, why: 'same-fingerprint' });
          continue;
        }
        build ??= await DatabaseBuild.start(path, options);
        const result = await build.importFeed({ name, feed: opened.feed, etag: opened.etag });
        if (result.status === 'imported') report({ status: 'updated', feed: name, url, result });
        else report({ status: 'failed', feed: name, url, error: result.error });
      } catch (error) {
        if (error instanceof DrydockError && error.reason === 'database_busy') throw error;
        report({ status: 'failed', feed: name, url, error: toDrydockError(error, options.signal) });
      }
    }
    if (build === undefined) return { outcomes, build: undefined };
    if (!outcomes.some((outcome) => outcome.status === 'updated')) {
      await build.discard();
      return { outcomes, build: undefined };
    }
    return { outcomes, build: await build.commit() };
  } finally {
    await build?.discard();
  }
}
