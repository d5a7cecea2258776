import { join } from 'node:path';
import { drydockCacheDirectory } from '../util/cache-directory.ts';

export const databaseFileName = 'vulndb.sqlite';

/**
 * Where the vulnerability database lives by default: `$DRYDOCK_CACHE_DIR/vulndb.sqlite`, else
 * `~/.cache/drydock/vulndb.sqlite`.
 */
export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(drydockCacheDirectory(env), databaseFileName);
}
