import type { FastifyInstance } from 'fastify';
import { AccessService, type AccessSettings } from '../access/access-service.ts';
import { AuditLog } from '../access/audit-log.ts';
import type { BootstrapResult } from '../access/user-accounts.ts';
import type { DrydockService } from '../service.ts';
import type { ApiLoggerOptions } from './api-options.ts';
import { buildApi } from './build-api.ts';
import { requestAuthenticator } from './request-authenticator.ts';

export interface ApiServerOptions {
  readonly service: DrydockService;
  /** Address to listen on (default 127.0.0.1: expose it on purpose, behind TLS). */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The first admin's password on a database without users; else one is generated and returned once. */
  readonly adminPassword?: string;
  readonly accessSettings?: Partial<AccessSettings>;
  readonly logger?: ApiLoggerOptions | false;
  readonly trustProxy?: boolean | string | readonly string[];
  readonly metricsToken?: string;
  /** The web console's build directory, served at `/` (see ApiOptions.consoleDir). */
  readonly consoleDir?: string;
}

export interface ApiServer {
  readonly app: FastifyInstance;
  readonly access: AccessService;
  /** `http://host:port` as bound. */
  readonly url: string;
  /** Set on the start that created the first admin (its password is shown only now). */
  readonly bootstrap: BootstrapResult | undefined;
  /** Stops taking requests and lets the ones in flight finish; the caller closes the service after. */
  close(): Promise<void>;
}

/** Expired sessions are refused anyway; sweeping them keeps the table small. */
const sessionSweepMs = 60 * 60_000;

/**
 * The HTTP API of a running service: identity (the first admin created on an empty database), the
 * audit log, the real authenticator (bearer token or session cookie), listening on `host:port`.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { service } = options;
  const access = new AccessService(service.db, service.clock, options.accessSettings);
  const auditLog = new AuditLog(service.db, service.clock);
  const bootstrap = await access.bootstrap(options.adminPassword);
  const app = await buildApi({
    service,
    access,
    auditLog,
    authenticate: requestAuthenticator(access),
    audit: async (actor, change) => {
      await auditLog.record(actor, change);
    },
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
    ...(options.metricsToken === undefined ? {} : { metricsToken: options.metricsToken }),
    ...(options.consoleDir === undefined ? {} : { consoleDir: options.consoleDir }),
  });
  const sweep = setInterval(() => void access.deleteExpiredSessions().catch(() => undefined), sessionSweepMs);
  sweep.unref();
  try {
    const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port });
    return {
      app,
      access,
      url: address,
      bootstrap,
      close: async () => {
        clearInterval(sweep);
        await app.close();
      },
    };
  } catch (error) {
    clearInterval(sweep);
    await app.close();
    throw error;
  }
}
