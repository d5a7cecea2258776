import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { FeedItem, OpenedFeed } from './feed-item.ts';
import type { FeedLimits } from './feed-limits.ts';
import { jsonFileItems } from './json-file-source.ts';
import { jsonlItems } from './jsonl-source.ts';

/** Record files of a directory feed, found recursively, in a stable (sorted) order. */
async function recordFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && /\.(json|jsonl|ndjson)$/i.test(entry.name)) found.push(path);
    }
  };
  await walk(root);
  return found;
}

/**
 * A directory as a feed, the way OSV sources are laid out in git (one `*.json` record per file,
 * e.g. golang/vulndb `data/osv/`) or as exports (`*.jsonl`, one record a line). Other files are
 * ignored; symbolic links are not followed. The fingerprint is the sha256 of every file's relative
 * path and sha256, so renaming or editing any record file changes it.
 */
export function openDirectoryFeed(root: string, limits: FeedLimits): OpenedFeed {
  let digest: string | undefined;
  return {
    source: root,
    format: 'directory',
    async *items(signal?: AbortSignal): AsyncGenerator<FeedItem> {
      const listing = createHash('sha256');
      for (const path of await recordFiles(root)) {
        signal?.throwIfAborted();
        const label = relative(root, path).split(sep).join('/');
        const hash = createHash('sha256');
        if (/\.json$/i.test(path)) {
          yield* await jsonFileItems(path, limits, (bytes) => hash.update(bytes), label);
        } else {
          yield* jsonlItems(path, limits, (chunk) => hash.update(chunk), label, signal);
        }
        listing.update(`${label}\0${hash.digest('hex')}\n`);
      }
      digest = `sha256:${listing.digest('hex')}`;
    },
    fingerprint: () => digest,
    close: async () => undefined,
  };
}
