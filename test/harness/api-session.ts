import assert from 'node:assert/strict';
import { csrfHeader, sessionCookieName } from '@drydock/server';

/** A signed-in user of a running API: the session cookie and the CSRF token its writes send. */
export interface ApiSession {
  /** The service's base URL (without `/api/v1`). */
  readonly url: string;
  readonly cookie: string;
  readonly csrfToken: string;
}

/** Signs in through `POST /api/v1/session`, as the console does. */
export async function signInToApi(url: string, name: string, password: string): Promise<ApiSession> {
  const response = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const cookie = response.headers
    .getSetCookie()
    .map((entry) => entry.split(';')[0] ?? '')
    .find((entry) => entry.startsWith(`${sessionCookieName}=`));
  assert.ok(cookie, 'the sign-in sets the session cookie');
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { url, cookie: cookie.slice(sessionCookieName.length + 1), csrfToken };
}

/** One call of `/api/v1{path}` in the session; fails the test on an error answer. */
export async function sessionCall(
  session: ApiSession,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${session.url}/api/v1${path}`, {
    method,
    headers: {
      cookie: `${sessionCookieName}=${session.cookie}`,
      [csrfHeader]: session.csrfToken,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/** A new API token of the session's user (`POST /api/v1/me/tokens`): its secret. */
export async function createApiToken(session: ApiSession, name: string): Promise<string> {
  const created = await sessionCall(session, 'POST', '/me/tokens', { name });
  assert.equal(typeof created['token'], 'string');
  return created['token'] as string;
}
