import { homedir } from 'node:os';
import { join } from 'node:path';

export const baseImageCatalogueFileName = 'base-images.sqlite';

/**
 * `$DRYDOCK_CACHE_DIR/base-images.sqlite`, else `~/.cache/drydock/base-images.sqlite`: the same
 * cache directory as the vulnerability database and the malware hash store.
 */
export function defaultBaseImageCataloguePath(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env['DRYDOCK_CACHE_DIR'];
  return cache
    ? join(cache, baseImageCatalogueFileName)
    : join(homedir(), '.cache', 'drydock', baseImageCatalogueFileName);
}
