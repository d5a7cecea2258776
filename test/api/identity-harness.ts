import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ManualClock } from '@drydock/server';
import { AccessService } from '../../packages/server/src/access/access-service.ts';
import { AuditLog } from '../../packages/server/src/access/audit-log.ts';
import {
  buildApi,
  csrfHeader,
  requestAuthenticator,
  sessionCookieName,
  type ApiOptions,
} from '../../packages/server/src/api/index.ts';
import { startTestService, type TestService } from '../harness/service.ts';

/**
 * A real API that authenticates the way clients do, unlike api-harness.ts (whose header login
 * skips cookies and tokens): for the identity and OpenAPI tests. The service, the access service
 * and the audit log share one ManualClock, so session, lockout and token expiry are driven by the
 * test, and requests authenticate with the session cookie and its CSRF token, or a bearer token,
 * through `requestAuthenticator`. A second instance of the same API trusts `X-Forwarded-*` like
 * one behind a TLS-terminating proxy (`behindProxy`). Every response body is kept, so a test can
 * search them all for passwords and token secrets; the replies that show a new token's secret
 * (which is their purpose) are kept apart.
 */

/** A signed-in console session as the browser holds it. */
export interface Session {
  readonly cookie: string;
  readonly csrfToken: string;
  /** The client address its requests come from. */
  readonly address: string;
}

export interface IdentityRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly payload?: unknown;
  /** Sends the session cookie; writes carry its CSRF token unless `csrf` says otherwise. */
  readonly session?: Session;
  /** `false`: leave the header out; a string: send that instead of the session's token. */
  readonly csrf?: false | string;
  /** Sends `Authorization: Bearer <bearer>`. */
  readonly bearer?: string;
  /** The client address (default: the session's, else 127.0.0.1). */
  readonly address?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Through the instance that trusts a proxy's `X-Forwarded-*` headers. */
  readonly behindProxy?: boolean;
  /** The reply shows a token secret once by design: keep it out of `bodies`. */
  readonly showsSecret?: boolean;
}

export interface IdentityApi {
  readonly env: TestService;
  readonly clock: ManualClock;
  readonly app: FastifyInstance;
  readonly behindProxy: FastifyInstance;
  readonly access: AccessService;
  readonly auditLog: AuditLog;
  /** Every response body but those of `showsSecret` requests. */
  readonly bodies: string[];
  send(request: IdentityRequest): Promise<LightMyRequestResponse>;
  /** Signs in through the API; fails the test unless the login succeeds. */
  login(name: string, password: string, address?: string): Promise<Session>;
  close(): Promise<void>;
}

const readMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function startIdentityApi(start = '2031-03-01T08:00:00Z'): Promise<IdentityApi> {
  const clock = new ManualClock(start);
  const env = await startTestService({ clock });
  const access = new AccessService(env.service.db, clock);
  const auditLog = new AuditLog(env.service.db, clock);
  const options: ApiOptions = {
    service: env.service,
    access,
    auditLog,
    authenticate: requestAuthenticator(access),
    audit: async (actor, change) => {
      await auditLog.record(actor, change);
    },
    logger: false,
  };
  const app = await buildApi(options);
  const proxied = await buildApi({ ...options, trustProxy: true });
  const bodies: string[] = [];

  async function send(request: IdentityRequest): Promise<LightMyRequestResponse> {
    const { session } = request;
    const headers: Record<string, string> = { ...request.headers };
    if (request.bearer !== undefined) headers['authorization'] = `Bearer ${request.bearer}`;
    if (session && request.csrf !== false && !readMethods.has(request.method))
      headers[csrfHeader] = request.csrf ?? session.csrfToken;
    const response = await (request.behindProxy ? proxied : app).inject({
      method: request.method,
      url: request.url,
      remoteAddress: request.address ?? session?.address ?? '127.0.0.1',
      headers,
      ...(session ? { cookies: { [sessionCookieName]: session.cookie } } : {}),
      ...(request.payload === undefined ? {} : { payload: request.payload as object }),
    });
    if (!request.showsSecret) bodies.push(response.body);
    return response;
  }

  return {
    env,
    clock,
    app,
    behindProxy: proxied,
    access,
    auditLog,
    bodies,
    send,
    async login(name, password, address = '127.0.0.1') {
      const response = await send({
        method: 'POST',
        url: '/api/v1/session',
        payload: { name, password },
        address,
      });
      assert.equal(response.statusCode, 200, response.body);
      const cookie = response.cookies.find((entry) => entry.name === sessionCookieName);
      assert.ok(cookie, 'the login sets the session cookie');
      const { csrfToken } = response.json<{ csrfToken: string }>();
      return { cookie: cookie.value, csrfToken, address };
    },
    async close() {
      await proxied.close();
      await app.close();
      await env.close();
    },
  };
}

/** The JSON body of a response, typed loosely for assertions. */
export function body(response: LightMyRequestResponse): Record<string, unknown> {
  return response.json<Record<string, unknown>>();
}

/** Asserts the shared error shape with `status` and `code`; returns the body. */
export function assertError(
  response: LightMyRequestResponse,
  status: number,
  code: string,
): Record<string, unknown> {
  assert.equal(response.statusCode, status, response.body);
  const reply = body(response);
  assert.equal(reply['code'], code, response.body);
  assert.equal(typeof reply['message'], 'string');
  return reply;
}
