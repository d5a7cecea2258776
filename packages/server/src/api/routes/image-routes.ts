import { z } from 'zod';
import { exactCountLimit, imageSortKeys, sortOrders } from '../../inventory/image-list.ts';
import { imageScanStatuses, registryTypes } from '../../store/schema.ts';
import type { ImageFilter } from '../../tasks/scan-scope.ts';
import { defineRoute } from '../route.ts';
import {
  idSchema,
  pagingQuery,
  projectParams,
  queryBoolean,
  queryInstant,
  queryList,
  text,
} from '../schemas/common.ts';
import { repositoryImageSchema, storedResultSchema } from '../schemas/image-schemas.ts';

/**
 * The repository image list (filters of PRODUCT.md 3.1, sorting, paging) and one image with the
 * current result of each platform; the reports themselves are under `/report/...`.
 */

const imageListQuery = z.strictObject({
  name: text(512).optional().describe('Substring of repository:tag'),
  namespace: text(255).optional(),
  tag: text(128).optional(),
  status: queryList(z.enum(imageScanStatuses)).optional(),
  registryId: queryList(idSchema).optional(),
  registryType: queryList(z.enum(registryTypes)).optional(),
  updatedAfter: queryInstant.optional().describe('Pushed at or after'),
  updatedBefore: queryInstant.optional().describe('Pushed before'),
  sort: z
    .enum(imageSortKeys)
    .optional()
    .describe(
      '`name` is repository then tag (the same name in several registries by registry id), `registry` the connection name, `riskLevel` by severity, `scanStatus` in the order of the image life (not scanned, queued, scanning, succeeded, failed, terminated). Absent: `name`.',
    ),
  order: z.enum(sortOrders).default('asc'),
  exactTotal: queryBoolean
    .default(false)
    .describe(
      `Count every match for \`total\`, however many there are (slower on large projects). Otherwise the count stops at ${exactCountLimit.toLocaleString('en-US')}: see \`totalIsLowerBound\`.`,
    ),
  after: z
    .string()
    .max(8192)
    .optional()
    .describe(
      'The `nextCursor` of the previous page: continues the `name` order (offset 0) at the cost of a first page, where a deep offset walks every image before it.',
    ),
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
    summary: 'The repository image list, filtered, sorted and paged',
    description:
      'List parameters take repeated values or comma-separated ones (`status=failed,terminated`). Images without a value in the sort column (never pushed, never scanned) come last in either order; equal values are ordered by id, so pages neither repeat nor skip an image.',
    tags,
    permission: 'images:list',
    params: projectParams,
    querystring: imageListQuery,
    reply: z.object({
      total: z.number(),
      totalIsLowerBound: z
        .boolean()
        .describe(
          `True when more images match than were counted: \`total\` is then at least ${exactCountLimit.toLocaleString('en-US')}, or the images up to the end of this page and one more when another page follows, whichever is larger. False when \`total\` is exact: always when at most ${exactCountLimit.toLocaleString('en-US')} match, on the page that holds the last match, or with \`exactTotal=true\`.`,
        ),
      offset: z.number(),
      limit: z.number(),
      images: z.array(repositoryImageSchema),
      nextCursor: z
        .string()
        .optional()
        .describe('In the `name` order, when another page follows: its `after`'),
    }),
    handler: async ({ service, params, query }) => {
      const page = await service.images(params.projectId, filterOf(query), {
        offset: query.offset,
        limit: query.limit,
        ...(query.sort === undefined ? {} : { sort: query.sort }),
        order: query.order,
        exactTotal: query.exactTotal,
        ...(query.after === undefined ? {} : { after: query.after }),
      });
      return {
        total: page.total,
        totalIsLowerBound: page.totalIsLowerBound,
        offset: query.offset,
        limit: query.limit,
        images: page.images.map((image) => ({ ...image, size: Number(image.size) })),
        ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/images/:imageId',
    operationId: 'getImage',
    summary: 'One image as the list shows it, with the current result of each scanned platform',
    description:
      'Deleted images (a sync no longer finds the tag) are answered too, with `deletedAt` set. `platforms` holds one current result per scanned platform, without its report (see `/report/...`).',
    tags,
    permission: 'images:get',
    params: imageParams,
    reply: z.object({ image: repositoryImageSchema, platforms: z.array(storedResultSchema) }),
    handler: async ({ service, params }) => service.results.imageOverview(params.projectId, params.imageId),
  }),
];
