import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import type { AuditChange, Principal } from '../access/principal.ts';
import { checkAccess } from './access-check.ts';
import type { ApiOptions } from './api-options.ts';
import { readSecurity, sessionSecurity, writeSecurity } from './openapi.ts';
import type { ApiRoute, ApiRuntime } from './route.ts';
import { errorBodySchema } from './schemas/common.ts';

/** What fastify stores of a declared route (`routeOptions.config`), for the start-up check. */
export interface DeclaredRouteConfig {
  readonly declared: true;
}

export function isDeclaredRoute(config: unknown): config is DeclaredRouteConfig {
  return typeof config === 'object' && config !== null && 'declared' in config && config.declared === true;
}

/** The route's schemas as fastify and @fastify/swagger read them. */
function schemaOf(route: ApiRoute): FastifySchema & Record<string, unknown> {
  const success = route.replyContentTypes
    ? {
        description: route.summary,
        content: Object.fromEntries(route.replyContentTypes.map((type) => [type, { schema: route.reply }])),
      }
    : route.reply;
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [...route.tags],
    security:
      route.access === 'public'
        ? []
        : route.access === 'session'
          ? sessionSecurity
          : route.method === 'GET'
            ? readSecurity
            : writeSecurity,
    ...(route.params ? { params: route.params } : {}),
    ...(route.querystring ? { querystring: route.querystring } : {}),
    ...(route.body ? { body: route.body } : {}),
    response: { [route.status]: success, '4xx': errorBodySchema, '5xx': errorBodySchema },
  };
}

/**
 * Registers the declared routes: the access check runs first (onRequest, before the body is
 * read), then fastify validates params, query and body with the route's zod schemas, then the
 * handler runs; its reply is encoded through the reply schema.
 */
export function registerRoutes(
  app: FastifyInstance,
  routes: readonly ApiRoute[],
  options: ApiOptions,
  runtime: ApiRuntime,
): void {
  const principals = new WeakMap<FastifyRequest, Principal>();
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      schema: schemaOf(route),
      ...(route.bodyLimit === undefined ? {} : { bodyLimit: route.bodyLimit }),
      config: {
        declared: true,
        ...(route.rateLimit
          ? { rateLimit: { max: route.rateLimit.max, timeWindow: route.rateLimit.timeWindowMs } }
          : {}),
      } satisfies DeclaredRouteConfig & Record<string, unknown>,
      onRequest: async (request) => {
        const principal = await checkAccess(route, request, (incoming) => options.authenticate(incoming));
        if (principal) principals.set(request, principal);
      },
      handler: async (request, reply) => {
        const principal = principals.get(request);
        const result = await route.handle({
          params: request.params,
          query: request.query,
          body: request.body,
          principal,
          service: options.service,
          options,
          runtime,
          request,
          reply,
          audit: (change: AuditChange) =>
            options.audit(
              {
                userId: principal?.userId ?? null,
                userName: principal?.userName ?? 'anonymous',
                address: request.ip,
              },
              change,
            ),
        });
        // A conditional GET's 304 (set by its handler) stands, and has no body, as 204 has none.
        if (reply.statusCode === 304) return reply.send();
        reply.code(route.status);
        if (route.status === 204) return reply.send();
        return result;
      },
    });
  }
}
