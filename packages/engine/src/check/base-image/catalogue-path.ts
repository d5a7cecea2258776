import { join } from 'node:path';
import { drydockCacheDirectory } from '../../util/cache-directory.ts';

export const baseImageCatalogueFileName = 'base-images.sqlite';

/**
 * `$DRYDOCK_CACHE_DIR/base-images.sqlite`, else `~/.cache/drydock/base-images.sqlite`: the same
 * cache directory as the vulnerability database and the malware hash store (util/cache-directory.ts).
 */
export function defaultBaseImageCataloguePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(drydockCacheDirectory(env), baseImageCatalogueFileName);
}
