/**
 * The served side of the API benchmark (bench/api-load.ts), in a process of its own: the service
 * on the benchmark's PostgreSQL (no workers, no ticks) and the real API (buildApi) with the real
 * authenticator, on 127.0.0.1 at a free port. Its own process so that its CPU time can be read
 * alone, and so that a request too slow to wait for can be cut off by ending the process.
 *
 * Reads a `ServerRequest` as JSON from argv[2]; prints one `ServerReady` as JSON on stdout once it
 * listens; closes the API, then the service, on SIGTERM.
 */
import { DrydockService } from '@drydock/server';
import { AccessService } from '../packages/server/src/access/access-service.ts';
import { AuditLog } from '../packages/server/src/access/audit-log.ts';
import { authenticateRequest, sessionCookieName } from '../packages/server/src/access/request-credentials.ts';
import { buildApi } from '../packages/server/src/api/index.ts';

export interface ServerRequest {
  readonly databaseUrl: string;
  readonly stateDir: string;
  readonly projectId: string;
}

export interface ServerReady {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** A new API token of a viewer of the project. */
  readonly token: string;
}

const benchUser = 'bench-viewer';

/** The project's viewer (created on the first start) and a new API token of theirs. */
async function viewerToken(access: AccessService, projectId: string): Promise<string> {
  const existing = (await access.listUsers()).find((user) => user.name === benchUser);
  const user =
    existing ?? (await access.createUser({ name: benchUser, password: 'bench viewer password 1' }));
  if (!existing) await access.setMember(projectId, user.id, 'viewer');
  return (await access.createToken(user.id, { name: `bench ${new Date().toISOString()}` })).token;
}

async function serve(request: ServerRequest): Promise<void> {
  const service = await DrydockService.open({
    store: { kind: 'postgres', url: request.databaseUrl },
    stateDir: request.stateDir,
    workers: { manual: 0, scheduled: 0 },
    tickMs: 0,
    dailySyncAt: null,
  });
  const access = new AccessService(service.db, service.clock);
  const auditLog = new AuditLog(service.db, service.clock);
  const token = await viewerToken(access, request.projectId);
  const app = await buildApi({
    service,
    access,
    auditLog,
    authenticate: (incoming) =>
      authenticateRequest(access, {
        authorization: incoming.headers.authorization,
        sessionToken: incoming.cookies[sessionCookieName],
      }),
    audit: async (actor, change) => {
      await auditLog.record(actor, change);
    },
    // Errors only (a request log would cost time the benchmark measures); pino writes to stdout,
    // which the benchmark passes on to its stderr after the ready line.
    logger: { level: 'error' },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => service.close())
      .then(() => process.exit(0));
  });
  const ready: ServerReady = { url, token };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

if (import.meta.main) {
  const argument = process.argv[2];
  if (argument === undefined) throw new Error('usage: api-server.ts <ServerRequest as JSON>');
  await serve(JSON.parse(argument) as ServerRequest);
}
