import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { schemaVersion, storedSchemaVersion } from './schema.ts';

/** What the database remembers of a feed's last import, for conditional fetches. */
export interface FeedState {
  readonly fingerprint: string;
  readonly etag: string | undefined;
}

/**
 * The feeds' last fingerprints and ETags; empty when there is no readable database, or one of
 * another schema version.
 */
export function readFeedStates(path: string): ReadonlyMap<string, FeedState> {
  const states = new Map<string, FeedState>();
  if (!existsSync(path)) return states;
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    // A database of another schema is rebuilt from scratch: skipping its unchanged feeds would
    // leave them out of the new file (and a reader refuses the old one).
    if (storedSchemaVersion(db) !== schemaVersion) return states;
    for (const row of db.prepare('SELECT feed, fingerprint, etag FROM provenance').all()) {
      const etag = row['etag'];
      states.set(String(row['feed']), {
        fingerprint: String(row['fingerprint']),
        etag: typeof etag === 'string' ? etag : undefined,
      });
    }
  } catch {
    states.clear();
  } finally {
    db?.close();
  }
  return states;
}
