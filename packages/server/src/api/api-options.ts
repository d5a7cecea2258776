import type { FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';
import type { AccessService } from '../access/access-service.ts';
import type { AuditLog } from '../access/audit-log.ts';
import type { AuditActor, AuditChange, Principal } from '../access/principal.ts';
import type { DrydockService } from '../service.ts';

/** pino options for the request log, and where it goes (default standard output). */
export type ApiLoggerOptions = LoggerOptions & { readonly stream?: NodeJS.WritableStream };

/** Who a request was authenticated as. */
export interface Authenticated {
  readonly principal: Principal;
  /**
   * Present when the request was authenticated by the session cookie: every request that is not
   * GET, HEAD or OPTIONS must then send it back in the `x-csrf-token` header (a page on another
   * site can make the browser send the cookie, but cannot read the token).
   */
  readonly csrfToken?: string;
}

/** Everything the HTTP API needs from the process that serves it. */
export interface ApiOptions {
  readonly service: DrydockService;
  /** Users, sessions, tokens and roles: the identity routes manage them through it. */
  readonly access: AccessService;
  /** The audit log the audit routes read (changes are written through `audit`). */
  readonly auditLog: AuditLog;
  /**
   * Resolves the caller from the request (session cookie, `Authorization: Bearer` token); undefined
   * when the request proves no identity. Called only for routes that are not public. Cookies are
   * parsed before it runs (`request.cookies`).
   */
  authenticate(request: FastifyRequest): Promise<Authenticated | undefined>;
  /** Records one change; called after the change succeeded. A failure fails the request (500). */
  audit(actor: AuditActor, change: AuditChange): Promise<void>;
  /** pino options for the request log; false for none (tests). Default: level `info`. */
  readonly logger?: ApiLoggerOptions | false;
  /** Largest request body in bytes (default 1 MiB); larger bodies get 413 `payload_too_large`. */
  readonly bodyLimit?: number;
  /**
   * Trust `X-Forwarded-For` from these proxies (fastify's `trustProxy`), so the audit log and the
   * request log name the client's address rather than the reverse proxy's. Default: trust none.
   */
  readonly trustProxy?: boolean | string | readonly string[];
  /**
   * When set, `GET /metrics` answers only `Authorization: Bearer <metricsToken>` (a Prometheus
   * scrape config's `authorization`); when absent it is public. Its labels hold no project ids,
   * names or user data either way.
   */
  readonly metricsToken?: string;
  /**
   * The web console's build (packages/console/dist): served at `/` when it holds index.html
   * (console-assets.ts); absent or unbuilt, the service answers the API only.
   */
  readonly consoleDir?: string;
}
