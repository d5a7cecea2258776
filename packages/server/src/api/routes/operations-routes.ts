import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ApiError } from '../api-error.ts';
import { defineRoute } from '../route.ts';

/** Health, readiness, metrics and the API description: public, outside any project. */

function bearerMatches(header: string | undefined, token: string): boolean {
  const sent = Buffer.from(header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : '');
  const expected = Buffer.from(token);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

const tags = ['operations'];

export const operationsRoutes = [
  defineRoute({
    method: 'GET',
    url: '/healthz',
    operationId: 'getHealth',
    summary: 'The process is up',
    tags,
    access: 'public',
    reply: z.object({ status: z.literal('ok') }),
    handler: async () => ({ status: 'ok' as const }),
  }),
  defineRoute({
    method: 'GET',
    url: '/readyz',
    operationId: 'getReadiness',
    summary: 'The service can answer: its database answers a query',
    description: 'Answers 503 `not_ready` while the database does not answer within two seconds.',
    tags,
    access: 'public',
    reply: z.object({ status: z.literal('ready') }),
    handler: async ({ service }) => {
      const readiness = await service.readiness();
      if (!readiness.ready) throw new ApiError('not_ready', readiness.reason);
      return { status: 'ready' as const };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/metrics',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    description:
      'Public unless the API was started with a metrics token; then it needs `Authorization: Bearer <token>`.',
    tags,
    access: 'public',
    reply: z.string(),
    replyContentTypes: ['text/plain; version=0.0.4; charset=utf-8'],
    handler: async ({ options, runtime, request, reply }) => {
      if (
        options.metricsToken !== undefined &&
        !bearerMatches(request.headers.authorization, options.metricsToken)
      )
        throw new ApiError('unauthenticated', 'the metrics need the metrics token as a bearer token');
      reply.header('content-type', runtime.metrics.contentType);
      return runtime.metrics.text();
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This API as an OpenAPI 3 document',
    tags,
    access: 'public',
    reply: z.record(z.string(), z.unknown()),
    handler: async ({ runtime }) => runtime.openapi(),
  }),
];
