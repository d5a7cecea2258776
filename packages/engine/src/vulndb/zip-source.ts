import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { feedError } from './feed-error.ts';
import type { FeedItem, OpenedFeed } from './feed-item.ts';
import type { FeedLimits } from './feed-limits.ts';
import { documentItems } from './parse-json-item.ts';
import { readZipMember, readZipMembers } from './zip-file.ts';

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }))
    hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/**
 * A ZIP archive of OSV records as a feed: the OSV project's per-ecosystem `all.zip`
 * (https://google.github.io/osv.dev/data/#data-dumps), one `<ID>.json` record per member.
 * Members that are not `*.json` are ignored; a member that cannot be read is an invalid item.
 * The archive's directory is read when the feed is opened, so a truncated archive fails before
 * anything is imported. The fingerprint is the sha256 of the archive (given when the caller
 * already computed it while downloading).
 */
export async function openZipFeed(
  path: string,
  limits: FeedLimits,
  knownFingerprint?: string,
): Promise<OpenedFeed> {
  const file = await open(path, 'r');
  try {
    const members = await readZipMembers(file, limits.maxZipEntries);
    const fingerprint = knownFingerprint ?? (await sha256File(path));
    const label = basename(path);
    return {
      source: path,
      format: 'zip',
      async *items(signal?: AbortSignal): AsyncGenerator<FeedItem> {
        let inflated = 0;
        for (const member of members) {
          signal?.throwIfAborted();
          if (member.name.endsWith('/') || !/\.json$/i.test(member.name)) continue;
          const location = `${label}!${member.name}`;
          inflated += member.uncompressedSize;
          if (inflated > limits.maxInflatedBytes) {
            throw feedError('feed_too_large', `ZIP archive inflates past ${limits.maxInflatedBytes} bytes`);
          }
          const content = await readZipMember(file, member, limits.maxMemberBytes);
          if (!content.ok) {
            yield { kind: 'invalid', reason: content.reason, location };
            continue;
          }
          yield* documentItems(content.content.toString('utf8'), location);
        }
      },
      fingerprint: () => fingerprint,
      close: () => file.close(),
    };
  } catch (error) {
    await file.close();
    throw error;
  }
}
