import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseRegistryNotification } from '../../notifications/registry-event-payload.ts';
import {
  authenticateRegistryEvent,
  createRegistryEventToken,
  deleteRegistryEventToken,
} from '../../notifications/registry-event-tokens.ts';
import { ApiError } from '../api-error.ts';
import { defineRoute } from '../route.ts';
import { idSchema, noContent } from '../schemas/common.ts';

/**
 * Scan on push: a registry connection's receiver secret (created by someone who may change the
 * connection, answered once), and the receiver the registry posts its push notifications to. The
 * receiver is public as a route (a registry holds no Drydock login) and authenticates in its
 * handler by the connection's secret as `Authorization: Bearer`; a missing or wrong secret and an
 * unknown connection get the same 401. It answers 202 at once: the sync and the scan run in the
 * background (notifications/registry-events.ts).
 */

const tags = ['registries'];
const registryParams = z.strictObject({ projectId: idSchema, registryId: idSchema });

export const receiverPrefix = '/api/v1/registry-events';

/** Notifications are small (the distribution registry sends a few events per body). */
const receiverBodyLimit = 256 * 1024;

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
}

export const registryEventRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/projects/:projectId/registries/:registryId/event-token',
    operationId: 'createRegistryEventToken',
    summary: 'Create (or replace) the secret the registry sends its push notifications with',
    description:
      'The secret is answered once and stored only as a digest; a new one replaces the old at once. Configure the registry to POST its notifications to `receiverPath` on this service with the header `Authorization: Bearer <token>` (the distribution registry: a `notifications.endpoints` entry with that header; Harbor: an HTTP webhook of the project for Artifact pushed with the Auth Header `Bearer <token>`).',
    tags,
    permission: 'registries:set',
    params: registryParams,
    status: 201,
    reply: z
      .object({
        connectionId: z.string(),
        token: z.string().describe('Shown once: send it as `Authorization: Bearer <token>`'),
        receiverPath: z.string().describe('Where the registry posts, relative to this service'),
        createdAt: z.date(),
      })
      .meta({ id: 'RegistryEventToken' }),
    handler: async ({ service, params, audit }) => {
      const created = await createRegistryEventToken(
        service.db,
        params.projectId,
        params.registryId,
        service.clock.now(),
      );
      await audit({
        projectId: params.projectId,
        action: 'registry.event_token.create',
        objectType: 'registry',
        objectId: params.registryId,
      });
      return { ...created, receiverPath: `${receiverPrefix}/${params.registryId}` };
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/projects/:projectId/registries/:registryId/event-token',
    operationId: 'deleteRegistryEventToken',
    summary: 'Remove the push notification secret: the registry’s notifications are refused from then on',
    tags,
    permission: 'registries:set',
    params: registryParams,
    status: 204,
    reply: noContent,
    handler: async ({ service, params, audit }) => {
      await deleteRegistryEventToken(service.db, params.projectId, params.registryId);
      await audit({
        projectId: params.projectId,
        action: 'registry.event_token.delete',
        objectType: 'registry',
        objectId: params.registryId,
      });
      return undefined;
    },
  }),
  defineRoute({
    method: 'POST',
    url: `${receiverPrefix}/:connectionId`,
    operationId: 'receiveRegistryEvents',
    summary: 'Receive a registry’s push notifications (the registry calls this)',
    description:
      'Authenticated by the connection’s secret as `Authorization: Bearer` (401 otherwise, alike for unknown connections). Takes the distribution registry’s notification envelope (`application/vnd.docker.distribution.events.v1+json`; manifest pushes count, pulls and blobs are ignored) and Harbor’s webhook payload (`PUSH_ARTIFACT`, default or CloudEvents format; other types are ignored). Answers 202 at once; the connection is synced, and when the project’s `scanOnPush` setting is on, the pushed images are scanned (creator `push`, billed like any scan).',
    tags,
    access: 'public',
    params: z.strictObject({ connectionId: idSchema }),
    bodyLimit: receiverBodyLimit,
    body: z.unknown().describe('A distribution registry event envelope or a Harbor webhook payload'),
    status: 202,
    reply: z.object({
      format: z.enum(['distribution', 'harbor']),
      accepted: z.number().int().describe('Distinct pushed images the notification named'),
      ignored: z.number().int().describe('Pulls, blob pushes, other event types, invalid names'),
    }),
    handler: async ({ service, options, params, body, request }) => {
      const connection = await authenticateRegistryEvent(
        service.db,
        params.connectionId,
        bearerOf(request),
        service.clock.now(),
      );
      if (!connection)
        throw new ApiError(
          'unauthenticated',
          'send the connection’s push notification secret as a bearer token',
        );
      const parsed = parseRegistryNotification(body);
      if (!parsed)
        throw new ApiError(
          'invalid_request',
          'expected a distribution registry event envelope ({ events: [...] }) or a Harbor webhook payload',
        );
      const actor = { userId: null, userName: `registry:${connection.connectionName}`, address: request.ip };
      service.registryEvents.enqueue(connection, parsed.pushes, (change) => options.audit(actor, change));
      return { format: parsed.format, accepted: parsed.pushes.length, ignored: parsed.ignored };
    },
  }),
];
