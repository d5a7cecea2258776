import type { FastifyInstance } from 'fastify';
import { distributionEventsMediaType } from '../notifications/registry-event-payload.ts';

/**
 * Lets JSON bodies arrive as the distribution registry's event envelope type
 * (`application/vnd.docker.distribution.events.v1+json`), which its notifications are always sent
 * as; fastify knows only `application/json` otherwise and would answer 415. The body goes through
 * fastify's own JSON parser, with its prototype-poisoning protection, and the route's body limit.
 */
export function acceptRegistryEventMediaType(app: FastifyInstance): void {
  app.addContentTypeParser(
    distributionEventsMediaType,
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );
}
