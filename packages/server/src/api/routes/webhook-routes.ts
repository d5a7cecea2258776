import { z } from 'zod';
import { webhookInputSchema, webhookUpdateSchema } from '../../notifications/webhook-service.ts';
import { webhookDeliveryStatuses, webhookEvents } from '../../store/schema-webhooks.ts';
import { defineRoute } from '../route.ts';
import { idSchema, noContent, pagingQuery, projectParams } from '../schemas/common.ts';

/**
 * Project webhooks (notifications/): managed by those who manage the project's members (`iam:set`,
 * admins), since a webhook sends the project's findings out; listed, with their delivery logs, by
 * anyone who may list images. A secret is in the answer of its creation (or of a change that sets
 * one) and nowhere else. Deliveries are signed: see notifications/webhook-signature.ts.
 */

const webhookSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    url: z.string(),
    events: z.array(z.enum(webhookEvents)),
    enabled: z.boolean(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Webhook' });

const createdWebhookSchema = webhookSchema
  .extend({
    secret: z.string().describe('The signing secret: shown in this answer only'),
  })
  .meta({ id: 'CreatedWebhook' });

const attemptSchema = z
  .object({
    attempt: z.number().describe('1-based; a redelivery continues the count'),
    startedAt: z.date(),
    durationMs: z.number(),
    succeeded: z.boolean(),
    responseCode: z.number().nullable().describe('null when no answer came'),
    error: z.string().nullable(),
    nextAttemptAt: z.date().nullable().describe('null when this was the last attempt of its round'),
  })
  .meta({ id: 'WebhookAttempt' });

const deliverySchema = z
  .object({
    id: z.string().describe('Also the body `id` and the X-Drydock-Delivery header'),
    webhookId: z.string(),
    event: z.enum(webhookEvents),
    status: z.enum(webhookDeliveryStatuses),
    attempts: z.array(attemptSchema),
    responseCode: z.number().nullable(),
    error: z.string().nullable(),
    createdAt: z.date(),
    lastAttemptAt: z.date().nullable(),
    nextAttemptAt: z.date().nullable(),
    body: z.string().describe('The JSON body as sent'),
  })
  .meta({ id: 'WebhookDelivery' });

const webhookParams = z.strictObject({ projectId: idSchema, webhookId: idSchema });
const deliveryParams = z.strictObject({ projectId: idSchema, webhookId: idSchema, deliveryId: idSchema });
const base = '/api/v1/projects/:projectId/webhooks';
const tags = ['webhooks'];
const signing =
  'Each delivery is a POST of JSON `{id, event, occurredAt, project, data}` with headers X-Drydock-Event, X-Drydock-Delivery, X-Drydock-Timestamp (Unix seconds) and X-Drydock-Signature: `sha256=` and the hex HMAC-SHA256, keyed with the secret, of the timestamp, a dot and the raw body. A 2xx answer is success; other answers, redirects and timeouts are retried with exponential backoff.';

export const webhookRoutes = [
  defineRoute({
    method: 'GET',
    url: base,
    operationId: 'listWebhooks',
    summary: "The project's webhooks (without secrets)",
    tags,
    permission: 'images:list',
    params: projectParams,
    reply: z.array(webhookSchema),
    handler: async ({ service, params }) => service.webhooks.list(params.projectId),
  }),
  defineRoute({
    method: 'POST',
    url: base,
    operationId: 'createWebhook',
    summary: 'Create a webhook; the answer holds its secret, once',
    description: `Without \`secret\`, one is generated. ${signing}`,
    tags,
    permission: 'iam:set',
    params: projectParams,
    body: webhookInputSchema,
    status: 201,
    reply: createdWebhookSchema,
    handler: async ({ service, params, body, audit }) => {
      const created = await service.webhooks.create(params.projectId, body);
      await audit({
        projectId: params.projectId,
        action: 'webhook.create',
        objectType: 'webhook',
        objectId: created.id,
        details: { url: created.url, events: created.events, secretGiven: body.secret !== undefined },
      });
      return created;
    },
  }),
  defineRoute({
    method: 'GET',
    url: `${base}/:webhookId`,
    operationId: 'getWebhook',
    summary: 'One webhook (without its secret)',
    tags,
    permission: 'images:list',
    params: webhookParams,
    reply: webhookSchema,
    handler: async ({ service, params }) => service.webhooks.get(params.projectId, params.webhookId),
  }),
  defineRoute({
    method: 'PATCH',
    url: `${base}/:webhookId`,
    operationId: 'updateWebhook',
    summary: 'Change the given fields; a new secret is not shown again',
    tags,
    permission: 'iam:set',
    params: webhookParams,
    body: webhookUpdateSchema,
    reply: webhookSchema,
    handler: async ({ service, params, body, audit }) => {
      const updated = await service.webhooks.update(params.projectId, params.webhookId, body);
      const { secret, ...visible } = body;
      await audit({
        projectId: params.projectId,
        action: 'webhook.update',
        objectType: 'webhook',
        objectId: updated.id,
        details: { ...visible, ...(secret === undefined ? {} : { secretChanged: true }) },
      });
      return updated;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: `${base}/:webhookId`,
    operationId: 'deleteWebhook',
    summary: 'Delete a webhook and its delivery log',
    tags,
    permission: 'iam:set',
    params: webhookParams,
    status: 204,
    reply: noContent,
    handler: async ({ service, params, audit }) => {
      await service.webhooks.delete(params.projectId, params.webhookId);
      await audit({
        projectId: params.projectId,
        action: 'webhook.delete',
        objectType: 'webhook',
        objectId: params.webhookId,
      });
      return undefined;
    },
  }),
  defineRoute({
    method: 'POST',
    url: `${base}/:webhookId/ping`,
    operationId: 'pingWebhook',
    summary: 'Send a test delivery (event `ping`) now',
    description: 'Also to a disabled webhook. The answer is the queued delivery; its log shows the outcome.',
    tags,
    permission: 'iam:set',
    params: webhookParams,
    status: 202,
    reply: deliverySchema,
    handler: async ({ service, params }) => {
      const deliveryId = await service.webhooks.ping(params.projectId, params.webhookId);
      return service.webhooks.delivery(params.projectId, params.webhookId, deliveryId);
    },
  }),
  defineRoute({
    method: 'GET',
    url: `${base}/:webhookId/deliveries`,
    operationId: 'listWebhookDeliveries',
    summary: 'The delivery log, newest first, each delivery with its attempts',
    tags,
    permission: 'images:list',
    params: webhookParams,
    querystring: z.strictObject({
      offset: pagingQuery.offset,
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    reply: z
      .object({ items: z.array(deliverySchema), total: z.number() })
      .meta({ id: 'WebhookDeliveryPage' }),
    handler: async ({ service, params, query }) =>
      service.webhooks.deliveries(params.projectId, params.webhookId, query),
  }),
  defineRoute({
    method: 'POST',
    url: `${base}/:webhookId/deliveries/:deliveryId/redeliver`,
    operationId: 'redeliverWebhookDelivery',
    summary: 'Send a finished delivery again (same body and id, new signature, new round of attempts)',
    tags,
    permission: 'iam:set',
    params: deliveryParams,
    status: 202,
    reply: deliverySchema,
    handler: async ({ service, params, audit }) => {
      const delivery = await service.webhooks.redeliver(
        params.projectId,
        params.webhookId,
        params.deliveryId,
      );
      await audit({
        projectId: params.projectId,
        action: 'webhook.redeliver',
        objectType: 'webhook',
        objectId: params.webhookId,
        details: { deliveryId: params.deliveryId },
      });
      return delivery;
    },
  }),
];
