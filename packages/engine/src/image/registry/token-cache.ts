import type { TokenGrant } from './token-response.ts';

/**
 * Bearer tokens per (registry, service, scope), so pulling an image's manifest, config and layers
 * asks the token server once. A token is used until shortly before it expires (a tenth of its
 * lifetime, at most 10 s, early) and dropped when a registry rejects it with 401.
 */
export class TokenCache {
  readonly #entries = new Map<string, TokenGrant & { readonly marginMs: number }>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  static key(registry: string, service: string | undefined, scope: string): string {
    return JSON.stringify([registry, service ?? '', scope]);
  }

  /** The cached token for `key`, or undefined when there is none or it is (about to be) expired. */
  get(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (this.#now() >= entry.expiresAt - entry.marginMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.token;
  }

  set(key: string, grant: TokenGrant): void {
    const lifetime = Math.max(0, grant.expiresAt - this.#now());
    this.#entries.set(key, { ...grant, marginMs: Math.min(10_000, lifetime / 10) });
  }

  /** Forgets `key`'s token; with `token`, only when that is still the one cached (a racing refresh wins). */
  invalidate(key: string, token?: string): void {
    const entry = this.#entries.get(key);
    if (entry && (token === undefined || entry.token === token)) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
