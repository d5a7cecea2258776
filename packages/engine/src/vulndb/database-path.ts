import { homedir } from 'node:os';
import { join } from 'node:path';

export const databaseFileName = 'vulndb.sqlite';

/**
 * Where the vulnerability database lives by default: `$DRYDOCK_CACHE_DIR/vulndb.sqlite`, else
 * `~/.cache/drydock/vulndb.sqlite`.
 */
export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env['DRYDOCK_CACHE_DIR'];
  return cache ? join(cache, databaseFileName) : join(homedir(), '.cache', 'drydock', databaseFileName);
}
