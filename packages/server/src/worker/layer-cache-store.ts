import { sql, type Kysely } from 'kysely';
import type { LayerCache } from '@drydock/engine';
import { systemClock, type Clock } from '../clock.ts';
import type { CredentialVault } from '../registries/credential-vault.ts';
import type { Database } from '../store/schema.ts';

export interface LayerCacheStoreOptions {
  /**
   * Bytes of entries kept; past it the least recently used entries are deleted. An entry larger
   * than the whole cap is not stored at all.
   */
  readonly maxBytes?: number;
  readonly clock?: Clock;
  /**
   * Encrypts entries at rest (with the credential key): entries of baseline scans hold account
   * files, /etc/shadow included. An entry that does not open is a miss.
   */
  readonly vault?: Pick<CredentialVault, 'sealBytes' | 'openBytes'>;
}

/** Enough for the analysed base layers of a few thousand images (entries are tens of KiB to a few MiB). */
export const defaultLayerCacheMaxBytes = 2 * 1024 ** 3;

export interface LayerCacheUsage {
  readonly entries: number;
  readonly bytes: number;
}

/**
 * The service's layer cache, in its own database so every worker (in process or not) shares it:
 * a re-scan, and every image on an already analysed base image, skips downloading and walking those
 * layers. A hit marks the entry used; each store then trims the cache to `maxBytes`, least recently
 * used first. The engine treats a failing cache as a miss, so a database problem here never fails
 * a scan.
 */
export class LayerCacheStore implements LayerCache {
  readonly #db: Kysely<Database>;
  readonly #maxBytes: number;
  readonly #clock: Clock;
  readonly #vault: LayerCacheStoreOptions['vault'];

  constructor(db: Kysely<Database>, options: LayerCacheStoreOptions = {}) {
    this.#db = db;
    this.#maxBytes = options.maxBytes ?? defaultLayerCacheMaxBytes;
    this.#clock = options.clock ?? systemClock;
    this.#vault = options.vault;
  }

  async get(key: string, signal: AbortSignal): Promise<Uint8Array | undefined> {
    signal.throwIfAborted();
    const row = await this.#db
      .selectFrom('layerCache')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    await this.#db
      .updateTable('layerCache')
      .set({ lastUsedAt: this.#clock.now() })
      .where('key', '=', key)
      .execute();
    if (!this.#vault) return row.value;
    try {
      return this.#vault.openBytes(row.value, `layer-cache:${key}`);
    } catch {
      return undefined;
    }
  }

  async put(key: string, plain: Uint8Array): Promise<void> {
    const value = this.#vault ? this.#vault.sealBytes(plain, `layer-cache:${key}`) : plain;
    const size = value.byteLength;
    if (size > this.#maxBytes) return;
    const now = this.#clock.now();
    // A Buffer over exactly these bytes (not the whole underlying ArrayBuffer): both drivers send it as bytea.
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    await this.#db
      .insertInto('layerCache')
      .values({ key, value: bytes, size, createdAt: now, lastUsedAt: now })
      .onConflict((conflict) => conflict.column('key').doUpdateSet({ value: bytes, size, lastUsedAt: now }))
      .execute();
    await this.#evict();
  }

  /** How much the cache holds now. */
  async usage(): Promise<LayerCacheUsage> {
    const row = await this.#db
      .selectFrom('layerCache')
      .select((eb) => [eb.fn.countAll<number>().as('entries'), eb.fn.sum<number | null>('size').as('bytes')])
      .executeTakeFirstOrThrow();
    return { entries: Number(row.entries), bytes: Number(row.bytes ?? 0) };
  }

  /**
   * Keeps the most recently used entries that fit in `maxBytes` together and deletes the rest, in
   * one statement (two workers trimming at once delete the same rows, which is harmless).
   */
  async #evict(): Promise<void> {
    await sql`
      delete from layer_cache where key in (
        select key from (
          select key, sum(size) over (order by last_used_at desc, key desc) as kept
          from layer_cache
        ) ranked
        where kept > ${this.#maxBytes}
      )
    `.execute(this.#db);
  }
}
