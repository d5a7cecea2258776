/**
 * The database size phase of the scale-out benchmark (bench/scale-out.ts): what scanned images
 * cost in PostgreSQL, measured on real rows. In a fresh database, with serve and one worker: the
 * first half of the images scanned, then the second half, then all of them again, the database
 * packed (`vacuum full`) and measured after each step. The first half pays what is paid once (the
 * distinct findings of the shared base, the layer cache's base entry, the first user and task
 * rows); the second half gives the cost of one more image; the rescan the cost of one more scan
 * of an image already scanned (results are kept as history).
 */
import type { DatabaseSize, StoredContent } from './scale-out-figures.ts';
import { compact, databaseSize, storedContent, walBytes, walPosition } from './scale-out-figures.ts';
import { prepareDatabase, scanTask, startFleet, type RoundContext } from './scale-out-round.ts';

/** Sizes after one step: as the processes left the database, then packed. */
export interface StepSize {
  readonly asWritten: DatabaseSize;
  readonly packed: DatabaseSize;
  /** Image scans the step added (succeeded). */
  readonly scans: number;
  /** Image scans of the step that did not succeed. */
  readonly failed: number;
  /**
   * Write-ahead log bytes the step's scans wrote (packing not included). The test server runs with
   * full_page_writes off, so a production server writes more: a page's first change after each
   * checkpoint logs the whole page.
   */
  readonly walBytes: number;
}

export interface SizePhase {
  /** After the sync, packed: the baseline. */
  readonly synced: DatabaseSize;
  readonly firstHalf: StepSize;
  readonly secondHalf: StepSize;
  readonly rescan: StepSize;
  /** What the rows hold once every image is scanned once. */
  readonly content: StoredContent;
  readonly pulls: number;
}

async function packed(url: string): Promise<DatabaseSize> {
  await compact(url);
  return databaseSize(url);
}

export async function measureSizes(context: RoundContext, name: string, pulls: number): Promise<SizePhase> {
  const database = await prepareDatabase(context, name, pulls);
  try {
    const ids = (
      await database.service.db.selectFrom('repositoryImage').select('id').orderBy('id').execute()
    ).map((row) => row.id);
    const half = Math.ceil(ids.length / 2);
    const synced = await packed(database.url);
    const fleet = await startFleet(context, database, 1);
    try {
      const step = async (label: string, imageIds: readonly string[] | undefined): Promise<StepSize> => {
        context.progress(`  ${label}`);
        const walBefore = await walPosition(database.url);
        const { jobs, times } = await scanTask(
          context,
          database,
          fleet,
          `sizes: ${label}`,
          imageIds ? { kind: 'images', imageIds: [...imageIds] } : { kind: 'all' },
          pulls,
        );
        const asWritten = await databaseSize(database.url);
        const wal = await walBytes(database.url, walBefore, await walPosition(database.url));
        return {
          walBytes: wal,
          asWritten,
          packed: await packed(database.url),
          scans: times.succeeded,
          failed: jobs - times.succeeded,
        };
      };
      const firstHalf = await step('the first half of the images', ids.slice(0, half));
      const secondHalf = await step('the second half', ids.slice(half));
      const content = await storedContent(database.url);
      const rescan = await step('every image again', undefined);
      return { synced, firstHalf, secondHalf, rescan, content, pulls };
    } finally {
      await fleet.stop();
    }
  } finally {
    await database.service.close();
  }
}
