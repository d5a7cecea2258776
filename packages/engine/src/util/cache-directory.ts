import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Drydock's cache directory, where the vulnerability database, the malware hash store and the
 * base-image catalogue live by default: `$DRYDOCK_CACHE_DIR`, else `~/.cache/drydock`.
 */
export function drydockCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env['DRYDOCK_CACHE_DIR'] || join(homedir(), '.cache', 'drydock');
}
