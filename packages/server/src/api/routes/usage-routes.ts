import { z } from 'zod';
import { monthOf } from '../../metering/pricing.ts';
import { defineRoute } from '../route.ts';
import { projectParams } from '../schemas/common.ts';

/** Metered usage per project and month (PRODUCT.md section 7). */

export const usageRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/usage',
    operationId: 'getUsage',
    summary: "A month's scans, free quota used and amount",
    tags: ['usage'],
    permission: 'billing:get',
    params: projectParams,
    querystring: z.strictObject({
      month: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM')
        .optional()
        .describe('UTC month as YYYY-MM; default the current one'),
    }),
    reply: z
      .object({
        projectId: z.string(),
        month: z.string(),
        repositoryScans: z.number(),
        ciScans: z.number(),
        freeQuota: z.number(),
        freeUsed: z.number(),
        billedScans: z.number(),
        amountMicros: z.number().describe('Millionths of the currency unit'),
        currency: z.string(),
      })
      .meta({ id: 'MonthlyUsage' }),
    handler: async ({ service, params, query }) =>
      service.meter.usage(service.db, params.projectId, query.month ?? monthOf(service.clock.now())),
  }),
];
