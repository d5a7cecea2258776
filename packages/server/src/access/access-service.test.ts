import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ManualClock } from '../clock.ts';
import { ProjectService } from '../projects/project-service.ts';
import { isServiceError, type ServiceErrorCode } from '../service-error.ts';
import { openStore, type Store } from '../store/store.ts';
import { secretsMatch } from './access-secrets.ts';
import { AccessService } from './access-service.ts';
import {
  builtInRolePermissions,
  can,
  permissions,
  seesProject,
  type Permission,
  type Principal,
} from './principal.ts';

const minute = 60_000;
const hour = 60 * minute;

async function rejectsWith(promise: Promise<unknown>, code: ServiceErrorCode): Promise<void> {
  await assert.rejects(promise, (error) => {
    assert.ok(isServiceError(error), `expected a ServiceError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  });
}

function held(principal: Principal | undefined, projectId: string): Permission[] {
  return [...(principal?.projects.get(projectId) ?? [])].sort();
}

const sorted = (list: readonly Permission[]): Permission[] => [...list].sort();

describe('access service', () => {
  let store: Store;
  let access: AccessService;
  let projects: ProjectService;
  const clock = new ManualClock('2026-02-01T08:00:00Z');
  let names = 0;
  /** A fresh user name per test, so the tests share one database without meeting. */
  const uniqueName = (base: string) => `${base}${++names}`;
  const password = 'a good long password';

  before(async () => {
    store = await openStore({ kind: 'pglite' });
    access = new AccessService(store.db, clock, { loginAttemptsPerAddress: 1000 });
    projects = new ProjectService(store.db, clock);
  });
  after(async () => {
    await store?.close();
  });

  it('bootstraps the first admin once, with a generated password', async () => {
    const first = await access.bootstrap();
    assert.ok(first);
    assert.equal(first.userName, 'admin');
    assert.equal(first.generated, true);
    assert.ok(first.password.length >= 12);
    assert.equal(await access.bootstrap('another password'), undefined);
    const admin = await access.getUserByName('ADMIN');
    assert.equal(admin.serviceAdmin, true);
    const login = await access.login('admin', first.password, '127.0.0.1');
    assert.equal(login.user.id, admin.id);
  });

  it('manages users without ever returning a password hash; names are unique in any case', async () => {
    const name = uniqueName('Carol');
    const user = await access.createUser({ name, displayName: 'Carol C', password });
    assert.equal(user.serviceAdmin, false);
    await rejectsWith(access.createUser({ name: name.toUpperCase(), password }), 'conflict');
    await rejectsWith(access.createUser({ name: uniqueName('dave'), password: 'short' }), 'invalid_request');
    await rejectsWith(access.createUser({ name: 'no spaces allowed', password }), 'invalid_request');
    const listed = await access.listUsers();
    assert.ok(listed.some((entry) => entry.id === user.id));
    for (const entry of [user, ...listed, await access.getUser(user.id)])
      assert.equal(JSON.stringify(entry).includes('scrypt'), false);
    assert.deepEqual(Object.keys(user).sort(), [
      'createdAt',
      'disabled',
      'displayName',
      'id',
      'lockedUntil',
      'name',
      'passwordChangedAt',
      'serviceAdmin',
    ]);
    const renamed = await access.updateUser(user.id, { displayName: 'Carol Changed' });
    assert.equal(renamed.displayName, 'Carol Changed');
    await access.deleteUser(user.id);
    await rejectsWith(access.getUser(user.id), 'not_found');
    await rejectsWith(access.deleteUser(user.id), 'not_found');
  });

  it('logs in with the right password; a wrong password and an unknown name fail alike', async () => {
    const name = uniqueName('erin');
    const user = await access.createUser({ name, password });
    const login = await access.login(name.toUpperCase(), password, '10.0.0.1');
    assert.equal(login.user.id, user.id);
    assert.equal(login.expiresAt.getTime(), clock.now().getTime() + 12 * hour);
    assert.notEqual(login.token, login.csrfToken);

    const failures: string[] = [];
    for (const attempt of [
      () => access.login(name, 'wrong password!!', '10.0.0.1'),
      () => access.login('nobody-here', password, '10.0.0.1'),
    ]) {
      await assert.rejects(attempt(), (error) => {
        assert.ok(isServiceError(error));
        assert.equal(error.code, 'authentication_failed');
        failures.push(error.message);
        return true;
      });
    }
    assert.equal(failures[0], failures[1]);
  });

  it('locks an account after five wrong passwords in a row, until the lockout has passed', async () => {
    const name = uniqueName('frank');
    await access.createUser({ name, password });
    for (let attempt = 1; attempt < 5; attempt++)
      await rejectsWith(access.login(name, `wrong password ${attempt}`, '10.0.0.2'), 'authentication_failed');
    await rejectsWith(access.login(name, 'wrong password 5', '10.0.0.2'), 'login_locked');
    // Locked: even the right password is refused, with the time left.
    await assert.rejects(access.login(name, password, '10.0.0.2'), (error) => {
      assert.ok(isServiceError(error));
      assert.equal(error.code, 'login_locked');
      assert.equal(error.details.retryAfterSeconds, 15 * 60);
      return true;
    });
    const locked = await access.getUserByName(name);
    assert.ok(locked.lockedUntil);
    clock.advance(15 * minute);
    const login = await access.login(name, password, '10.0.0.2');
    assert.equal(login.user.lockedUntil, null);
    // A success starts the count again: four more failures do not lock.
    for (let attempt = 1; attempt < 5; attempt++)
      await rejectsWith(access.login(name, `wrong password ${attempt}`, '10.0.0.2'), 'authentication_failed');
    await access.login(name, password, '10.0.0.2');
  });

  it('refuses disabled users, ends their sessions, and refuses their tokens', async () => {
    const name = uniqueName('grace');
    const user = await access.createUser({ name, password });
    const login = await access.login(name, password, '10.0.0.3');
    const { token } = await access.createToken(user.id, { name: 'ci' });
    await access.updateUser(user.id, { disabled: true });
    await rejectsWith(access.login(name, password, '10.0.0.3'), 'authentication_failed');
    assert.equal(await access.session(login.token), undefined);
    assert.equal(await access.tokenPrincipal(token), undefined);
    await access.updateUser(user.id, { disabled: false });
    assert.ok(await access.tokenPrincipal(token));
    assert.ok(await access.login(name, password, '10.0.0.3'));
  });

  it('limits login attempts per address', async () => {
    const limited = new AccessService(store.db, clock, {
      loginAttemptsPerAddress: 2,
      loginAttemptWindowMs: minute,
    });
    const name = uniqueName('heidi');
    await limited.createUser({ name, password });
    await limited.login(name, password, '192.0.2.7');
    await rejectsWith(limited.login(name, 'wrong password!!', '192.0.2.7'), 'authentication_failed');
    await assert.rejects(limited.login(name, password, '192.0.2.7'), (error) => {
      assert.ok(isServiceError(error));
      assert.equal(error.code, 'login_locked');
      assert.equal(error.details.retryAfterSeconds, 60);
      return true;
    });
    await limited.login(name, password, '192.0.2.8');
    clock.advance(minute);
    await limited.login(name, password, '192.0.2.7');
  });

  it('ends sessions at their absolute end and after idle time; activity keeps them alive until the end', async () => {
    const name = uniqueName('ivan');
    const user = await access.createUser({ name, password });

    const idle = await access.login(name, password, '10.0.0.4');
    clock.advance(2 * hour - 1);
    const alive = await access.session(idle.token);
    assert.equal(alive?.principal.userId, user.id);
    assert.equal(alive?.principal.via, 'session');
    assert.ok(alive && secretsMatch(alive.csrfToken, idle.csrfToken));
    assert.equal(secretsMatch(idle.csrfToken, undefined), false);
    assert.equal(secretsMatch(idle.csrfToken, 'forged'), false);
    clock.advance(2 * hour - 1);
    assert.ok(await access.session(idle.token), 'the last request moved the idle end');
    clock.advance(2 * hour);
    assert.equal(await access.session(idle.token), undefined);
    clock.advance(-hour);
    assert.equal(await access.session(idle.token), undefined, 'an expired session is deleted');

    const busy = await access.login(name, password, '10.0.0.4');
    for (let step = 0; step < 11; step++) {
      clock.advance(hour);
      assert.ok(await access.session(busy.token));
    }
    clock.advance(hour);
    assert.equal(await access.session(busy.token), undefined);

    const leaving = await access.login(name, password, '10.0.0.4');
    await access.logout(leaving.token);
    assert.equal(await access.session(leaving.token), undefined);
    assert.equal(await access.session('not a token'), undefined);
  });

  it('a new password ends the other sessions and keeps the caller’s own', async () => {
    const name = uniqueName('judy');
    const user = await access.createUser({ name, password });
    const mine = await access.login(name, password, '10.0.0.5');
    const other = await access.login(name, password, '10.0.0.6');
    await access.updateUser(user.id, { password: 'a new long password' }, { keepSession: mine.token });
    assert.ok(await access.session(mine.token));
    assert.equal(await access.session(other.token), undefined);
    await rejectsWith(access.login(name, password, '10.0.0.5'), 'authentication_failed');
    await access.login(name, 'a new long password', '10.0.0.5');
  });

  it('shows a token once, stores only its hash, and refuses it when expired or revoked', async () => {
    const name = uniqueName('ken');
    const user = await access.createUser({ name, password });
    const created = await access.createToken(user.id, {
      name: 'nightly',
      expiresAt: new Date(clock.now().getTime() + 24 * hour).toISOString(),
    });
    assert.match(created.token, /^ddk_[A-Za-z0-9_-]{43}$/);
    assert.equal(JSON.stringify(await access.listTokens(user.id)).includes(created.token), false);

    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables where table_schema = 'public'
    `.execute(store.db);
    assert.ok(tables.rows.some((table) => table.name === 'api_token'));
    for (const table of tables.rows) {
      const rows = await sql`select * from ${sql.table(table.name)}`.execute(store.db);
      const text = JSON.stringify(rows.rows, (_key, value: unknown) =>
        typeof value === 'bigint' ? String(value) : value,
      );
      assert.equal(text.includes(created.token), false, `the secret is stored in ${table.name}`);
      assert.equal(text.includes(created.token.slice(4)), false, `the secret is stored in ${table.name}`);
    }

    const principal = await access.tokenPrincipal(created.token);
    assert.equal(principal?.userId, user.id);
    assert.equal(principal?.via, 'token');
    const [used] = await access.listTokens(user.id);
    assert.deepEqual(used?.lastUsedAt, clock.now());

    assert.equal(await access.tokenPrincipal(`${created.token}x`), undefined);
    assert.equal(await access.tokenPrincipal(created.token.slice(4)), undefined);
    clock.advance(24 * hour);
    assert.equal(await access.tokenPrincipal(created.token), undefined, 'expired');

    const second = await access.createToken(user.id, { name: 'deploy' });
    assert.ok(await access.tokenPrincipal(second.token));
    const revoked = await access.revokeToken(user.id, second.info.id);
    assert.deepEqual(revoked.revokedAt, clock.now());
    assert.equal(await access.tokenPrincipal(second.token), undefined, 'revoked');

    const stranger = await access.createUser({ name: uniqueName('mallory'), password });
    await rejectsWith(access.revokeToken(stranger.id, created.info.id), 'not_found');
    await rejectsWith(
      access.createToken(user.id, { name: 'old', expiresAt: '2020-01-01T00:00:00Z' }),
      'invalid_request',
    );
    await rejectsWith(
      access.createToken(user.id, { name: 'x', permissions: ['images:fly'] }),
      'invalid_request',
    );
    await rejectsWith(access.createToken('no-such-user', { name: 'x' }), 'not_found');
  });

  it('a token holds the intersection of its permissions with the user’s current roles, in its project only', async () => {
    const alpha = await projects.create({ name: uniqueName('alpha') });
    const beta = await projects.create({ name: uniqueName('beta') });
    const user = await access.createUser({ name: uniqueName('leo'), password });
    await access.setMember(alpha.id, user.id, 'operator');
    await access.setMember(beta.id, user.id, 'viewer');

    const subset = await access.createToken(user.id, {
      name: 'scan',
      permissions: ['images:list', 'images:set', 'billing:get'],
    });
    const principal = await access.tokenPrincipal(subset.token);
    assert.deepEqual(held(principal, alpha.id), ['images:list', 'images:set']);
    assert.deepEqual(held(principal, beta.id), ['images:list']);
    assert.equal(principal && can(principal, alpha.id, 'billing:get'), false);

    const pinned = await access.createToken(user.id, { name: 'alpha only', projectId: alpha.id });
    const pinnedPrincipal = await access.tokenPrincipal(pinned.token);
    assert.deepEqual(held(pinnedPrincipal, alpha.id), sorted(builtInRolePermissions.operator));
    assert.equal(pinnedPrincipal && seesProject(pinnedPrincipal, beta.id), false);

    // A role taken away takes the token's use of it too.
    await access.setMember(alpha.id, user.id, 'viewer');
    assert.deepEqual(held(await access.tokenPrincipal(subset.token), alpha.id), ['images:list']);
    await access.removeMember(beta.id, user.id);
    const narrowed = await access.tokenPrincipal(subset.token);
    assert.equal(narrowed && seesProject(narrowed, beta.id), false);
    await rejectsWith(access.createToken(user.id, { name: 'x', projectId: 'no-such-project' }), 'not_found');
  });

  it('offers the built-in roles and the project’s custom roles; a custom role is refused deletion while held', async () => {
    const project = await projects.create({ name: uniqueName('gamma') });
    const user = await access.createUser({ name: uniqueName('mia'), password });
    const auditor = await access.createRole(project.id, {
      name: 'Auditor',
      permissions: ['billing:get', 'images:list'],
    });
    assert.deepEqual(auditor.permissions, ['images:list', 'billing:get']);
    await rejectsWith(
      access.createRole(project.id, { name: 'auditor', permissions: ['images:get'] }),
      'conflict',
    );
    await rejectsWith(
      access.createRole(project.id, { name: 'Admin', permissions: ['images:get'] }),
      'invalid_request',
    );
    await rejectsWith(access.createRole(project.id, { name: 'Empty', permissions: [] }), 'invalid_request');
    await rejectsWith(
      access.createRole('no-such-project', { name: 'Other', permissions: ['images:get'] }),
      'not_found',
    );

    const roles = await access.listRoles(project.id);
    assert.deepEqual(
      roles.map((role) => [role.id, role.builtIn]),
      [
        ['admin', true],
        ['operator', true],
        ['viewer', true],
        [auditor.id, false],
      ],
    );

    const member = await access.setMember(project.id, user.id, 'auditor');
    assert.equal(member.role, auditor.id);
    assert.equal(member.roleName, 'Auditor');
    assert.deepEqual(held(await access.principalFor(user.id, 'session'), project.id), [
      'billing:get',
      'images:list',
    ]);
    await rejectsWith(access.setMember(project.id, user.id, 'superuser'), 'invalid_request');
    await rejectsWith(access.setMember(project.id, 'no-such-user', 'viewer'), 'not_found');

    const updated = await access.updateRole(project.id, auditor.id, { permissions: ['images:get'] });
    assert.deepEqual(updated.permissions, ['images:get']);
    assert.deepEqual(held(await access.principalFor(user.id, 'session'), project.id), ['images:get']);
    await rejectsWith(
      access.updateRole(project.id, 'viewer', { permissions: ['iam:set'] }),
      'invalid_request',
    );

    await rejectsWith(access.deleteRole(project.id, auditor.id), 'conflict');
    assert.deepEqual(
      (await access.listMembers(project.id)).map((entry) => [entry.userId, entry.roleName]),
      [[user.id, 'Auditor']],
    );
    await access.removeMember(project.id, user.id);
    await rejectsWith(access.removeMember(project.id, user.id), 'not_found');
    await access.deleteRole(project.id, auditor.id);
    await rejectsWith(access.deleteRole(project.id, auditor.id), 'not_found');
    assert.equal((await access.listRoles(project.id)).length, 3);
  });

  it('a service admin holds every permission in every project, also ones created later; members only their own', async () => {
    const admin = await access.createUser({ name: uniqueName('root'), password, serviceAdmin: true });
    const member = await access.createUser({ name: uniqueName('nina'), password });
    const own = await projects.create({ name: uniqueName('own') });
    await access.setMember(own.id, member.id, 'viewer');
    const later = await projects.create({ name: uniqueName('later') });
    const everyProject = await projects.list();

    const principal = await access.principalFor(admin.id, 'session');
    assert.ok(principal?.serviceAdmin);
    for (const project of everyProject) assert.deepEqual(held(principal, project.id), sorted(permissions));
    assert.ok(principal && can(principal, later.id, 'iam:set'));

    const memberPrincipal = await access.principalFor(member.id, 'session');
    assert.deepEqual([...(memberPrincipal?.projects.keys() ?? [])], [own.id]);
    assert.equal(memberPrincipal?.serviceAdmin, false);
    assert.equal(await access.principalFor('no-such-user', 'session'), undefined);

    // A token restricted in any way does not carry service administration.
    const unrestricted = await access.createToken(admin.id, { name: 'all' });
    const restricted = await access.createToken(admin.id, { name: 'some', permissions: ['images:list'] });
    assert.equal((await access.tokenPrincipal(unrestricted.token))?.serviceAdmin, true);
    const narrow = await access.tokenPrincipal(restricted.token);
    assert.equal(narrow?.serviceAdmin, false);
    assert.deepEqual(held(narrow, later.id), ['images:list']);
  });

  it('never removes the last enabled service admin; a service without users bootstraps with a configured password', async () => {
    // Start over without users (sessions, tokens and memberships go with them).
    await store.db.deleteFrom('appUser').execute();
    await rejectsWith(access.bootstrap('short'), 'invalid_request');
    assert.deepEqual(await access.bootstrap('the first password'), {
      userName: 'admin',
      password: 'the first password',
      generated: false,
    });
    const admin = await access.getUserByName('admin');
    await access.login('admin', 'the first password', '10.0.0.9');
    await rejectsWith(access.deleteUser(admin.id), 'conflict');
    await rejectsWith(access.updateUser(admin.id, { serviceAdmin: false }), 'conflict');
    await rejectsWith(access.updateUser(admin.id, { disabled: true }), 'conflict');
    const second = await access.createUser({ name: 'second', password, serviceAdmin: true });
    await access.updateUser(admin.id, { serviceAdmin: false });
    await rejectsWith(access.deleteUser(second.id), 'conflict');
    await access.deleteUser(admin.id);
    assert.deepEqual(
      (await access.listUsers()).map((user) => user.name),
      ['second'],
    );
  });
});
