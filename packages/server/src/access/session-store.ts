import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Database } from '../store/schema.ts';
import { randomSecret, secretDigest } from './access-secrets.ts';

export interface SessionSettings {
  /** A session ends this long after login, however active. */
  readonly sessionTtlMs: number;
  /** …and this long after its last request. */
  readonly sessionIdleMs: number;
}

/** A new session: the cookie's token and the CSRF token, both shown to the client only now. */
export interface OpenedSession {
  readonly token: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

export interface ActiveSession {
  readonly userId: string;
  readonly csrfToken: string;
  /** The absolute end (idle expiry may come sooner). */
  readonly expiresAt: Date;
}

/** Last-seen times are written at most this often, so a busy console does not write on every request. */
const maxTouchIntervalMs = 60_000;

/**
 * Console sessions. The cookie holds a random token; the table holds its SHA-256, so neither a
 * database copy nor a log of the table can be replayed as a cookie.
 */
export class SessionStore {
  private readonly db: Kysely<Database>;
  private readonly clock: Clock;
  private readonly settings: SessionSettings;

  constructor(db: Kysely<Database>, clock: Clock, settings: SessionSettings) {
    this.db = db;
    this.clock = clock;
    this.settings = settings;
  }

  async open(userId: string): Promise<OpenedSession> {
    const token = randomSecret();
    const csrfToken = randomSecret();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.settings.sessionTtlMs);
    await this.db
      .insertInto('userSession')
      .values({ id: secretDigest(token), userId, csrfToken, createdAt: now, expiresAt, lastSeenAt: now })
      .execute();
    return { token, csrfToken, expiresAt };
  }

  /**
   * The live session of a cookie token, its last-seen time refreshed; undefined for an unknown
   * token, and for an expired one, which is deleted.
   */
  async resolve(token: string): Promise<ActiveSession | undefined> {
    const id = secretDigest(token);
    const row = await this.db.selectFrom('userSession').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const now = this.clock.now().getTime();
    const idleEnd = row.lastSeenAt.getTime() + this.settings.sessionIdleMs;
    if (now >= row.expiresAt.getTime() || now >= idleEnd) {
      await this.db.deleteFrom('userSession').where('id', '=', id).execute();
      return undefined;
    }
    const touchInterval = Math.min(maxTouchIntervalMs, this.settings.sessionIdleMs / 10);
    if (now - row.lastSeenAt.getTime() >= touchInterval)
      await this.db
        .updateTable('userSession')
        .set({ lastSeenAt: new Date(now) })
        .where('id', '=', id)
        .execute();
    return { userId: row.userId, csrfToken: row.csrfToken, expiresAt: row.expiresAt };
  }

  /** Ends a session (logout); an unknown token is no error. */
  async close(token: string): Promise<void> {
    await this.db.deleteFrom('userSession').where('id', '=', secretDigest(token)).execute();
  }

  /** Deletes every session past its absolute or idle end; returns how many. For a periodic sweep. */
  async deleteExpired(): Promise<number> {
    const now = this.clock.now();
    const idleCutoff = new Date(now.getTime() - this.settings.sessionIdleMs);
    const result = await this.db
      .deleteFrom('userSession')
      .where((eb) => eb.or([eb('expiresAt', '<=', now), eb('lastSeenAt', '<=', idleCutoff)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
