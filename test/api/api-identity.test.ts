import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AccessService } from '../../packages/server/src/access/access-service.ts';
import { startTestService } from '../harness/service.ts';
import { assertError, body, startIdentityApi, type IdentityApi, type Session } from './identity-harness.ts';

/**
 * Identity through the real API, as clients meet it: the first admin, logins with the session
 * cookie and its CSRF token, lockout and login limits, session expiry (driven by the ManualClock the
 * service, the access service and the audit log share), API tokens with their permission subset,
 * project, expiry and revocation, users, roles and members managed through the API, password
 * changes, and the audit log with its CSV export. Afterwards no response of the whole file may
 * hold a password, a session cookie or a token secret, except the replies that create a token.
 */

const minute = 60_000;
const hour = 60 * minute;
const adminPassword = 'Initial admin passphrase 1';
/** The address the admin works from: the audit log must name it. */
const adminAddress = '192.0.2.10';

interface UserReply {
  readonly id: string;
  readonly name: string;
  readonly serviceAdmin: boolean;
  readonly disabled: boolean;
  readonly lockedUntil: string | null;
}

interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly permissions: readonly string[] | null;
  readonly projectId: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

interface AuditEventReply {
  readonly projectId: string | null;
  readonly userId: string | null;
  readonly userName: string;
  readonly address: string;
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string;
  readonly details: Readonly<Record<string, unknown>>;
}

interface TestUser {
  readonly id: string;
  readonly name: string;
  readonly password: string;
}

describe('identity through the API', () => {
  let api: IdentityApi;
  let admin: Session;
  let projectA: string;
  let projectB: string;
  /** Passwords, session cookies and token secrets: no response may hold one (but a token's creation). */
  const secrets = new Set<string>([adminPassword]);
  /** Ids the audit test looks for. */
  const ids: Record<string, string> = {};

  before(async () => {
    api = await startIdentityApi();
    projectA = api.env.projectId;
  });
  after(async () => {
    await api?.close();
  });

  async function signIn(name: string, password: string, address: string): Promise<Session> {
    const session = await api.login(name, password, address);
    secrets.add(session.cookie);
    return session;
  }

  function attemptLogin(name: string, password: string, address: string) {
    return api.send({ method: 'POST', url: '/api/v1/session', payload: { name, password }, address });
  }

  async function createUser(name: string): Promise<TestUser> {
    const password = `${name} passphrase for tests`;
    secrets.add(password);
    const created = await api.send({
      method: 'POST',
      url: '/api/v1/users',
      session: admin,
      payload: { name, password, displayName: name.toUpperCase() },
    });
    assert.equal(created.statusCode, 201, created.body);
    const user = created.json<UserReply>();
    assert.equal(user.name, name);
    assert.equal(user.serviceAdmin, false);
    return { id: user.id, name, password };
  }

  async function setMember(projectId: string, userId: string, role: string): Promise<void> {
    const response = await api.send({
      method: 'PUT',
      url: `/api/v1/projects/${projectId}/members/${userId}`,
      session: admin,
      payload: { role },
    });
    assert.equal(response.statusCode, 200, response.body);
  }

  async function createToken(
    session: Session,
    input: Readonly<Record<string, unknown>>,
  ): Promise<{ readonly token: string; readonly info: TokenInfo }> {
    const response = await api.send({
      method: 'POST',
      url: '/api/v1/me/tokens',
      session,
      payload: input,
      showsSecret: true,
    });
    assert.equal(response.statusCode, 201, response.body);
    const created = response.json<{ token: string; info: TokenInfo }>();
    assert.match(created.token, /^ddk_[A-Za-z0-9_-]{43}$/);
    secrets.add(created.token);
    assert.ok(!JSON.stringify(created.info).includes(created.token), 'the info part holds no secret');
    return created;
  }

  function me(credentials: { readonly session?: Session; readonly bearer?: string }) {
    return api.send({ method: 'GET', url: '/api/v1/me', ...credentials });
  }

  test('bootstrap makes the first admin once, with the given or a generated one-time password', async () => {
    assert.deepEqual(await api.access.bootstrap(adminPassword), {
      userName: 'admin',
      password: adminPassword,
      generated: false,
    });
    assert.equal(
      await api.access.bootstrap('Another admin passphrase'),
      undefined,
      'a second one does nothing',
    );
    assert.equal(await api.access.bootstrap(), undefined);
    admin = await signIn('admin', adminPassword, adminAddress);
    const users = await api.send({ method: 'GET', url: '/api/v1/users', session: admin });
    assert.equal(users.statusCode, 200, users.body);
    assert.deepEqual(
      users.json<{ users: UserReply[] }>().users.map((user) => [user.name, user.serviceAdmin]),
      [['admin', true]],
    );

    // Without a configured password the service makes one up and returns it this once.
    const other = await startTestService();
    try {
      const access = new AccessService(other.service.db, other.service.clock);
      const made = await access.bootstrap();
      assert.ok(made);
      assert.equal(made.userName, 'admin');
      assert.equal(made.generated, true);
      assert.ok(made.password.length >= 32, 'a generated password is long and random');
      secrets.add(made.password);
      assert.equal(await access.bootstrap(), undefined);
      const login = await access.login('admin', made.password, '127.0.0.1');
      assert.equal(login.user.serviceAdmin, true);
      const stored = await other.service.db.selectFrom('appUser').select('passwordHash').execute();
      assert.equal(stored.length, 1);
      assert.match(stored[0]?.passwordHash ?? '', /^\$scrypt\$/);
      assert.ok(!stored[0]?.passwordHash.includes(made.password), 'only the hash is stored');
    } finally {
      await other.close();
    }
  });

  test('login sets an HttpOnly, SameSite=Strict cookie on /, Secure only over https; the reply has the CSRF token and no hash', async () => {
    const response = await attemptLogin('admin', adminPassword, '198.51.100.1');
    assert.equal(response.statusCode, 200, response.body);
    const header = String(response.headers['set-cookie']);
    const cookie = response.cookies.find((entry) => entry.name === 'drydock_session');
    assert.ok(cookie, header);
    secrets.add(cookie.value);
    assert.equal(cookie.path, '/');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    // Plain http (inject speaks http; this instance trusts no proxy): a Secure cookie would never
    // come back over it, so the flag is left off.
    assert.ok(!cookie.secure, header);
    assert.doesNotMatch(header, /;\s*secure/i);
    const reply = response.json<{ user: Record<string, unknown>; csrfToken: string; expiresAt: string }>();
    assert.match(reply.csrfToken, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(reply.user['name'], 'admin');
    assert.ok(!('passwordHash' in reply.user));
    assert.doesNotMatch(response.body, /scrypt|passwordHash/i);
    assert.ok(!response.body.includes(cookie.value), 'the cookie token is only in the cookie');
    assert.equal(reply.expiresAt, new Date(api.clock.now().getTime() + 12 * hour).toISOString());
    assert.equal(cookie.expires?.toISOString(), reply.expiresAt);

    // Behind a TLS-terminating proxy the API trusts, https is told by X-Forwarded-Proto.
    const overTls = await api.send({
      method: 'POST',
      url: '/api/v1/session',
      payload: { name: 'admin', password: adminPassword },
      address: '198.51.100.1',
      headers: { 'x-forwarded-proto': 'https' },
      behindProxy: true,
    });
    assert.equal(overTls.statusCode, 200, overTls.body);
    const secure = overTls.cookies.find((entry) => entry.name === 'drydock_session');
    assert.ok(secure);
    secrets.add(secure.value);
    assert.equal(secure.secure, true);
    assert.equal(secure.httpOnly, true);
    assert.equal(secure.sameSite, 'Strict');
    // An instance that trusts no proxy ignores the header: a client cannot claim TLS for itself.
    const claimed = await api.send({
      method: 'POST',
      url: '/api/v1/session',
      payload: { name: 'admin', password: adminPassword },
      address: '198.51.100.1',
      headers: { 'x-forwarded-proto': 'https' },
    });
    assert.equal(claimed.statusCode, 200);
    const plain = claimed.cookies.find((entry) => entry.name === 'drydock_session');
    assert.ok(plain);
    secrets.add(plain.value);
    assert.ok(!plain.secure);
  });

  test('a wrong password and an unknown user get the same answer', async () => {
    const wrong = await attemptLogin('admin', 'not the admin password', '198.51.100.2');
    const unknown = await attemptLogin('nobody-at-all', 'not the admin password', '198.51.100.2');
    assertError(wrong, 401, 'authentication_failed');
    assertError(unknown, 401, 'authentication_failed');
    assert.deepEqual(body(wrong), body(unknown));
    assert.equal(wrong.headers['set-cookie'], undefined);
  });

  test('five failed logins lock the account, even for the right password, until the lockout ends', async () => {
    const lena = await createUser('lena');
    const address = '198.51.100.3';
    for (let attempt = 1; attempt < 5; attempt += 1)
      assertError(await attemptLogin('lena', 'a wrong guess here', address), 401, 'authentication_failed');
    const fifth = assertError(await attemptLogin('lena', 'a wrong guess here', address), 429, 'login_locked');
    assert.deepEqual(fifth['details'], { retryAfterSeconds: 15 * 60 });
    const right = assertError(await attemptLogin('lena', lena.password, address), 429, 'login_locked');
    assert.deepEqual(right['details'], { retryAfterSeconds: 15 * 60 });
    const shown = await api.send({ method: 'GET', url: `/api/v1/users/${lena.id}`, session: admin });
    assert.equal(
      shown.json<UserReply>().lockedUntil,
      new Date(api.clock.now().getTime() + 15 * minute).toISOString(),
    );

    api.clock.advance(15 * minute - 1000);
    const late = assertError(await attemptLogin('lena', lena.password, address), 429, 'login_locked');
    assert.deepEqual(late['details'], { retryAfterSeconds: 1 });
    api.clock.advance(1000);
    await signIn('lena', lena.password, address);
  });

  test('more than 20 attempts a minute from one address are refused before the route’s own limit of 30', async () => {
    const address = '198.51.100.4';
    for (let attempt = 1; attempt <= 20; attempt += 1)
      assertError(
        await attemptLogin(`ghost-${attempt}`, 'guessing away', address),
        401,
        'authentication_failed',
      );
    // The 21st attempt is refused by the per-address limit, even with the right password.
    const limited = assertError(await attemptLogin('admin', adminPassword, address), 429, 'login_locked');
    assert.match(String(limited['message']), /address/);
    const retry = (limited['details'] as { retryAfterSeconds: number }).retryAfterSeconds;
    assert.ok(retry >= 1 && retry <= 60, String(retry));
    for (let attempt = 22; attempt <= 30; attempt += 1)
      assertError(await attemptLogin('admin', adminPassword, address), 429, 'login_locked');
    // The 31st request within a minute meets the route's rate limit first (it counts in real time).
    const throttled = await attemptLogin('admin', adminPassword, address);
    assertError(throttled, 429, 'rate_limited');
    assert.ok(throttled.headers['retry-after'], JSON.stringify(throttled.headers));
    // Other addresses are not held up.
    await signIn('admin', adminPassword, '198.51.100.5');
    // A minute of service time ends the per-address window, but not the route's own (real-time) one.
    api.clock.advance(minute);
    assertError(await attemptLogin('admin', adminPassword, address), 429, 'rate_limited');
  });

  test('a cookie-authenticated write needs the session’s CSRF token; reads do not', async () => {
    const role = { name: 'csrf-checked', permissions: ['images:list'] };
    const url = `/api/v1/projects/${projectA}/roles`;
    assertError(
      await api.send({ method: 'POST', url, session: admin, csrf: false, payload: role }),
      403,
      'csrf_required',
    );
    assertError(
      await api.send({ method: 'POST', url, session: admin, csrf: 'A'.repeat(43), payload: role }),
      403,
      'csrf_required',
    );
    const other = await signIn('admin', adminPassword, adminAddress);
    assertError(
      await api.send({ method: 'POST', url, session: admin, csrf: other.csrfToken, payload: role }),
      403,
      'csrf_required',
    );
    const read = await me({ session: admin });
    assert.equal(read.statusCode, 200, read.body);
    assert.equal(body(read)['via'], 'session');
    const written = await api.send({ method: 'POST', url, session: admin, payload: role });
    assert.equal(written.statusCode, 201, written.body);
    ids['csrfRole'] = String(body(written)['id']);
  });

  test('API tokens: shown once, bearer without CSRF, permission subset, project, expiry, revocation, disabled user', async () => {
    const ci = await createToken(admin, { name: 'ci' });
    ids['ciToken'] = ci.info.id;
    assert.equal(ci.info.permissions, null);
    assert.equal(ci.info.projectId, null);
    const listed = await api.send({ method: 'GET', url: '/api/v1/me/tokens', session: admin });
    assert.equal(listed.statusCode, 200);
    assert.ok(listed.json<{ tokens: TokenInfo[] }>().tokens.some((token) => token.id === ci.info.id));
    assert.ok(!listed.body.includes(ci.token), 'the secret is never listed');
    const asToken = await me({ bearer: ci.token });
    assert.equal(asToken.statusCode, 200, asToken.body);
    assert.equal(body(asToken)['via'], 'token');
    assert.equal((body(asToken)['user'] as UserReply).name, 'admin');

    // A bearer write needs no CSRF token (scripts send no cookie a page could forge).
    const project = await api.send({
      method: 'POST',
      url: '/api/v1/projects',
      bearer: ci.token,
      address: adminAddress,
      payload: { name: 'second' },
    });
    assert.equal(project.statusCode, 201, project.body);
    projectB = String(body(project)['id']);

    // Permission subset: only images:list.
    const lister = await createToken(admin, { name: 'lister', permissions: ['images:list'] });
    assert.deepEqual(lister.info.permissions, ['images:list']);
    const images = await api.send({
      method: 'GET',
      url: `/api/v1/projects/${projectA}/images`,
      bearer: lister.token,
    });
    assert.equal(images.statusCode, 200, images.body);
    assertError(
      await api.send({
        method: 'POST',
        url: `/api/v1/projects/${projectA}/registries`,
        bearer: lister.token,
        payload: { name: 'nope', type: 'registry', url: 'http://127.0.0.1:9' },
      }),
      403,
      'forbidden',
    );
    assertError(
      await api.send({ method: 'GET', url: `/api/v1/projects/${projectA}/registries`, bearer: lister.token }),
      403,
      'forbidden',
    );
    // A restricted token of a service admin is no service admin.
    assertError(
      await api.send({ method: 'GET', url: '/api/v1/users', bearer: lister.token }),
      403,
      'forbidden',
    );

    // Project restriction: the other project does not exist for the token.
    const onlyA = await createToken(admin, { name: 'project-a', projectId: projectA });
    assert.equal(
      (await api.send({ method: 'GET', url: `/api/v1/projects/${projectA}/images`, bearer: onlyA.token }))
        .statusCode,
      200,
    );
    assertError(
      await api.send({ method: 'GET', url: `/api/v1/projects/${projectB}/images`, bearer: onlyA.token }),
      404,
      'not_found',
    );
    const visible = await api.send({ method: 'GET', url: '/api/v1/projects', bearer: onlyA.token });
    assert.deepEqual(
      visible.json<{ projects: { id: string }[] }>().projects.map((entry) => entry.id),
      [projectA],
    );
    const both = await api.send({ method: 'GET', url: '/api/v1/projects', bearer: ci.token });
    assert.deepEqual(
      both
        .json<{ projects: { id: string }[] }>()
        .projects.map((entry) => entry.id)
        .sort(),
      [projectA, projectB].sort(),
    );

    // Expiry, on the service clock.
    const expiresAt = new Date(api.clock.now().getTime() + hour).toISOString();
    const short = await createToken(admin, { name: 'short', expiresAt });
    assert.equal(short.info.expiresAt, expiresAt);
    assert.equal((await me({ bearer: short.token })).statusCode, 200);
    api.clock.advance(hour);
    assertError(await me({ bearer: short.token }), 401, 'unauthenticated');

    // Revocation.
    const revoked = await api.send({
      method: 'DELETE',
      url: `/api/v1/me/tokens/${lister.info.id}`,
      session: admin,
    });
    assert.equal(revoked.statusCode, 200, revoked.body);
    assert.equal(revoked.json<TokenInfo>().revokedAt, api.clock.now().toISOString());
    ids['revokedToken'] = lister.info.id;
    assertError(
      await api.send({ method: 'GET', url: `/api/v1/projects/${projectA}/images`, bearer: lister.token }),
      401,
      'unauthenticated',
    );
    const afterwards = await api.send({ method: 'GET', url: '/api/v1/me/tokens', session: admin });
    const states = new Map(
      afterwards.json<{ tokens: TokenInfo[] }>().tokens.map((token) => [token.name, token]),
    );
    assert.ok(states.get('lister')?.revokedAt);
    assert.equal(states.get('short')?.expiresAt, expiresAt);
    for (const token of [ci, lister, onlyA, short]) assert.ok(!afterwards.body.includes(token.token));

    // A disabled user's token (and session) authenticate nobody.
    const sam = await createUser('sam');
    ids['sam'] = sam.id;
    await setMember(projectA, sam.id, 'viewer');
    const samSession = await signIn('sam', sam.password, '198.51.100.7');
    const samToken = await createToken(samSession, { name: 'sam-ci' });
    assert.equal(
      (await api.send({ method: 'GET', url: `/api/v1/projects/${projectA}/images`, bearer: samToken.token }))
        .statusCode,
      200,
    );
    const disabled = await api.send({
      method: 'PATCH',
      url: `/api/v1/users/${sam.id}`,
      session: admin,
      payload: { disabled: true },
    });
    assert.equal(disabled.statusCode, 200, disabled.body);
    assert.equal(disabled.json<UserReply>().disabled, true);
    assertError(
      await api.send({ method: 'GET', url: `/api/v1/projects/${projectA}/images`, bearer: samToken.token }),
      401,
      'unauthenticated',
    );
    assertError(await me({ session: samSession }), 401, 'unauthenticated');
    const refused = await attemptLogin('sam', sam.password, '198.51.100.7');
    assertError(refused, 401, 'authentication_failed');
    assert.equal(body(refused)['message'], 'wrong user name or password');
  });

  test('a restricted token cannot mint a broader one', async () => {
    const narrow = await createToken(admin, {
      name: 'narrow',
      permissions: ['images:list'],
      projectId: projectA,
    });
    const minted = await api.send({
      method: 'POST',
      url: '/api/v1/me/tokens',
      bearer: narrow.token,
      payload: { name: 'minted' },
      showsSecret: true,
    });
    // Tokens are managed from a signed-in session only: no token mints, revokes or changes the password.
    assertError(minted, 403, 'forbidden');
    const revoke = await api.send({
      method: 'DELETE',
      url: `/api/v1/me/tokens/${narrow.info.id}`,
      bearer: narrow.token,
    });
    assertError(revoke, 403, 'forbidden');
  });

  test('users, roles and members through the API: a viewer sees its project only, custom roles, removal', async () => {
    const vera = await createUser('vera');
    ids['vera'] = vera.id;
    const member = await api.send({
      method: 'PUT',
      url: `/api/v1/projects/${projectA}/members/${vera.id}`,
      session: admin,
      payload: { role: 'viewer' },
    });
    assert.equal(member.statusCode, 200, member.body);
    assert.deepEqual(member.json<{ permissions: string[] }>().permissions, [
      'images:list',
      'images:get',
      'registries:list',
    ]);
    const veraSession = await signIn('vera', vera.password, '198.51.100.8');
    const projects = await api.send({ method: 'GET', url: '/api/v1/projects', session: veraSession });
    assert.deepEqual(
      projects.json<{ projects: { id: string }[] }>().projects.map((entry) => entry.id),
      [projectA],
    );
    assertError(
      await api.send({ method: 'GET', url: `/api/v1/projects/${projectB}`, session: veraSession }),
      404,
      'not_found',
    );
    assert.equal(
      (await api.send({ method: 'GET', url: `/api/v1/projects/${projectA}/images`, session: veraSession }))
        .statusCode,
      200,
    );
    assertError(
      await api.send({
        method: 'POST',
        url: `/api/v1/projects/${projectA}/registries`,
        session: veraSession,
        payload: { name: 'nope', type: 'registry', url: 'http://127.0.0.1:9' },
      }),
      403,
      'forbidden',
    );
    assertError(
      await api.send({
        method: 'POST',
        url: `/api/v1/projects/${projectA}/roles`,
        session: veraSession,
        payload: { name: 'self-made', permissions: ['iam:set'] },
      }),
      403,
      'forbidden',
    );
    assertError(
      await api.send({ method: 'GET', url: '/api/v1/users', session: veraSession }),
      403,
      'forbidden',
    );

    // A custom role: create, change, hold, refused delete while held, delete.
    const created = await api.send({
      method: 'POST',
      url: `/api/v1/projects/${projectA}/roles`,
      session: admin,
      payload: { name: 'auditors', permissions: ['images:list', 'images:get'] },
    });
    assert.equal(created.statusCode, 201, created.body);
    const roleId = String(body(created)['id']);
    ids['auditors'] = roleId;
    assert.equal(body(created)['builtIn'], false);
    const updated = await api.send({
      method: 'PATCH',
      url: `/api/v1/projects/${projectA}/roles/${roleId}`,
      session: admin,
      payload: { permissions: ['images:list', 'images:get', 'billing:get'] },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.deepEqual(body(updated)['permissions'], ['images:list', 'images:get', 'billing:get']);
    assertError(
      await api.send({ method: 'GET', url: `/api/v1/projects/${projectA}/usage`, session: veraSession }),
      403,
      'forbidden',
    );
    await setMember(projectA, vera.id, roleId);
    const usage = await api.send({
      method: 'GET',
      url: `/api/v1/projects/${projectA}/usage`,
      session: veraSession,
    });
    assert.equal(usage.statusCode, 200, 'the custom role grants billing:get at once');
    const bound = assertError(
      await api.send({
        method: 'DELETE',
        url: `/api/v1/projects/${projectA}/roles/${roleId}`,
        session: admin,
      }),
      409,
      'conflict',
    );
    assert.equal((bound['details'] as { members: number }).members, 1);
    await setMember(projectA, vera.id, 'viewer');
    const deleted = await api.send({
      method: 'DELETE',
      url: `/api/v1/projects/${projectA}/roles/${roleId}`,
      session: admin,
    });
    assert.equal(deleted.statusCode, 204, deleted.body);
    const roles = await api.send({
      method: 'GET',
      url: `/api/v1/projects/${projectA}/roles`,
      session: admin,
    });
    assert.ok(!roles.json<{ roles: { id: string }[] }>().roles.some((role) => role.id === roleId));

    // Removing the member makes the project unknown to the user.
    const removed = await api.send({
      method: 'DELETE',
      url: `/api/v1/projects/${projectA}/members/${vera.id}`,
      session: admin,
    });
    assert.equal(removed.statusCode, 204, removed.body);
    assertError(
      await api.send({ method: 'GET', url: `/api/v1/projects/${projectA}`, session: veraSession }),
      404,
      'not_found',
    );
    assertError(
      await api.send({ method: 'GET', url: `/api/v1/projects/${projectA}/images`, session: veraSession }),
      404,
      'not_found',
    );
    const none = await api.send({ method: 'GET', url: '/api/v1/projects', session: veraSession });
    assert.deepEqual(none.json<{ projects: unknown[] }>().projects, []);
  });

  test('changing one’s password needs the current one, ends the other sessions and keeps this one', async () => {
    const paula = await createUser('paula');
    ids['paula'] = paula.id;
    const address = '198.51.100.9';
    const current = await signIn('paula', paula.password, address);
    const elsewhere = await signIn('paula', paula.password, address);
    const script = await createToken(current, { name: 'paula-ci' });
    const newPassword = 'paula changed passphrase';
    secrets.add(newPassword);
    const url = '/api/v1/me/password';
    assertError(
      await api.send({
        method: 'PUT',
        url,
        session: current,
        csrf: false,
        payload: { currentPassword: paula.password, newPassword },
      }),
      403,
      'csrf_required',
    );
    assertError(
      await api.send({
        method: 'PUT',
        url,
        session: current,
        payload: { currentPassword: 'not my password', newPassword },
      }),
      401,
      'authentication_failed',
    );
    const changed = await api.send({
      method: 'PUT',
      url,
      session: current,
      payload: { currentPassword: paula.password, newPassword },
    });
    assert.equal(changed.statusCode, 204, changed.body);
    assert.equal((await me({ session: current })).statusCode, 200, 'the changing session stays');
    assertError(await me({ session: elsewhere }), 401, 'unauthenticated');
    assert.equal((await me({ bearer: script.token })).statusCode, 200, 'API tokens are separate credentials');
    assertError(await attemptLogin('paula', paula.password, address), 401, 'authentication_failed');
    await signIn('paula', newPassword, address);
  });

  test('the audit log names who changed what from where, holds no secret, and exports guarded CSV', async () => {
    // One change through a trusting proxy whose client claimed a formula as its address.
    const viaProxy = await api.send({
      method: 'POST',
      url: `/api/v1/projects/${projectA}/roles`,
      session: admin,
      behindProxy: true,
      headers: { 'x-forwarded-for': '=1+2' },
      payload: { name: 'spreadsheet', permissions: ['images:list'] },
    });
    assert.equal(viaProxy.statusCode, 201, viaProxy.body);

    const inProject = await api.send({
      method: 'GET',
      url: `/api/v1/projects/${projectA}/audit-events?limit=500`,
      session: admin,
    });
    assert.equal(inProject.statusCode, 200, inProject.body);
    const projectEvents = inProject.json<{ events: AuditEventReply[]; total: number }>();
    assert.equal(projectEvents.total, projectEvents.events.length);
    assert.ok(projectEvents.events.every((event) => event.projectId === projectA));
    const find = (events: readonly AuditEventReply[], action: string, objectId: string) => {
      const event = events.find((entry) => entry.action === action && entry.objectId === objectId);
      assert.ok(event, `${action} ${objectId} in ${JSON.stringify(events.map((entry) => entry.action))}`);
      return event;
    };
    for (const [action, objectType, objectId] of [
      ['role.create', 'role', ids['csrfRole']],
      ['role.create', 'role', ids['auditors']],
      ['role.update', 'role', ids['auditors']],
      ['role.delete', 'role', ids['auditors']],
      ['member.set', 'user', ids['vera']],
      ['member.set', 'user', ids['sam']],
      ['member.remove', 'user', ids['vera']],
    ] as const) {
      const event = find(projectEvents.events, action, String(objectId));
      assert.equal(event.objectType, objectType);
      assert.equal(event.userName, 'admin');
      assert.equal(event.address, adminAddress);
    }
    assert.deepEqual(find(projectEvents.events, 'role.update', String(ids['auditors'])).details, {
      permissions: ['images:list', 'images:get', 'billing:get'],
    });

    const everything = await api.send({
      method: 'GET',
      url: '/api/v1/audit-events?limit=500',
      session: admin,
    });
    assert.equal(everything.statusCode, 200, everything.body);
    const events = everything.json<{ events: AuditEventReply[] }>().events;
    const created = find(events, 'user.create', String(ids['vera']));
    assert.deepEqual(
      [created.userName, created.address, created.objectType],
      ['admin', adminAddress, 'user'],
    );
    assert.deepEqual(find(events, 'user.update', String(ids['sam'])).details, { disabled: true });
    const token = find(events, 'token.create', String(ids['ciToken']));
    assert.deepEqual([token.userName, token.address, token.objectType], ['admin', adminAddress, 'api_token']);
    find(events, 'token.revoke', String(ids['revokedToken']));
    const password = find(events, 'user.password', String(ids['paula']));
    assert.deepEqual([password.userName, password.address], ['paula', '198.51.100.9']);
    const project = find(events, 'project.create', projectB);
    assert.deepEqual([project.userName, project.address], ['admin', adminAddress]);
    // Sign-ins are recorded, failed ones with the name tried and why (never the password).
    const login = events.find((event) => event.action === 'session.login' && event.userName === 'paula');
    assert.equal(login?.address, '198.51.100.9');
    const failed = events.filter((event) => event.action === 'session.login_failed');
    assert.ok(failed.some((event) => event.details['code'] === 'authentication_failed'));
    assert.ok(failed.some((event) => event.details['code'] === 'login_locked'));
    const wholeExport = await api.send({
      method: 'GET',
      url: '/api/v1/audit-events/export?format=json&action=session.login',
      session: admin,
    });
    assert.equal(wholeExport.statusCode, 200, wholeExport.body);
    assert.ok(wholeExport.body.includes('session.login'));
    const filtered = await api.send({
      method: 'GET',
      url: '/api/v1/audit-events?action=user.create&userName=ADMIN',
      session: admin,
    });
    assert.deepEqual(
      filtered
        .json<{ events: AuditEventReply[] }>()
        .events.map((event) => event.details['name'])
        .sort(),
      ['lena', 'paula', 'sam', 'vera'],
    );
    const paulaSession = await signIn('paula', 'paula changed passphrase', '198.51.100.9');
    assertError(
      await api.send({ method: 'GET', url: '/api/v1/audit-events', session: paulaSession }),
      403,
      'forbidden',
    );
    for (const secret of secrets) {
      assert.ok(!inProject.body.includes(secret), 'a project audit event holds a secret');
      assert.ok(!everything.body.includes(secret), 'an audit event holds a secret');
    }

    const csv = await api.send({
      method: 'GET',
      url: `/api/v1/projects/${projectA}/audit-events/export`,
      session: admin,
    });
    assert.equal(csv.statusCode, 200, csv.body);
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(csv.headers['content-disposition'], 'attachment; filename="audit-log.csv"');
    const lines = csv.body.split('\r\n').filter((line) => line !== '');
    assert.equal(lines[0], 'at,project_id,user_id,user_name,address,action,object_type,object_id,details');
    assert.equal(lines.length, projectEvents.total + 1, 'the header, then one line per event');
    const proxied = lines.filter((line) => line.includes('spreadsheet'));
    assert.equal(proxied.length, 1, csv.body);
    assert.ok(proxied[0]?.includes(",'=1+2,"), proxied[0]);
    assert.ok(
      lines.every((line) => !/(^|,)[=+@-]/.test(line)),
      'no cell starts a formula',
    );
    for (const secret of secrets) assert.ok(!csv.body.includes(secret));

    const json = await api.send({
      method: 'GET',
      url: `/api/v1/projects/${projectA}/audit-events/export?format=json&action=role.create`,
      session: admin,
    });
    assert.equal(json.statusCode, 200, json.body);
    assert.match(String(json.headers['content-type']), /^application\/json(;|$)/);
    const exported = json.json<{ events: AuditEventReply[] }>().events;
    assert.deepEqual(
      exported.map((event) => event.address),
      ['=1+2', adminAddress, adminAddress],
      'newest first; JSON keeps the address as it was',
    );
  });

  test('sessions end after 2 idle hours, 12 hours in all, and at logout', async () => {
    const idle = await signIn('admin', adminPassword, '198.51.100.6');
    api.clock.advance(2 * hour - minute);
    assert.equal((await me({ session: idle })).statusCode, 200);
    api.clock.advance(2 * hour - minute);
    assert.equal((await me({ session: idle })).statusCode, 200, 'use keeps the session alive');
    api.clock.advance(2 * hour);
    assertError(await me({ session: idle }), 401, 'unauthenticated');
    api.clock.advance(-2 * hour);
    assertError(await me({ session: idle }), 401, 'unauthenticated');

    const lasting = await signIn('admin', adminPassword, '198.51.100.6');
    for (let elapsed = 100 * minute; elapsed < 12 * hour; elapsed += 100 * minute) {
      api.clock.advance(100 * minute);
      assert.equal((await me({ session: lasting })).statusCode, 200, `after ${elapsed / minute} minutes`);
    }
    api.clock.advance(12 * hour - 7 * 100 * minute);
    assertError(await me({ session: lasting }), 401, 'unauthenticated');

    const leaving = await signIn('admin', adminPassword, '198.51.100.6');
    assertError(
      await api.send({ method: 'DELETE', url: '/api/v1/session', session: leaving, csrf: false }),
      403,
      'csrf_required',
    );
    const out = await api.send({ method: 'DELETE', url: '/api/v1/session', session: leaving });
    assert.equal(out.statusCode, 204, out.body);
    const cleared = out.cookies.find((entry) => entry.name === 'drydock_session');
    assert.equal(cleared?.value, '');
    assertError(await me({ session: leaving }), 401, 'unauthenticated');
  });

  test('no response of the file held a password, a session cookie or a token secret', () => {
    assert.ok(api.bodies.length > 100, String(api.bodies.length));
    assert.ok(secrets.size > 15, String(secrets.size));
    for (const text of api.bodies) {
      for (const secret of secrets) assert.ok(!text.includes(secret), `a response held a secret: ${text}`);
      assert.doesNotMatch(text, /\$scrypt\$|passwordHash|secretHash/);
    }
  });
});
