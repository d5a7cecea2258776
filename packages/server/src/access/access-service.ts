import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import { ServiceError } from '../service-error.ts';
import type { Database } from '../store/schema.ts';
import { ApiTokens, restrictPrincipal, type ApiTokenInfo, type CreatedApiToken } from './api-tokens.ts';
import { LoginLimiter } from './login-limiter.ts';
import { permissions, type Permission, type Principal } from './principal.ts';
import { ProjectRoles, type GrantHolder, type Member, type Role } from './project-roles.ts';
import { SessionStore } from './session-store.ts';
import { UserAccounts, type BootstrapResult, type User } from './user-accounts.ts';

export interface AccessSettings {
  /** A session ends this long after login, however active (12 h). */
  readonly sessionTtlMs: number;
  /** …and this long after its last request (2 h). */
  readonly sessionIdleMs: number;
  /** Consecutive wrong passwords that lock an account (5)… */
  readonly maxFailedLogins: number;
  /** …for this long (15 min). */
  readonly lockoutMs: number;
  /** Login attempts one client address may make per window (20 a minute), whatever the user names. */
  readonly loginAttemptsPerAddress: number;
  readonly loginAttemptWindowMs: number;
}

export const defaultAccessSettings: AccessSettings = {
  sessionTtlMs: 12 * 60 * 60_000,
  sessionIdleMs: 2 * 60 * 60_000,
  maxFailedLogins: 5,
  lockoutMs: 15 * 60_000,
  loginAttemptsPerAddress: 20,
  loginAttemptWindowMs: 60_000,
};

/** A successful login: the cookie's token and the CSRF token, shown to the client only now. */
export interface LoginResult {
  readonly token: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
  readonly user: User;
}

/** The caller behind a live session cookie. */
export interface SessionContext {
  readonly principal: Principal;
  /** What cookie-authenticated writes must send back (compare with `secretsMatch`). */
  readonly csrfToken: string;
  /** The absolute end of the session. */
  readonly expiresAt: Date;
}

/**
 * Identity and access (PRODUCT.md section 6, issue "[7 of 11]"): users, logins and sessions, API
 * tokens, project roles, and the `Principal` every API request is authorised as. It decides who
 * the caller is and what it holds; the API decides, with `can`, whether that suffices for a route,
 * and records changes in the audit log (this class knows no actor or address to record).
 */
export class AccessService {
  readonly settings: AccessSettings;
  readonly #users: UserAccounts;
  readonly #sessions: SessionStore;
  readonly #tokens: ApiTokens;
  readonly #roles: ProjectRoles;
  readonly #limiter: LoginLimiter;

  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>, clock: Clock, options: Partial<AccessSettings> = {}) {
    this.db = db;
    this.settings = { ...defaultAccessSettings, ...options };
    this.#users = new UserAccounts(db, clock, this.settings);
    this.#sessions = new SessionStore(db, clock, this.settings);
    this.#tokens = new ApiTokens(db, clock);
    this.#roles = new ProjectRoles(db, clock);
    this.#limiter = new LoginLimiter(clock, {
      attempts: this.settings.loginAttemptsPerAddress,
      windowMs: this.settings.loginAttemptWindowMs,
    });
  }

  // Users

  /** See `UserAccounts.bootstrap`: the first admin on a service without users. */
  bootstrap(initialPassword?: string): Promise<BootstrapResult | undefined> {
    return this.#users.bootstrap(initialPassword);
  }

  /** `input`: `{ name, password, displayName?, serviceAdmin? }` (userInputSchema). */
  createUser(input: unknown): Promise<User> {
    return this.#users.create(input);
  }

  listUsers(): Promise<User[]> {
    return this.#users.list();
  }

  getUser(userId: string): Promise<User> {
    return this.#users.get(userId);
  }

  getUserByName(name: string): Promise<User> {
    return this.#users.getByName(name);
  }

  /**
   * `input`: `{ displayName?, password?, disabled?, serviceAdmin? }` (userUpdateSchema). A new
   * password ends the user's other sessions (`keepSession`: the caller's own cookie token), and
   * disabling ends all of them; removing the last enabled service admin is a `conflict`.
   */
  updateUser(userId: string, input: unknown, options?: { readonly keepSession?: string }): Promise<User> {
    return this.#users.update(userId, input, options);
  }

  /** With its sessions, tokens and memberships; the last service admin is a `conflict`. */
  deleteUser(userId: string): Promise<void> {
    return this.#users.delete(userId);
  }

  // Logins and sessions

  /**
   * Checks the password and opens a session. Fails with `authentication_failed` (one message for
   * every reason) or `login_locked` (`details.retryAfterSeconds`), when the account is locked or
   * `address` has made too many attempts.
   */
  async login(name: string, password: string, address: string): Promise<LoginResult> {
    const admission = this.#limiter.admit(address);
    if (!admission.allowed)
      throw new ServiceError('login_locked', 'too many login attempts from this address; try again later', {
        retryAfterSeconds: admission.retryAfterSeconds,
      });
    const user = await this.#users.authenticate(name, password);
    const session = await this.#sessions.open(user.id);
    return { ...session, user };
  }

  /**
   * Checks a signed-in user's password again (before it is changed), with the same limits and
   * lockout as a login, without opening a session.
   */
  async verifyPassword(name: string, password: string, address: string): Promise<void> {
    const admission = this.#limiter.admit(address);
    if (!admission.allowed)
      throw new ServiceError('login_locked', 'too many login attempts from this address; try again later', {
        retryAfterSeconds: admission.retryAfterSeconds,
      });
    await this.#users.authenticate(name, password);
  }

  /**
   * The caller behind a session cookie; undefined when the session is unknown, expired, or its
   * user disabled.
   */
  async session(token: string): Promise<SessionContext | undefined> {
    const session = await this.#sessions.resolve(token);
    if (!session) return undefined;
    const principal = await this.principalFor(session.userId, 'session');
    if (!principal) {
      await this.#sessions.close(token);
      return undefined;
    }
    return { principal, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
  }

  logout(token: string): Promise<void> {
    return this.#sessions.close(token);
  }

  /** Deletes expired sessions (they are refused anyway; this only keeps the table small). */
  deleteExpiredSessions(): Promise<number> {
    return this.#sessions.deleteExpired();
  }

  // API tokens

  /**
   * `input`: `{ name, expiresAt?, permissions?, projectId? }` (apiTokenInputSchema); the secret is
   * returned this once.
   */
  createToken(userId: string, input: unknown): Promise<CreatedApiToken> {
    return this.#tokens.create(userId, input);
  }

  listTokens(userId: string): Promise<ApiTokenInfo[]> {
    return this.#tokens.list(userId);
  }

  revokeToken(userId: string, tokenId: string): Promise<ApiTokenInfo> {
    return this.#tokens.revoke(userId, tokenId);
  }

  /**
   * The caller behind an API token (`ddk_…`); undefined when it is unknown, expired, revoked, or
   * its user is disabled. Its permissions are the token's subset of the user's current ones.
   */
  async tokenPrincipal(secret: string): Promise<Principal | undefined> {
    const resolved = await this.#tokens.resolve(secret);
    if (!resolved) return undefined;
    const principal = await this.#principalOf(resolved.holder, 'token');
    return principal && restrictPrincipal(principal, resolved.grant);
  }

  // Roles and members

  listRoles(projectId: string): Promise<Role[]> {
    return this.#roles.listRoles(projectId);
  }

  /** `input`: `{ name, permissions }` (roleInputSchema). */
  createRole(projectId: string, input: unknown): Promise<Role> {
    return this.#roles.createRole(projectId, input);
  }

  /** `input`: `{ name?, permissions? }` (roleUpdateSchema); built-in roles are `invalid_request`. */
  updateRole(projectId: string, roleId: string, input: unknown): Promise<Role> {
    return this.#roles.updateRole(projectId, roleId, input);
  }

  /** Refused (`conflict`) while members hold the role. */
  deleteRole(projectId: string, roleId: string): Promise<void> {
    return this.#roles.deleteRole(projectId, roleId);
  }

  /** `role`: a built-in role name, or a custom role's id or name. */
  setMember(projectId: string, userId: string, role: string): Promise<Member> {
    return this.#roles.setMember(projectId, userId, role);
  }

  removeMember(projectId: string, userId: string): Promise<void> {
    return this.#roles.removeMember(projectId, userId);
  }

  listMembers(projectId: string): Promise<Member[]> {
    return this.#roles.listMembers(projectId);
  }

  /**
   * What the user may do, project by project: its roles' permissions, and for a service admin every
   * permission in every project. undefined for an unknown or disabled user.
   */
  async principalFor(userId: string, via: Principal['via']): Promise<Principal | undefined> {
    return this.#principalOf(await this.#roles.holderOf(userId), via);
  }

  /** The principal of a user read with their grants (undefined: unknown or disabled). */
  async #principalOf(holder: GrantHolder | undefined, via: Principal['via']): Promise<Principal | undefined> {
    if (!holder || holder.user.disabled) return undefined;
    const { user, grants } = holder;
    const projects = new Map<string, Set<Permission>>();
    if (user.serviceAdmin) {
      const all = await this.db.selectFrom('project').select('id').execute();
      for (const project of all) projects.set(project.id, new Set(permissions));
    }
    for (const grant of grants) {
      const held = projects.get(grant.projectId) ?? new Set<Permission>();
      for (const permission of grant.permissions) held.add(permission);
      if (held.size > 0) projects.set(grant.projectId, held);
    }
    return { userId: user.id, userName: user.name, via, serviceAdmin: user.serviceAdmin, projects };
  }
}
