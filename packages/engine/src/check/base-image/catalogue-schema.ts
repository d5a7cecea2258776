/**
 * The base-image catalogue: a SQLite file (node:sqlite). One row per name, tag and platform.
 * `chain_id` is the OCI chain id of all the entry's layers (layer-chain.ts) and is indexed, so
 * matching an image asks for its prefixes' chain ids in one indexed query, however many entries
 * there are. `platform_key` is the platform with arm64's default variant made explicit, so
 * `linux/arm64` and `linux/arm64/v8` are one platform. Findings counts are NULL when unknown
 * (all five or none). Times are milliseconds since the epoch; `image_created` is the image
 * configuration's `created` (NULL when it has none), what "a newer tag" is judged by.
 */
export const catalogueSchemaVersion = 2;

export const catalogueSchemaSql = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE entries (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  tag TEXT NOT NULL,
  digest TEXT NOT NULL,
  platform TEXT NOT NULL,
  platform_key TEXT NOT NULL,
  diff_ids TEXT NOT NULL,
  layer_count INTEGER NOT NULL,
  chain_id TEXT NOT NULL,
  os_family TEXT,
  os_id TEXT,
  os_version TEXT,
  added_at INTEGER NOT NULL,
  image_created INTEGER,
  added_by TEXT NOT NULL,
  critical INTEGER,
  high INTEGER,
  medium INTEGER,
  low INTEGER,
  unknown INTEGER
) STRICT;
CREATE UNIQUE INDEX entries_by_name ON entries (name, platform_key, tag);
CREATE INDEX entries_by_chain ON entries (chain_id);
`;

/** The longest entry whose chain id is one of the image's prefix chain ids (a JSON array), newest first on a tie. */
export const matchSql = `
SELECT * FROM entries
WHERE chain_id IN (SELECT value FROM json_each(?))
ORDER BY layer_count DESC, added_at DESC, id DESC`;
