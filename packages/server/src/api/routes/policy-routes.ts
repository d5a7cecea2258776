import { z } from 'zod';
import { ServiceError } from '../../service-error.ts';
import { riskTypes } from '../../store/schema.ts';
import { defineRoute } from '../route.ts';
import { idSchema, projectParams } from '../schemas/common.ts';

/** The scheduled scan policy, one per project (PRODUCT.md section 5). */

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time of day as HH:MM');

const policyBody = z.strictObject({
  enabled: z.boolean(),
  periodDays: z.number().int().min(1).max(30).describe('Every N days (presets 1, 3, 7, 14)'),
  windowStart: timeOfDay.optional().describe("In the project's time zone; default 00:00"),
  windowEnd: timeOfDay.optional().describe('Default 07:00'),
  riskTypes: z.array(z.enum(riskTypes)).min(1).max(riskTypes.length).optional(),
  speedLimit: z.number().int().min(0).max(1000).optional(),
  updatedWithinDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .optional()
    .describe('Only images pushed in the last N days; 0 = all'),
  connectionIds: z.array(idSchema).max(1000).optional().describe('The registries it covers; empty = all'),
});

const policySchema = z
  .object({
    projectId: z.string(),
    enabled: z.boolean(),
    periodDays: z.number(),
    windowStart: z.string(),
    windowEnd: z.string(),
    timeZone: z.string(),
    riskTypes: z.array(z.enum(riskTypes)),
    speedLimit: z.number(),
    updatedWithinDays: z.number(),
    connectionIds: z.array(z.string()),
    lastRunAt: z.date().nullable(),
    nextRunAt: z.date().optional().describe('Absent while the policy is disabled'),
  })
  .meta({ id: 'ScanPolicy' });

const tags = ['scheduled policy'];

function noPolicy(projectId: string): ServiceError {
  return new ServiceError('not_found', 'the project has no scheduled scan policy', {
    what: 'scan policy',
    id: projectId,
  });
}

export const policyRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/policy',
    operationId: 'getPolicy',
    summary: 'The scheduled scan policy (404 while there is none)',
    tags,
    permission: 'images:list',
    params: projectParams,
    reply: policySchema,
    handler: async ({ service, params }) => {
      const policy = await service.policies.get(params.projectId);
      if (!policy) throw noPolicy(params.projectId);
      return policy;
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/projects/:projectId/policy',
    operationId: 'setPolicy',
    summary: 'Set the scheduled scan policy (absent fields take their defaults)',
    tags,
    permission: 'policies:set',
    params: projectParams,
    body: policyBody,
    reply: policySchema,
    handler: async ({ service, params, body, audit }) => {
      const policy = await service.policies.set(params.projectId, body);
      await audit({
        projectId: params.projectId,
        action: 'policy.set',
        objectType: 'scan_policy',
        objectId: params.projectId,
        details: body,
      });
      return policy;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/projects/:projectId/policy',
    operationId: 'deletePolicy',
    summary: 'Stop scheduled scans',
    description:
      'The policy is kept, disabled, with its settings (its last run decides the next one when it is enabled again).',
    tags,
    permission: 'policies:set',
    params: projectParams,
    status: 204,
    reply: z.undefined(),
    handler: async ({ service, params, audit }) => {
      const policy = await service.policies.get(params.projectId);
      if (!policy) throw noPolicy(params.projectId);
      await service.policies.set(params.projectId, {
        enabled: false,
        periodDays: policy.periodDays,
        windowStart: policy.windowStart,
        windowEnd: policy.windowEnd,
        riskTypes: policy.riskTypes,
        speedLimit: policy.speedLimit,
        updatedWithinDays: policy.updatedWithinDays,
        connectionIds: policy.connectionIds,
      });
      await audit({
        projectId: params.projectId,
        action: 'policy.delete',
        objectType: 'scan_policy',
        objectId: params.projectId,
      });
      return undefined;
    },
  }),
];
