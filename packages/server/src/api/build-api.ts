import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { ApiError } from './api-error.ts';
import { ApiMetrics } from './api-metrics.ts';
import type { ApiOptions } from './api-options.ts';
import { isConsoleAssetRoute, registerConsoleAssets } from './console-assets.ts';
import { frameworkErrorHandler, installErrorHandling } from './error-mapping.ts';
import { isHarborAdapterRoute, registerHarborAdapter } from './harbor-adapter.ts';
import { docsPrefix, registerOpenApi } from './openapi.ts';
import { acceptRegistryEventMediaType } from './registry-event-media-type.ts';
import { isDeclaredRoute, registerRoutes } from './register-routes.ts';
import { requestIdHeader, requestIdOf } from './request-id.ts';
import { apiRoutes } from './route-table.ts';

export const defaultBodyLimit = 1024 * 1024;

/**
 * The HTTP API of a service as a fastify instance (not yet listening): the declared routes of
 * route-table.ts behind the access check, the OpenAPI document and its documentation page, the
 * one error shape, request ids, the request log and the metrics, and the web console's files when
 * `consoleDir` is given. Closing it (`app.close()`) ends
 * the HTTP side only; the caller closes the service afterwards.
 */
export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: 'info', ...options.logger },
    bodyLimit: options.bodyLimit ?? defaultBodyLimit,
    genReqId: requestIdOf,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    trustProxy:
      typeof options.trustProxy === 'object' ? [...options.trustProxy] : (options.trustProxy ?? false),
    // HEAD would be one more undeclared route per GET; nothing here needs it.
    exposeHeadRoutes: false,
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  acceptRegistryEventMediaType(app);

  // No route without a declared access rule: only the declared ones, the documentation page's and
  // the console's static files (console-assets.ts, which leaves the service's own paths alone).
  app.addHook('onRoute', (route) => {
    const docs = route.url === docsPrefix || route.url.startsWith(`${docsPrefix}/`);
    if (
      !docs &&
      !isDeclaredRoute(route.config) &&
      !isConsoleAssetRoute(route.config) &&
      !isHarborAdapterRoute(route.config)
    )
      throw new Error(`${String(route.method)} ${route.url} is not declared in the route table`);
  });

  const metrics = new ApiMetrics(options.service);
  app.addHook('onRequest', async (request, reply) => {
    reply.header(requestIdHeader, request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.observe(
      request.routeOptions.url ?? 'unmatched',
      request.method,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new ApiError('rate_limited', `too many requests; retry in ${context.after}`, {
        retryAfter: context.after,
      }),
  });
  await registerOpenApi(app);
  registerRoutes(app, apiRoutes, options, {
    metrics,
    openapi: () => ({ ...app.swagger() }),
  });
  // Harbor's pluggable scanner API: its own error shape and MIME types (harbor-adapter.ts).
  await registerHarborAdapter(app, options);
  if (options.consoleDir !== undefined) await registerConsoleAssets(app, options.consoleDir);
  return app;
}
