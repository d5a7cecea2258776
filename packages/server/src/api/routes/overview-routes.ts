import { z } from 'zod';
import { riskOverview } from '../../results/risk-overview.ts';
import { maxTrendDays, riskTrend } from '../../results/risk-trend.ts';
import { riskLevels, riskTypes } from '../../store/schema.ts';
import { defineRoute } from '../route.ts';
import { projectParams } from '../schemas/common.ts';
import { imageSummarySchema, riskCountsSchema, severityLevels } from '../schemas/image-schemas.ts';

/**
 * The project overview's figures that no other route aggregates (PRODUCT.md, issue 9): findings
 * per risk kind and severity, the top vulnerable packages and images, and the daily trend.
 */

const findingCountSchema = z
  .object({
    kind: z.enum(riskTypes),
    severity: z.enum(severityLevels),
    findings: z.number().describe('Distinct findings: each counted once however many images hold it'),
    imageFindings: z
      .number()
      .describe('The sum over those findings of the live images holding each (image × finding pairs)'),
  })
  .meta({ id: 'FindingCount' });

const dayText = z.string().describe('A UTC calendar day, YYYY-MM-DD');

export const overviewRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/overview/findings',
    operationId: 'getFindingOverview',
    summary: 'Findings per risk type and severity, and the top vulnerable packages and images',
    description:
      "Counted from the current results of the project's live images. Findings per type and severity include handled ones (ignored, allowlisted): handling is per image. The top images are ordered by their open critical, then high, medium, low and unknown vulnerabilities (handled ones left out, as in the image list).",
    tags: ['overview'],
    permission: 'images:get',
    params: projectParams,
    reply: z.object({
      counts: z.array(findingCountSchema).describe('Every risk type × severity, zeros included'),
      topPackages: z
        .array(
          z.object({
            ecosystem: z.string(),
            name: z.string(),
            advisories: z.number().describe('Distinct advisories against any of its installed versions'),
            versions: z.number().describe('Distinct installed versions with an advisory'),
            worstSeverity: z.enum(severityLevels),
            images: z
              .number()
              .describe(
                'Live images holding its most widespread advisory: a lower bound of the images with any of them',
              ),
          }),
        )
        .describe('At most 10: worst severity first, then the most images, then the most advisories'),
      topImages: z
        .array(
          z.object({
            image: imageSummarySchema,
            riskLevel: z.enum(riskLevels).nullable(),
            riskCounts: riskCountsSchema,
          }),
        )
        .describe('At most 10 live images with open vulnerabilities, the most critical first'),
    }),
    handler: async ({ service, params }) => riskOverview(service.db, params.projectId),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/overview/trend',
    operationId: 'getFindingTrend',
    summary: 'Findings per risk type and severity, day by day',
    description:
      "Recorded once per UTC day per project (today's is recorded on this call when still missing). The trend starts on the first day the service recorded it, and days it did not run are absent.",
    tags: ['overview'],
    permission: 'images:get',
    params: projectParams,
    querystring: z.strictObject({
      days: z.coerce
        .number()
        .int()
        .min(1)
        .max(maxTrendDays)
        .default(30)
        .describe('How many days back, today included'),
    }),
    reply: z.object({
      since: dayText.describe('The first day of the range asked for'),
      until: dayText.describe('Today'),
      firstRecordedDay: dayText.nullable().describe("The project's first recorded day: nothing is earlier"),
      days: z
        .array(
          z.object({
            day: dayText,
            recordedAt: z.date().describe('When the day was counted'),
            counts: z.array(findingCountSchema).describe('Every risk type × severity'),
          }),
        )
        .describe('The recorded days of the range, oldest first'),
    }),
    handler: async ({ service, params, query }) =>
      riskTrend(service.db, params.projectId, { days: query.days, now: service.clock.now() }),
  }),
];
