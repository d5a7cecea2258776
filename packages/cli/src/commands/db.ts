import Table from 'cli-table3';
import pc from 'picocolors';
import {
  defaultDatabasePath,
  defaultFeeds,
  importSource,
  openVulnerabilityDatabase,
  readFeedsFile,
  updateDatabase,
  type FeedImportResult,
  type FeedUpdateOutcome,
  type ImportProgress,
  type InvalidRecord,
} from '@drydock/engine';
import { parseDuration } from '../duration.ts';
import { printError } from '../print-error.ts';

/**
 * `drydock db import|update|status`: the vulnerability database (a SQLite file, by default
 * `$DRYDOCK_CACHE_DIR/vulndb.sqlite` or `~/.cache/drydock/vulndb.sqlite`). Results go to standard
 * output; progress (only on a terminal), warnings and errors to standard error.
 * Exit status: 0 done; 2 the command failed (for `update`: at least one feed failed, the others
 * were still applied).
 */
export const errorExitCode = 2;

export interface DbCommandOptions {
  readonly db?: string | undefined;
  readonly feed?: string | undefined;
  readonly feedsFile?: string | undefined;
  readonly format?: string | undefined;
  readonly progress?: boolean | undefined;
  readonly idleTimeout?: string | undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The options commander parsed, checked field by field. */
export function dbCommandOptions(raw: Readonly<Record<string, unknown>>): DbCommandOptions {
  return {
    db: text(raw['db']),
    feed: text(raw['feed']),
    feedsFile: text(raw['feedsFile']),
    format: text(raw['format']),
    progress: raw['progress'] !== false,
    idleTimeout: text(raw['idleTimeout']),
  };
}

const shownInvalid = 5;

function databasePath(options: DbCommandOptions): string {
  return options.db ?? defaultDatabasePath();
}

function color(): boolean {
  return process.stdout.isTTY === true && !process.env['NO_COLOR'];
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function printInvalid(feed: string, invalid: number, examples: readonly InvalidRecord[]): void {
  if (invalid === 0) return;
  process.stderr.write(
    `${pc.yellow('warning')}: ${invalid} invalid record(s) in feed ${feed} were skipped\n`,
  );
  for (const example of examples.slice(0, shownInvalid)) {
    process.stderr.write(`  ${example.location}: ${example.reason}\n`);
  }
  if (invalid > shownInvalid)
    process.stderr.write(`  ... and ${invalid - shownInvalid} more (drydock db status --format json)\n`);
}

/** A one-line progress display on standard error, redrawn in place; nothing when not a terminal. */
function progressLine(enabled: boolean): {
  onProgress: ((event: ImportProgress) => void) | undefined;
  clear: () => void;
} {
  if (!enabled || !process.stderr.isTTY) return { onProgress: undefined, clear: () => undefined };
  let drawn = false;
  const draw = (text: string): void => {
    process.stderr.write(`\r\x1b[2K${text}`);
    drawn = true;
  };
  const clear = (): void => {
    if (drawn) process.stderr.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    clear,
    onProgress: (event) => {
      switch (event.type) {
        case 'feed-start':
          return draw(`${event.feed}: reading ${event.source}`);
        case 'records':
          return draw(
            `${event.feed}: ${event.records} records${event.invalid ? `, ${event.invalid} invalid` : ''}`,
          );
        case 'feed-done':
          return clear();
        case 'finishing':
          return draw('writing the database');
      }
    },
  };
}

function interruptible<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  return run(controller.signal).finally(() => process.off('SIGINT', onSigint));
}

function limitsFrom(options: DbCommandOptions) {
  return options.idleTimeout === undefined
    ? undefined
    : {
        bodyIdleTimeoutMs: parseDuration(options.idleTimeout),
        headersTimeoutMs: parseDuration(options.idleTimeout),
      };
}

function describeImported(result: Extract<FeedImportResult, { status: 'imported' }>): string {
  const withdrawn = result.withdrawn ? ` (${result.withdrawn} withdrawn)` : '';
  return `${result.records} records${withdrawn}, ${result.invalid} invalid`;
}

export async function runDbImport(source: string, options: DbCommandOptions): Promise<number> {
  const path = databasePath(options);
  const progress = progressLine(options.progress !== false);
  return interruptible(async (signal) => {
    try {
      const result = await importSource(path, source, {
        signal,
        feedName: options.feed,
        limits: limitsFrom(options),
        onProgress: progress.onProgress,
      });
      progress.clear();
      const feed = result.feeds[0];
      if (feed === undefined) return errorExitCode;
      if (feed.status === 'failed') {
        printError(feed.error);
        return errorExitCode;
      }
      printInvalid(feed.feed, feed.invalid, feed.invalidExamples);
      if (result.schemaReset) {
        process.stderr.write(
          `${pc.yellow('warning')}: ${path} had another schema version and was rebuilt from this feed only\n`,
        );
      }
      process.stdout.write(
        `imported feed ${feed.feed} from ${feed.source}: ${describeImported(feed)} in ${seconds(result.durationMs)}\n`,
      );
      process.stdout.write(`database: ${path}\n`);
      return 0;
    } catch (error) {
      progress.clear();
      printError(error, signal);
      return errorExitCode;
    }
  });
}

function describeOutcome(outcome: FeedUpdateOutcome): string {
  switch (outcome.status) {
    case 'updated':
      return `${outcome.feed}: updated, ${describeImported(outcome.result)}`;
    case 'unchanged':
      return `${outcome.feed}: unchanged (${outcome.why === 'not-modified' ? 'not modified' : 'same fingerprint'})`;
    case 'failed': {
      const reason = outcome.error.reason ? ` (${outcome.error.reason})` : '';
      return `${outcome.feed}: failed [${outcome.error.code}${reason}] ${outcome.error.message}`;
    }
  }
}

export async function runDbUpdate(options: DbCommandOptions): Promise<number> {
  const path = databasePath(options);
  const progress = progressLine(options.progress !== false);
  return interruptible(async (signal) => {
    try {
      const feeds = options.feedsFile ? await readFeedsFile(options.feedsFile) : defaultFeeds;
      const result = await updateDatabase(path, {
        feeds,
        signal,
        limits: limitsFrom(options),
        onProgress: progress.onProgress,
        onFeed: (outcome) => {
          progress.clear();
          const line = describeOutcome(outcome);
          if (outcome.status === 'failed') process.stderr.write(`${pc.red('failed')} ${line}\n`);
          else process.stdout.write(`${line}\n`);
          if (outcome.status === 'updated')
            printInvalid(outcome.feed, outcome.result.invalid, outcome.result.invalidExamples);
        },
      });
      progress.clear();
      const failed = result.outcomes.filter((outcome) => outcome.status === 'failed').length;
      const updated = result.outcomes.filter((outcome) => outcome.status === 'updated').length;
      const unchanged = result.outcomes.length - failed - updated;
      process.stdout.write(
        `${updated} updated, ${unchanged} unchanged, ${failed} failed` +
          (result.build
            ? `; database rebuilt in ${seconds(result.build.durationMs)}: ${path}`
            : `; database not rewritten: ${path}`) +
          '\n',
      );
      return failed > 0 ? errorExitCode : 0;
    } catch (error) {
      progress.clear();
      printError(error, signal);
      return errorExitCode;
    }
  });
}

function age(builtAt: string, now: Date): string {
  const ms = now.getTime() - Date.parse(builtAt);
  if (!Number.isFinite(ms)) return 'unknown';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}

export async function runDbStatus(options: DbCommandOptions): Promise<number> {
  const path = databasePath(options);
  try {
    const db = openVulnerabilityDatabase(path);
    try {
      const status = db.status();
      const now = new Date();
      const ageSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(status.builtAt)) / 1000));
      if (options.format === 'json') {
        process.stdout.write(
          `${JSON.stringify({ ...status, ageSeconds, ecosystems: db.ecosystems() }, null, 2)}\n`,
        );
        return 0;
      }
      const colored = color();
      const bold = (text: string): string => (colored ? pc.bold(text) : text);
      const lines = [
        `${bold('database')}   ${status.path}`,
        `${bold('schema')}     ${status.schemaVersion}`,
        `${bold('built')}      ${status.builtAt} (${age(status.builtAt, now)} ago)`,
        `${bold('advisories')} ${status.records} (distinct ids)`,
      ];
      const table = new Table({
        head: ['feed', 'records', 'invalid', 'withdrawn', 'imported', 'fingerprint', 'source'],
        style: { head: colored ? ['bold'] : [], border: colored ? ['grey'] : [] },
        chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
      });
      for (const feed of status.feeds) {
        table.push([
          feed.feed,
          String(feed.records),
          String(feed.invalid),
          String(feed.withdrawn),
          feed.importedAt,
          feed.fingerprint.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]*$/, '$1'),
          feed.source,
        ]);
      }
      process.stdout.write(`${lines.join('\n')}\n${table.toString()}\n`);
      return 0;
    } finally {
      db.close();
    }
  } catch (error) {
    printError(error);
    return errorExitCode;
  }
}
