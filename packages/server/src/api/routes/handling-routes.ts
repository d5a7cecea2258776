import { z } from 'zod';
import { handlingActions, registryTypes } from '../../store/schema.ts';
import { defineRoute } from '../route.ts';
import { bodyInstant, idSchema, projectParams, queryBoolean, text } from '../schemas/common.ts';

/**
 * Handling of results (PRODUCT.md 4.1): vulnerability events (ignore, un-ignore, repaired,
 * allowlist with a scope and an optional expiry; history kept) and ignores of sensitive-information
 * findings. Every event names the calling user; risk counts follow at once.
 */

const handlingScope = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('all') }),
    z.strictObject({ kind: z.literal('registry_types'), types: z.array(z.enum(registryTypes)).min(1) }),
    z.strictObject({ kind: z.literal('images'), imageIds: z.array(idSchema).min(1).max(10_000) }),
  ])
  .meta({ id: 'HandlingScope', description: 'Which images a handling event covers' });

const handlingEntrySchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    advisoryId: z.string(),
    packageName: z.string().nullable().describe('Only findings in this package; null = any package'),
    action: z.enum(handlingActions),
    scope: handlingScope,
    reason: z.string(),
    userName: z.string(),
    at: z.date(),
    expiresAt: z.date().nullable(),
  })
  .meta({ id: 'HandlingEntry' });

const secretIgnoreSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    imageId: z.string().nullable().describe('null = the finding is ignored in every image'),
    ruleId: z.string(),
    path: z.string(),
    reason: z.string(),
    userName: z.string(),
    at: z.date(),
    removedAt: z.date().nullable(),
  })
  .meta({ id: 'SecretIgnore' });

const tags = ['handling'];

export const handlingRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/projects/:projectId/handling/vulnerabilities',
    operationId: 'handleVulnerability',
    summary:
      'Record a handling event of a vulnerability (ignore, unignore, repaired, allowlist, unallowlist)',
    description: 'Only ignore and allowlist events may expire.',
    tags,
    permission: 'results:handle',
    params: projectParams,
    body: z.strictObject({
      advisoryId: idSchema,
      packageName: text(512).nullable().optional(),
      action: z.enum(handlingActions),
      scope: handlingScope,
      reason: text(4000).min(1),
      expiresAt: bodyInstant.optional(),
    }),
    status: 201,
    reply: handlingEntrySchema,
    handler: async ({ service, params, body, principal, audit }) => {
      const entry = await service.results.handleVulnerability({
        projectId: params.projectId,
        advisoryId: body.advisoryId,
        ...(body.packageName !== undefined ? { packageName: body.packageName } : {}),
        action: body.action,
        scope: body.scope,
        reason: body.reason,
        userName: principal.userName,
        ...(body.expiresAt !== undefined ? { expiresAt: new Date(body.expiresAt) } : {}),
      });
      await audit({
        projectId: params.projectId,
        action: `vulnerability.${entry.action}`,
        objectType: 'vulnerability',
        objectId: entry.advisoryId,
        details: {
          handlingId: entry.id,
          packageName: entry.packageName,
          scope: entry.scope,
          reason: entry.reason,
          expiresAt: entry.expiresAt?.toISOString() ?? null,
        },
      });
      return entry;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/handling/vulnerabilities/:advisoryId',
    operationId: 'getVulnerabilityHandling',
    summary: 'The handling history of one advisory, oldest first',
    tags,
    permission: 'images:get',
    params: z.strictObject({ projectId: idSchema, advisoryId: idSchema }),
    reply: z.object({ entries: z.array(handlingEntrySchema) }),
    handler: async ({ service, params }) => ({
      entries: await service.results.vulnerabilityHistory(params.projectId, params.advisoryId),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/handling/secret-ignores',
    operationId: 'listSecretIgnores',
    summary: 'Ignored sensitive-information findings, newest first',
    tags,
    permission: 'images:get',
    params: projectParams,
    querystring: z.strictObject({
      includeRemoved: queryBoolean.default(false).describe('Also the ignores that were lifted (history)'),
      imageId: idSchema.optional().describe("Those that apply to this image (its own and the project's)"),
    }),
    reply: z.object({ ignores: z.array(secretIgnoreSchema) }),
    handler: async ({ service, params, query }) => ({
      ignores: await service.results.secretIgnores(params.projectId, {
        includeRemoved: query.includeRemoved,
        ...(query.imageId !== undefined ? { imageId: query.imageId } : {}),
      }),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/projects/:projectId/handling/secret-ignores',
    operationId: 'ignoreSecret',
    summary: 'Ignore a sensitive-information finding (rule and path) in one image or in all',
    tags,
    permission: 'results:handle',
    params: projectParams,
    body: z.strictObject({
      imageId: idSchema.nullable().optional().describe('Absent or null: in every image'),
      ruleId: text(200).min(1),
      path: text(4096).min(1),
      reason: text(4000).min(1),
    }),
    status: 201,
    reply: secretIgnoreSchema,
    handler: async ({ service, params, body, principal, audit }) => {
      const ignore = await service.results.ignoreSecret({
        projectId: params.projectId,
        imageId: body.imageId ?? null,
        ruleId: body.ruleId,
        path: body.path,
        reason: body.reason,
        userName: principal.userName,
      });
      await audit({
        projectId: params.projectId,
        action: 'secret_ignore.create',
        objectType: 'secret_ignore',
        objectId: ignore.id,
        details: { imageId: ignore.imageId, ruleId: ignore.ruleId, path: ignore.path, reason: ignore.reason },
      });
      return ignore;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/projects/:projectId/handling/secret-ignores/:ignoreId',
    operationId: 'unignoreSecret',
    summary: 'Lift an ignore (it stays in the history with its removal time)',
    tags,
    permission: 'results:handle',
    params: z.strictObject({ projectId: idSchema, ignoreId: idSchema }),
    reply: secretIgnoreSchema,
    handler: async ({ service, params, audit }) => {
      const ignore = await service.results.unignoreSecret(params.projectId, params.ignoreId);
      await audit({
        projectId: params.projectId,
        action: 'secret_ignore.delete',
        objectType: 'secret_ignore',
        objectId: ignore.id,
        details: { imageId: ignore.imageId, ruleId: ignore.ruleId, path: ignore.path },
      });
      return ignore;
    },
  }),
];
