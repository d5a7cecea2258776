import { z } from 'zod';
import { connectionStatuses, registryTypes } from '../../store/schema.ts';
import { defineRoute } from '../route.ts';
import { bodyInstant, idSchema, projectParams, text } from '../schemas/common.ts';

/**
 * Registry connections and their connectivity test. Credentials go in and never come out: the
 * reply schema has no field for them (only `hasCredentials`), and audit entries name only their kind.
 */

const credentialsSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('anonymous') }),
    z.strictObject({ kind: z.literal('basic'), username: text(256).min(1), password: text(4096).min(1) }),
    z.strictObject({ kind: z.literal('bearer'), token: text(16_384).min(1) }),
  ])
  .describe('Stored encrypted; never returned');

const patternList = z.array(text(512).min(1)).max(1000);

const connectionFields = {
  name: text(128).min(1),
  type: z.enum(registryTypes),
  url: z.url({ protocol: /^https?$/ }).max(2048),
  credentials: credentialsSchema.optional(),
  caPem: text(65_536).optional().describe('PEM certificate(s) to trust for this registry'),
  skipTlsVerify: z.boolean().optional(),
  include: patternList.optional().describe('Repository/tag globs to list; empty = all'),
  exclude: patternList.optional(),
  namespaces: z.array(text(255).min(1)).max(1000).optional().describe('Docker Hub: the namespaces to list'),
  credentialExpiresAt: bodyInstant.optional(),
  maxConcurrentPulls: z.number().int().min(1).max(64).optional(),
};

const createBody = z.strictObject(connectionFields);
const updateBody = z.strictObject({
  ...connectionFields,
  name: connectionFields.name.optional(),
  type: connectionFields.type.optional(),
  url: connectionFields.url.optional(),
});

const registrySchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    name: z.string(),
    type: z.enum(registryTypes),
    url: z.string(),
    hasCredentials: z.boolean(),
    caPem: z.string().nullable(),
    skipTlsVerify: z.boolean(),
    include: z.array(z.string()),
    exclude: z.array(z.string()),
    namespaces: z.array(z.string()),
    credentialExpiresAt: z.date().nullable(),
    maxConcurrentPulls: z.number(),
    status: z.enum(connectionStatuses),
    statusReason: z.string().nullable().describe('The typed reason of a failed status'),
    statusMessage: z.string().nullable(),
    checkedAt: z.date().nullable(),
  })
  .meta({ id: 'RegistryConnection' });

const registryParams = z.strictObject({ projectId: idSchema, registryId: idSchema });

/** What an audit entry says about a connection's input: never the credentials, only their kind. */
function auditDetails(body: z.output<typeof updateBody>): Record<string, unknown> {
  const { credentials, caPem, ...rest } = body;
  return {
    ...rest,
    ...(credentials ? { credentials: credentials.kind } : {}),
    ...(caPem !== undefined ? { caPem: 'set' } : {}),
  };
}

const connectionTestTimeoutMs = 60_000;
const tags = ['registries'];

export const registryRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/registries',
    operationId: 'listRegistries',
    summary: "The project's registry connections",
    tags,
    permission: 'registries:list',
    params: projectParams,
    reply: z.object({ registries: z.array(registrySchema) }),
    handler: async ({ service, params }) => ({
      registries: await service.connections.list(params.projectId),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/projects/:projectId/registries',
    operationId: 'createRegistry',
    summary: 'Connect a registry',
    tags,
    permission: 'registries:set',
    params: projectParams,
    body: createBody,
    status: 201,
    reply: registrySchema,
    handler: async ({ service, params, body, audit }) => {
      const connection = await service.connections.create(params.projectId, body);
      await audit({
        projectId: params.projectId,
        action: 'registry.create',
        objectType: 'registry',
        objectId: connection.id,
        details: auditDetails(body),
      });
      return connection;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/registries/:registryId',
    operationId: 'getRegistry',
    summary: 'One registry connection',
    tags,
    permission: 'registries:list',
    params: registryParams,
    reply: registrySchema,
    handler: async ({ service, params }) => service.connections.get(params.projectId, params.registryId),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/projects/:projectId/registries/:registryId',
    operationId: 'updateRegistry',
    summary: 'Change a registry connection (credentials only when given)',
    tags,
    permission: 'registries:set',
    params: registryParams,
    body: updateBody,
    reply: registrySchema,
    handler: async ({ service, params, body, audit }) => {
      const connection = await service.connections.update(params.projectId, params.registryId, body);
      await audit({
        projectId: params.projectId,
        action: 'registry.update',
        objectType: 'registry',
        objectId: connection.id,
        details: auditDetails(body),
      });
      return connection;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/projects/:projectId/registries/:registryId',
    operationId: 'deleteRegistry',
    summary: 'Disconnect a registry (its images and their results go with it)',
    tags,
    permission: 'registries:set',
    params: registryParams,
    status: 204,
    reply: z.undefined(),
    handler: async ({ service, params, audit }) => {
      await service.connections.remove(params.projectId, params.registryId);
      await audit({
        projectId: params.projectId,
        action: 'registry.delete',
        objectType: 'registry',
        objectId: params.registryId,
      });
      return undefined;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/projects/:projectId/registries/:registryId/test',
    operationId: 'testRegistry',
    summary: 'Test the connection (reachability, then credentials) and record the outcome as its status',
    tags,
    permission: 'registries:set',
    params: registryParams,
    reply: z.object({
      ok: z.boolean(),
      detail: z.string().optional(),
      code: z
        .string()
        .optional()
        .describe('Why it failed: unreachable, tls_failed, authentication_failed, ...'),
      message: z.string().optional(),
    }),
    handler: async ({ service, params, audit }) => {
      const result = await service.connections.test(
        params.projectId,
        params.registryId,
        AbortSignal.timeout(connectionTestTimeoutMs),
      );
      await audit({
        projectId: params.projectId,
        action: 'registry.test',
        objectType: 'registry',
        objectId: params.registryId,
        details: { ok: result.ok, ...(result.ok ? {} : { code: result.code }) },
      });
      return result;
    },
  }),
];
