import type { SyncTask } from '../api/task-types.ts';

/**
 * One error of a sync task as the console says it: `code: message` for a registry that failed, with
 * `team/app:v2 skipped: ` before it for a repository or tag the listing went on without.
 */
export function syncErrorText(error: SyncTask['errors'][number]): string {
  const what = `${error.code}: ${error.message}`;
  return error.image === undefined ? what : `${error.image} skipped: ${what}`;
}
