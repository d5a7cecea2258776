import { z } from 'zod';
import { riskViewKinds, type RiskViewKind } from '../../results/finding-keys.ts';
import type { RiskGroupFilter } from '../../results/risk-groups.ts';
import { handlingStates } from '../../results/vulnerability-handling.ts';
import { defineRoute } from '../route.ts';
import { idSchema, pagingQuery, queryList } from '../schemas/common.ts';
import { imageSummarySchema, severityLevels } from '../schemas/image-schemas.ts';
import {
  baselineCheckSchema,
  complianceFindingSchema,
  malwareFindingSchema,
  packageSchema,
  secretFindingSchema,
  vulnerabilityFindingSchema,
} from '../schemas/report-schemas.ts';

/**
 * Risk views across images (PRODUCT.md 8): one per risk type (and the software inventory), each
 * finding once, most severe first, then the most widespread, with the number of live images it
 * affects and the first of them (`samples`); `…/images?key=` lists them all. Identities are those of
 * results/finding-keys.ts. Handling can differ per image (an allowlist scoped to some images), so
 * it is given per image, and the handling filter counts only the images in those states.
 */

// Handling is per image, so a group's finding carries none (it is on each affected image).
const findingSchemas: { readonly [K in RiskViewKind]: z.ZodType } = {
  vulnerability: vulnerabilityFindingSchema.omit({ handling: true }),
  secret: secretFindingSchema.omit({ ignoredBy: true }),
  malware: malwareFindingSchema,
  baseline: baselineCheckSchema,
  compliance: complianceFindingSchema,
  inventory: packageSchema,
};

const affectedImageSchema = z.object({
  image: imageSummarySchema,
  platforms: z
    .array(z.object({ platform: z.string(), resultId: z.string() }))
    .describe("The image's platforms whose current results hold the finding ('' = single-platform)"),
  handling: z.enum(handlingStates),
});

const filterQuery = {
  handling: queryList(z.enum(handlingStates))
    .optional()
    .describe('Only images where the finding is in these states'),
  imageId: queryList(idSchema).optional().describe('Only these images'),
};

function titleOf(kind: RiskViewKind): string {
  return `${kind.slice(0, 1).toUpperCase()}${kind.slice(1)}`;
}

function toFilter(query: {
  readonly severity?: readonly string[] | undefined;
  readonly handling?: RiskGroupFilter['handling'] | undefined;
  readonly imageId?: readonly string[] | undefined;
  readonly search?: string | undefined;
}): RiskGroupFilter {
  return {
    ...(query.severity ? { severities: query.severity } : {}),
    ...(query.handling ? { handling: query.handling } : {}),
    ...(query.imageId ? { imageIds: query.imageId } : {}),
    ...(query.search ? { search: query.search } : {}),
  };
}

function riskRoute(kind: RiskViewKind) {
  return defineRoute({
    method: 'GET',
    url: `/api/v1/projects/:projectId/risks/${kind}`,
    operationId: `listRisks${titleOf(kind)}`,
    summary: `${kind === 'inventory' ? 'Packages' : `${kind} findings`} across the project's images, each with the number of images it affects and the first few`,
    tags: ['risks'],
    permission: 'images:get',
    params: z.strictObject({ projectId: idSchema }),
    querystring: z.strictObject({
      severity: queryList(z.enum(severityLevels)).optional().describe('Not for the inventory'),
      search: z.string().max(200).optional().describe('A substring of the finding key'),
      samples: z.coerce
        .number()
        .int()
        .min(0)
        .max(10)
        .default(1)
        .describe('Affected images listed with each finding (…/images lists them all)'),
      ...filterQuery,
      ...pagingQuery,
    }),
    reply: z.object({
      kind: z.enum(riskViewKinds),
      total: z.number().describe('Distinct findings matching the filter'),
      offset: z.number(),
      limit: z.number(),
      findings: z.array(
        z.object({
          key: z.string().describe('The finding identity (…/images?key= lists every affected image)'),
          severity: z.string().optional(),
          finding: findingSchemas[kind].describe('As first found; locations can differ per image'),
          imageCount: z.number().describe('Images affected (matching the filter)'),
          images: z.array(affectedImageSchema).describe('The first affected images (`samples` of them)'),
        }),
      ),
    }),
    handler: async ({ service, params, query }) => {
      const page = await service.results.riskGroups(params.projectId, kind, {
        filter: toFilter(query),
        offset: query.offset,
        limit: query.limit,
        samples: query.samples,
      });
      return {
        kind,
        total: page.total,
        offset: query.offset,
        limit: query.limit,
        findings: page.groups.map((group) => ({
          key: group.key,
          ...(group.severity === undefined ? {} : { severity: group.severity }),
          finding: group.finding,
          imageCount: group.imageCount,
          images: group.images,
        })),
      };
    },
  });
}

function affectedImagesRoute(kind: RiskViewKind) {
  return defineRoute({
    method: 'GET',
    url: `/api/v1/projects/:projectId/risks/${kind}/images`,
    operationId: `listRisk${titleOf(kind)}Images`,
    summary: `Every image one ${kind === 'inventory' ? 'package' : `${kind} finding`} affects, by name`,
    tags: ['risks'],
    permission: 'images:get',
    params: z.strictObject({ projectId: idSchema }),
    querystring: z.strictObject({
      key: z.string().min(1).max(4096).describe('The finding key from the risk view'),
      ...filterQuery,
      ...pagingQuery,
    }),
    reply: z.object({
      kind: z.enum(riskViewKinds),
      key: z.string(),
      total: z.number(),
      offset: z.number(),
      limit: z.number(),
      images: z.array(affectedImageSchema),
    }),
    handler: async ({ service, params, query }) => {
      const page = await service.results.affectedImages(params.projectId, kind, query.key, {
        filter: toFilter(query),
        offset: query.offset,
        limit: query.limit,
      });
      return { kind, key: query.key, offset: query.offset, limit: query.limit, ...page };
    },
  });
}

export const riskRoutes = riskViewKinds.flatMap((kind) => [riskRoute(kind), affectedImagesRoute(kind)]);
