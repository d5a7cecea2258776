import { z } from 'zod';
import { imageScanStatuses, registryTypes } from '../../store/schema.ts';
import type { ImageFilter } from '../../tasks/scan-scope.ts';
import { defineRoute } from '../route.ts';
import { idSchema, pagingQuery, projectParams, queryInstant, queryList, text } from '../schemas/common.ts';
import { imageSummarySchema, repositoryImageSchema, storedResultSchema } from '../schemas/image-schemas.ts';

/** The repository image list (filters of PRODUCT.md 3.1, paging) and one image with its current results. */

const imageListQuery = z.strictObject({
  name: text(512).optional().describe('Substring of repository:tag'),
  namespace: text(255).optional(),
  tag: text(128).optional(),
  status: queryList(z.enum(imageScanStatuses)).optional(),
  registryId: queryList(idSchema).optional(),
  registryType: queryList(z.enum(registryTypes)).optional(),
  updatedAfter: queryInstant.optional().describe('Pushed at or after'),
  updatedBefore: queryInstant.optional().describe('Pushed before'),
  ...pagingQuery,
});

/** The query's filter as the service names it (absent parameters do not filter). */
function filterOf(query: z.output<typeof imageListQuery>): ImageFilter {
  return {
    ...(query.name !== undefined ? { name: query.name } : {}),
    ...(query.namespace !== undefined ? { namespace: query.namespace } : {}),
    ...(query.tag !== undefined ? { tag: query.tag } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.registryId ? { connectionIds: query.registryId } : {}),
    ...(query.registryType ? { registryTypes: query.registryType } : {}),
    ...(query.updatedAfter ? { updatedAfter: query.updatedAfter } : {}),
    ...(query.updatedBefore ? { updatedBefore: query.updatedBefore } : {}),
  };
}

export const imageParams = z.strictObject({ projectId: idSchema, imageId: idSchema });

const tags = ['images'];

export const imageRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/images',
    operationId: 'listImages',
    summary: 'The repository image list, filtered and paged (by registry, repository, tag)',
    description: 'List parameters take repeated values or comma-separated ones (`status=failed,terminated`).',
    tags,
    permission: 'images:list',
    params: projectParams,
    querystring: imageListQuery,
    reply: z.object({
      total: z.number(),
      offset: z.number(),
      limit: z.number(),
      images: z.array(repositoryImageSchema),
    }),
    handler: async ({ service, params, query }) => {
      const page = await service.images(params.projectId, filterOf(query), {
        offset: query.offset,
        limit: query.limit,
      });
      return {
        total: page.total,
        offset: query.offset,
        limit: query.limit,
        images: page.images.map((image) => ({ ...image, size: Number(image.size) })),
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/images/:imageId',
    operationId: 'getImage',
    summary: 'One image with the current result of each scanned platform',
    tags,
    permission: 'images:get',
    params: imageParams,
    reply: z.object({ image: imageSummarySchema, platforms: z.array(storedResultSchema) }),
    handler: async ({ service, params }) => {
      const results = await service.results.image(params.projectId, params.imageId);
      return { image: results.image, platforms: results.platforms.map((platform) => platform.result) };
    },
  }),
];
