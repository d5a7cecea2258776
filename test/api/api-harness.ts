import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, InjectOptions, LightMyRequestResponse } from 'fastify';
import { AccessService } from '../../packages/server/src/access/access-service.ts';
import { AuditLog } from '../../packages/server/src/access/audit-log.ts';
import type { AuditActor, AuditChange, Permission } from '../../packages/server/src/access/principal.ts';
import { buildApi, type ApiOptions, type Authenticated } from '../../packages/server/src/api/index.ts';
import { startTestService, type TestService } from '../harness/service.ts';

/**
 * An API over a real service (PGlite) with real users, roles and audit log for tests. Requests
 * authenticate with a header instead of a login (test/api/api-identity.test.ts covers logins,
 * cookies and tokens): `x-test-user: <name>` resolves that user's principal through the access
 * service, and `x-test-session: 1` makes it a session-cookie login (with the CSRF token
 * `csrf-<name>`).
 */

export const csrfTokenOf = (user: string): string => `csrf-${user}`;

/** The password every test user gets. */
export const testPassword = 'correct horse battery staple';

/**
 * The fixed users: one per built-in role in project A, two with custom roles in A (`billing` holds
 * only billing:get, `containers` may list images and stop scans), an admin of project B only, and
 * `root`, a service administrator (which holds every permission in every project).
 */
async function createTestUsers(
  access: AccessService,
  projectA: string,
  projectB: string,
): Promise<ReadonlyMap<string, string>> {
  const custom: Readonly<Record<string, readonly Permission[]>> = {
    billing: ['billing:get'],
    containers: ['images:list', 'containers:set'],
  };
  for (const [name, permissions] of Object.entries(custom))
    await access.createRole(projectA, { name, permissions });
  const roles: Readonly<Record<string, readonly [string, string] | 'service-admin'>> = {
    admin: [projectA, 'admin'],
    operator: [projectA, 'operator'],
    viewer: [projectA, 'viewer'],
    billing: [projectA, 'billing'],
    containers: [projectA, 'containers'],
    outsider: [projectB, 'admin'],
    root: 'service-admin',
  };
  const ids = new Map<string, string>();
  for (const [name, role] of Object.entries(roles)) {
    const user = await access.createUser({
      name,
      password: testPassword,
      serviceAdmin: role === 'service-admin',
    });
    if (role !== 'service-admin') await access.setMember(role[0], user.id, role[1]);
    ids.set(name, user.id);
  }
  return ids;
}

export interface RecordedAudit {
  readonly actor: AuditActor;
  readonly change: AuditChange;
}

export interface TestApi {
  readonly env: TestService;
  readonly app: FastifyInstance;
  readonly access: AccessService;
  readonly auditLog: AuditLog;
  readonly projectA: string;
  readonly projectB: string;
  /** The id of each test user by name. */
  readonly userIds: ReadonlyMap<string, string>;
  readonly audits: RecordedAudit[];
  /** Every response body the tests saw (to search for secrets). */
  readonly bodies: string[];
  /** An injected request as `user` (undefined: no credentials). */
  call(user: string | undefined, request: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startTestApi(
  options: Partial<Omit<ApiOptions, 'service' | 'authenticate' | 'audit' | 'access' | 'auditLog'>> & {
    readonly service?: Parameters<typeof startTestService>[0];
  } = {},
): Promise<TestApi> {
  const { service: serviceOptions, ...apiOptions } = options;
  const env = await startTestService(serviceOptions);
  const projectB = (await env.service.projects.create({ name: `other-${randomUUID().slice(0, 8)}` })).id;
  const access = new AccessService(env.service.db, env.service.clock);
  const auditLog = new AuditLog(env.service.db, env.service.clock);
  const userIds = await createTestUsers(access, env.projectId, projectB);
  const audits: RecordedAudit[] = [];
  const bodies: string[] = [];
  const authenticate = async (request: FastifyRequest): Promise<Authenticated | undefined> => {
    const name = request.headers['x-test-user'];
    const userId = typeof name === 'string' ? userIds.get(name) : undefined;
    if (userId === undefined) return undefined;
    const session = request.headers['x-test-session'] === '1';
    const principal = await access.principalFor(userId, session ? 'session' : 'token');
    if (!principal) return undefined;
    return session ? { principal, csrfToken: csrfTokenOf(principal.userName) } : { principal };
  };
  const app = await buildApi({
    service: env.service,
    access,
    auditLog,
    authenticate,
    audit: async (actor, change) => {
      audits.push({ actor, change });
      await auditLog.record(actor, change);
    },
    logger: false,
    ...apiOptions,
  });
  return {
    env,
    app,
    access,
    auditLog,
    projectA: env.projectId,
    projectB,
    userIds,
    audits,
    bodies,
    async call(user, request) {
      const response = await app.inject({
        ...request,
        headers: { ...(user ? { 'x-test-user': user } : {}), ...request.headers },
      });
      bodies.push(response.body);
      return response;
    },
    async close() {
      await app.close();
      await env.close();
    },
  };
}

/** The JSON body of a response, typed loosely for assertions. */
export function json(response: LightMyRequestResponse): Record<string, unknown> {
  return response.json<Record<string, unknown>>();
}
