import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { ServiceError, notFound, parseRequest } from '../service-error.ts';
import type { AppUserTable, Database } from '../store/schema.ts';
import { randomSecret, secretDigest } from './access-secrets.ts';
import {
  hashPassword,
  needsRehash,
  passwordSchema,
  unknownUserHash,
  verifyPassword,
} from './password-hash.ts';
import { isUniqueViolation } from './unique-violation.ts';

/** A user as the service shows it: never the password hash. */
export interface User {
  readonly id: string;
  readonly name: string;
  readonly displayName: string;
  readonly serviceAdmin: boolean;
  readonly disabled: boolean;
  readonly createdAt: Date;
  readonly passwordChangedAt: Date;
  /** Logins are refused until then after too many failures; null = not locked. */
  readonly lockedUntil: Date | null;
}

/** Letters, digits and `._@-` (so e-mail addresses fit), starting with a letter or digit. */
const userName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/,
    'a user name is 1–64 letters, digits, dots, @, dashes or underscores',
  );

export const userInputSchema = z.object({
  name: userName,
  displayName: z.string().max(200).default(''),
  password: passwordSchema,
  serviceAdmin: z.boolean().default(false),
});
export type UserInput = z.input<typeof userInputSchema>;

/** Absent fields stay as they are. */
export const userUpdateSchema = z.object({
  displayName: z.string().max(200).optional(),
  /** A new password also ends the lockout and every session but the caller's own. */
  password: passwordSchema.optional(),
  disabled: z.boolean().optional(),
  serviceAdmin: z.boolean().optional(),
});
export type UserUpdate = z.input<typeof userUpdateSchema>;

export interface LockoutSettings {
  /** Consecutive failed logins that lock the account. */
  readonly maxFailedLogins: number;
  readonly lockoutMs: number;
}

/** What the first start prints: the one time the admin's password is shown. */
export interface BootstrapResult {
  readonly userName: string;
  readonly password: string;
  /** true when the service made the password up (no initial password was configured). */
  readonly generated: boolean;
}

export const bootstrapUserName = 'admin';

type UserRow = Selectable<AppUserTable>;

function toUser(row: UserRow): User {
  return {
    id: row.id,
    name: row.name,
    displayName: row.displayName,
    serviceAdmin: row.serviceAdmin,
    disabled: row.disabled,
    createdAt: row.createdAt,
    passwordChangedAt: row.passwordChangedAt,
    lockedUntil: row.lockedUntil,
  };
}

/** One message for an unknown name, a wrong password and a disabled user: none may be told apart. */
function authenticationFailed(): ServiceError {
  return new ServiceError('authentication_failed', 'wrong user name or password');
}

function loginLocked(until: Date, now: Date): ServiceError {
  return new ServiceError('login_locked', 'too many failed logins; try again later', {
    retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)),
  });
}

/**
 * Local users: their accounts, passwords and the lockout after failed logins. The service always
 * keeps one enabled service admin, so it can never lock itself out of its own management.
 */
export class UserAccounts {
  private readonly db: Kysely<Database>;
  private readonly clock: Clock;
  private readonly lockout: LockoutSettings;

  constructor(db: Kysely<Database>, clock: Clock, lockout: LockoutSettings) {
    this.db = db;
    this.clock = clock;
    this.lockout = lockout;
  }

  /**
   * On a service without users, creates `admin` (a service admin) with `initialPassword`, or a
   * random one; returns what to print once. undefined when users exist (or another process made
   * the first one at the same moment).
   */
  async bootstrap(initialPassword?: string): Promise<BootstrapResult | undefined> {
    const existing = await this.db.selectFrom('appUser').select('id').limit(1).executeTakeFirst();
    if (existing) return undefined;
    const password = initialPassword ?? randomSecret();
    parseRequest(passwordSchema, password, 'initial admin password');
    const now = this.clock.now();
    try {
      await this.db
        .insertInto('appUser')
        .values({
          id: randomUUID(),
          name: bootstrapUserName,
          displayName: 'Administrator',
          passwordHash: await hashPassword(password),
          serviceAdmin: true,
          disabled: false,
          createdAt: now,
          passwordChangedAt: now,
          failedLogins: 0,
          lockedUntil: null,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
    return { userName: bootstrapUserName, password, generated: initialPassword === undefined };
  }

  async create(input: unknown): Promise<User> {
    const data = parseRequest(userInputSchema, input, 'user');
    const existing = await this.#rowByName(data.name);
    if (existing) throw new ServiceError('conflict', `user ${data.name} exists`, { name: data.name });
    const now = this.clock.now();
    const row: UserRow = {
      id: randomUUID(),
      name: data.name,
      displayName: data.displayName,
      passwordHash: await hashPassword(data.password),
      serviceAdmin: data.serviceAdmin,
      disabled: false,
      createdAt: now,
      passwordChangedAt: now,
      failedLogins: 0,
      lockedUntil: null,
    };
    try {
      await this.db.insertInto('appUser').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ServiceError('conflict', `user ${data.name} exists`, { name: data.name });
      throw error;
    }
    return toUser(row);
  }

  async list(): Promise<User[]> {
    const rows = await this.db.selectFrom('appUser').selectAll().orderBy('name').execute();
    return rows.map(toUser);
  }

  async get(id: string): Promise<User> {
    const row = await this.db.selectFrom('appUser').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('user', id);
    return toUser(row);
  }

  /** By name, in any case. */
  async getByName(name: string): Promise<User> {
    const row = await this.#rowByName(name);
    if (!row) throw notFound('user', name);
    return toUser(row);
  }

  /**
   * Changes a user. A new password or disabling ends the user's sessions (but `keepSession`, the
   * caller's own cookie token when users change their own password); API tokens stay, since they
   * are separate credentials, but a disabled user's tokens authenticate nobody.
   */
  async update(id: string, input: unknown, options: { readonly keepSession?: string } = {}): Promise<User> {
    const data = parseRequest(userUpdateSchema, input, 'user update');
    const passwordHash = data.password === undefined ? undefined : await hashPassword(data.password);
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      // The service admins' rows first, then the user's: one lock order for every change.
      if (data.serviceAdmin === false || data.disabled === true) await this.#keepOneServiceAdmin(trx, id);
      const row = await trx
        .selectFrom('appUser')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!row) throw notFound('user', id);
      const changes: Partial<Omit<UserRow, 'id' | 'createdAt'>> = {
        ...(data.displayName === undefined ? {} : { displayName: data.displayName }),
        ...(data.disabled === undefined ? {} : { disabled: data.disabled }),
        ...(data.serviceAdmin === undefined ? {} : { serviceAdmin: data.serviceAdmin }),
        ...(passwordHash === undefined
          ? {}
          : { passwordHash, passwordChangedAt: now, failedLogins: 0, lockedUntil: null }),
      };
      if (Object.keys(changes).length === 0) return toUser(row);
      const updated = await trx
        .updateTable('appUser')
        .set(changes)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (data.disabled === true) {
        await trx.deleteFrom('userSession').where('userId', '=', id).execute();
      } else if (passwordHash !== undefined) {
        let sessions = trx.deleteFrom('userSession').where('userId', '=', id);
        if (options.keepSession !== undefined)
          sessions = sessions.where('id', '!=', secretDigest(options.keepSession));
        await sessions.execute();
      }
      return toUser(updated);
    });
  }

  /** Deletes the user with its sessions, tokens and roles; refused for the last service admin. */
  async delete(id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.#keepOneServiceAdmin(trx, id);
      const result = await trx.deleteFrom('appUser').where('id', '=', id).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw notFound('user', id);
    });
  }

  /**
   * Checks a login's name and password. Every failure but a lockout takes one password hash's
   * time and says `authentication_failed`; the `maxFailedLogins`-th consecutive failure locks the
   * account for `lockoutMs` (`login_locked`, with `retryAfterSeconds`), and the count starts again
   * after it.
   */
  async authenticate(name: string, password: string): Promise<User> {
    const row = await this.#rowByName(name);
    if (!row) {
      await verifyPassword(password, unknownUserHash);
      throw authenticationFailed();
    }
    const now = this.clock.now();
    if (row.lockedUntil && row.lockedUntil > now) throw loginLocked(row.lockedUntil, now);
    const matches = await verifyPassword(password, row.passwordHash);
    if (row.disabled) throw authenticationFailed();
    if (!matches) {
      const counted = await this.db
        .updateTable('appUser')
        .set((eb) => ({ failedLogins: eb('failedLogins', '+', 1) }))
        .where('id', '=', row.id)
        .returning('failedLogins')
        .executeTakeFirstOrThrow();
      if (counted.failedLogins < this.lockout.maxFailedLogins) throw authenticationFailed();
      const until = new Date(now.getTime() + this.lockout.lockoutMs);
      await this.db
        .updateTable('appUser')
        .set({ failedLogins: 0, lockedUntil: until })
        .where('id', '=', row.id)
        .execute();
      throw loginLocked(until, now);
    }
    const rehashed = needsRehash(row.passwordHash) ? await hashPassword(password) : undefined;
    const updated = await this.db
      .updateTable('appUser')
      .set({ failedLogins: 0, lockedUntil: null, ...(rehashed ? { passwordHash: rehashed } : {}) })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(updated);
  }

  #rowByName(name: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('appUser')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
      .executeTakeFirst();
  }

  /**
   * Refuses when `id` is the only enabled service admin; the row locks make two such changes wait
   * for each other.
   */
  async #keepOneServiceAdmin(trx: Kysely<Database>, id: string): Promise<void> {
    const admins = await trx
      .selectFrom('appUser')
      .select('id')
      .where('serviceAdmin', '=', true)
      .where('disabled', '=', false)
      .forUpdate()
      .execute();
    if (admins.length === 1 && admins[0]?.id === id)
      throw new ServiceError('conflict', 'the last service admin cannot be removed, disabled or demoted', {
        userId: id,
      });
  }
}
