import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DrydockError } from '../util/errors.ts';

/**
 * The upstream feeds `drydock db update` fetches. The default is the OSV project's per-ecosystem
 * exports (https://google.github.io/osv.dev/data/#data-dumps): one `all.zip` per ecosystem at
 * `https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip`, for the ecosystems
 * Drydock's analyzers find packages of. A feeds file replaces the list (mirrors, air-gapped copies,
 * other sources); its `url` may also be a local path.
 *
 * Feeds file (JSON): `{ "feeds": [ { "name": "PyPI", "url": "https://.../PyPI/all.zip" } ] }`
 * or just the array.
 */
export interface FeedDefinition {
  /** The feed's key in the database's provenance. */
  readonly name: string;
  /** An http(s) URL or a local path (directory, JSON Lines, JSON or ZIP). */
  readonly url: string;
}

export const osvExportBase = 'https://osv-vulnerabilities.storage.googleapis.com';

/** OSV ecosystems fetched by default: the distributions and language ecosystems Drydock inventories. */
export const defaultFeedEcosystems = [
  'AlmaLinux',
  'Alpine',
  'Chainguard',
  'Debian',
  'Rocky Linux',
  'Ubuntu',
  'Wolfi',
  'crates.io',
  'Go',
  'Maven',
  'npm',
  'NuGet',
  'Packagist',
  'PyPI',
  'RubyGems',
] as const;

export function osvExportUrl(ecosystem: string, base: string = osvExportBase): string {
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(ecosystem)}/all.zip`;
}

export const defaultFeeds: readonly FeedDefinition[] = defaultFeedEcosystems.map((ecosystem) => ({
  name: ecosystem,
  url: osvExportUrl(ecosystem),
}));

const feedSchema = z.object({ name: z.string().min(1).max(200), url: z.string().min(1) });
const feedsFileSchema = z.object({ feeds: z.array(feedSchema) });

/** Parses a feeds file; names must be unique. */
export function parseFeedsFile(text: string, path = 'feeds file'): FeedDefinition[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DrydockError('malformed_image', `${path} is not JSON`, {
      reason: 'invalid_feeds_file',
      cause: error,
    });
  }
  const parsed = feedsFileSchema.safeParse(Array.isArray(value) ? { feeds: value } : value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DrydockError(
      'malformed_image',
      `${path}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
      {
        reason: 'invalid_feeds_file',
      },
    );
  }
  const feeds = parsed.data.feeds;
  const names = new Set<string>();
  for (const feed of feeds) {
    if (names.has(feed.name)) {
      throw new DrydockError('malformed_image', `${path}: feed ${feed.name} is listed twice`, {
        reason: 'invalid_feeds_file',
      });
    }
    names.add(feed.name);
  }
  return feeds;
}

export async function readFeedsFile(path: string): Promise<FeedDefinition[]> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new DrydockError('not_found', `cannot read the feeds file ${path}`, {
      reason: 'feeds_file_missing',
      cause: error,
    });
  });
  return parseFeedsFile(text, path);
}
