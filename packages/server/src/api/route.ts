import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z, ZodType } from 'zod';
import type { AuditChange, Permission, Principal } from '../access/principal.ts';
import type { DrydockService } from '../service.ts';
import type { ApiMetrics } from './api-metrics.ts';
import type { ApiOptions } from './api-options.ts';

/**
 * The one way a route is declared: method, URL, documentation, zod schemas, a handler, and who
 * may call it. `buildApi` registers every declared route with the access check in front of it and
 * refuses to start when a route reaches fastify any other way, so no route exists without a
 * declared rule (route-table.ts lists them all; the tests enumerate that list).
 */

export const routeMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type RouteMethod = (typeof routeMethods)[number];

/**
 * Access rules that are not a project permission: `public` (health, documentation, login),
 * `authenticated` (any principal; with a `:projectId` in the URL, one that holds a role in that
 * project), `session` (a principal signed in with the session cookie, not an API token: managing
 * tokens and the password, so a token restricted to a few permissions or one project cannot mint a
 * broader one or take the account over), `service-admin` (projects and users).
 */
export const accessKinds = ['public', 'authenticated', 'session', 'service-admin'] as const;
export type AccessKind = (typeof accessKinds)[number];

/**
 * Exactly one of: a permission in the project named by the `:projectId` path parameter (a list
 * means any of them, e.g. stopping a scan with `images:set` or `containers:set`), or an access kind.
 */
export type RouteAccess =
  | { readonly permission: Permission | readonly [Permission, ...Permission[]]; readonly access?: never }
  | { readonly access: AccessKind; readonly permission?: never };

/** What the handler may assume about the caller: public routes may have none. */
export type PrincipalOf<A> = A extends { readonly access: 'public' } ? Principal | undefined : Principal;

export type SuccessStatus = 200 | 201 | 202 | 204;

type Output<T> = T extends ZodType ? z.output<T> : undefined;

/**
 * What a handler may return for a reply schema: its output type with every array and object
 * readonly, so the service's readonly results fit without copies. The reply is encoded through the
 * schema, which checks it and drops unlisted fields.
 */
export type Reply<T> = T extends Date | Uint8Array
  ? T
  : T extends readonly (infer U)[]
    ? readonly Reply<U>[]
    : T extends object
      ? { readonly [K in keyof T]: Reply<T[K]> }
      : T;

/** What routes reach besides the service: the API instance's own parts. */
export interface ApiRuntime {
  readonly metrics: ApiMetrics;
  /** The OpenAPI document of the running API. */
  openapi(): Readonly<Record<string, unknown>>;
}

export interface RouteContext<A, P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly principal: PrincipalOf<A>;
  readonly service: DrydockService;
  readonly options: ApiOptions;
  readonly runtime: ApiRuntime;
  readonly request: FastifyRequest;
  /** For headers of non-JSON replies (downloads); the status and body come from the declaration. */
  readonly reply: FastifyReply;
  /** Records a change for the calling principal and address (call it after the change succeeded). */
  audit(change: AuditChange): Promise<void>;
}

/** The fields every declaration has besides its access rule. */
export interface RouteSpecBody<
  A,
  P extends ZodType | undefined,
  Q extends ZodType | undefined,
  B extends ZodType | undefined,
  R extends ZodType,
> {
  readonly method: RouteMethod;
  /** The full path with fastify parameters (`/api/v1/projects/:projectId/registries`). */
  readonly url: string;
  /** Unique, camelCase: generated clients name their methods after it. */
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly params?: P;
  readonly querystring?: Q;
  /** Request bodies are strict objects: unknown fields are refused with 400. */
  readonly body?: B;
  /** The success status (default 200). */
  readonly status?: SuccessStatus;
  /** The success reply; with `replyContentTypes`, the raw text of a download. */
  readonly reply: R;
  /** Non-JSON replies: the content types the handler may set (the reply is then raw text). */
  readonly replyContentTypes?: readonly string[];
  /** Overrides the API's body limit for this route. */
  readonly bodyLimit?: number;
  /** Requests per client address and window (login); absent = not limited. */
  readonly rateLimit?: { readonly max: number; readonly timeWindowMs: number };
  handler(context: RouteContext<A, Output<P>, Output<Q>, Output<B>>): Promise<Reply<z.output<R>>>;
}

/** A handler's context before its types are known. */
export type ErasedContext = RouteContext<{ readonly access: 'public' }, unknown, unknown, unknown>;

/** A declared route with its types erased, as the table and the registration see it. */
export interface ApiRoute {
  readonly method: RouteMethod;
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string | undefined;
  readonly tags: readonly string[];
  /** Set for project-scoped routes: any of these permissions in `:projectId`. */
  readonly permission: readonly Permission[] | undefined;
  /** Set for every other route. */
  readonly access: AccessKind | undefined;
  readonly params: ZodType | undefined;
  readonly querystring: ZodType | undefined;
  readonly body: ZodType | undefined;
  readonly status: SuccessStatus;
  readonly reply: ZodType;
  readonly replyContentTypes: readonly string[] | undefined;
  readonly bodyLimit: number | undefined;
  readonly rateLimit: { readonly max: number; readonly timeWindowMs: number } | undefined;
  /** The handler; `principal` is undefined only on public routes (the access check sees to it). */
  readonly handle: (context: ErasedContext) => Promise<unknown>;
}

export class RouteDeclarationError extends Error {
  override readonly name = 'RouteDeclarationError';
}

/** Whether the URL names a project (its routes are checked against the principal's projects). */
export function isProjectScoped(url: string): boolean {
  return url.split('/').includes(':projectId');
}

/**
 * Declares a route. Throws `RouteDeclarationError` for a declaration the access check could not
 * enforce: both or neither of `permission` and `access`, a permission without `:projectId` in the
 * URL, or a public route inside a project.
 */
export function defineRoute<
  const A extends RouteAccess,
  P extends ZodType | undefined = undefined,
  Q extends ZodType | undefined = undefined,
  B extends ZodType | undefined = undefined,
  R extends ZodType = ZodType,
>(spec: A & RouteSpecBody<A, P, Q, B, R>): ApiRoute {
  const where = `${spec.method} ${spec.url}`;
  const declared: RouteAccess = spec;
  if ((declared.permission === undefined) === (declared.access === undefined))
    throw new RouteDeclarationError(`${where}: declare exactly one of permission and access`);
  const permissions: readonly Permission[] | undefined =
    declared.permission === undefined
      ? undefined
      : typeof declared.permission === 'string'
        ? [declared.permission]
        : [...declared.permission];
  if (permissions !== undefined && permissions.length === 0)
    throw new RouteDeclarationError(`${where}: an empty permission list would let nobody in`);
  if (permissions !== undefined && !isProjectScoped(spec.url))
    throw new RouteDeclarationError(`${where}: a permission is checked in the :projectId project`);
  if (declared.access === 'public' && isProjectScoped(spec.url))
    throw new RouteDeclarationError(`${where}: a project's routes cannot be public`);
  return {
    method: spec.method,
    url: spec.url,
    operationId: spec.operationId,
    summary: spec.summary,
    description: spec.description,
    tags: spec.tags,
    permission: permissions,
    access: declared.access,
    params: spec.params,
    querystring: spec.querystring,
    body: spec.body,
    status: spec.status ?? 200,
    reply: spec.reply,
    replyContentTypes: spec.replyContentTypes,
    bodyLimit: spec.bodyLimit,
    rateLimit: spec.rateLimit,
    // The registration validated params, query and body against these schemas before the handler runs.
    handle: (context) => spec.handler(context as Parameters<typeof spec.handler>[0]),
  };
}
