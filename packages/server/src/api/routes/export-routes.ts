import { z } from 'zod';
import { exportFormats, exportKinds } from '../../results/export-rows.ts';
import { handlingStates } from '../../results/vulnerability-handling.ts';
import { ServiceError } from '../../service-error.ts';
import { exportStatuses } from '../../store/schema.ts';
import { defineRoute } from '../route.ts';
import { idSchema, pagingQuery, projectParams, queryList } from '../schemas/common.ts';
import { severityLevels } from '../schemas/image-schemas.ts';

/**
 * Exports (PRODUCT.md 4.1): CSV or JSON per risk type, of the inventory, or of one image's whole
 * report, written in the background. Create, poll the status, download the file when finished;
 * the list shows the project's jobs without their files.
 * Secrets are masked in every export, and their fingerprints left out.
 */

const exportJobSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    kind: z.enum(exportKinds),
    format: z.enum(exportFormats),
    filter: z.unknown().describe('The filter as requested'),
    status: z.enum(exportStatuses),
    rows: z.number().describe('Findings written (reports, for an image export); 0 until finished'),
    error: z.string().nullable().describe('Why it failed'),
    createdAt: z.date(),
    finishedAt: z.date().nullable(),
  })
  .meta({ id: 'ExportJob' });

const exportParams = z.strictObject({ projectId: idSchema, exportId: idSchema });

const contentTypes = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' } as const;

const tags = ['exports'];

export const exportRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/projects/:projectId/exports',
    operationId: 'createExport',
    summary: 'Start an export job',
    description:
      'An `image` export names its image in `filter.imageId`; the others may narrow by `filter.imageIds`.',
    tags,
    permission: 'images:get',
    params: projectParams,
    body: z.strictObject({
      kind: z.enum(exportKinds),
      format: z.enum(exportFormats),
      filter: z
        .strictObject({
          severities: z.array(z.enum(severityLevels)).max(severityLevels.length).optional(),
          handling: z.array(z.enum(handlingStates)).max(handlingStates.length).optional(),
          imageIds: z.array(idSchema).max(10_000).optional(),
          imageId: idSchema.optional(),
        })
        .optional(),
    }),
    status: 202,
    reply: exportJobSchema,
    handler: async ({ service, params, body, audit }) => {
      const id = await service.results.startExport({
        projectId: params.projectId,
        kind: body.kind,
        format: body.format,
        ...(body.filter ? { filter: body.filter } : {}),
      });
      await audit({
        projectId: params.projectId,
        action: 'export.create',
        objectType: 'export',
        objectId: id,
        details: { kind: body.kind, format: body.format, filter: body.filter ?? {} },
      });
      return service.results.exportJob(params.projectId, id);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/exports',
    operationId: 'listExports',
    summary: "The project's export jobs, newest first, without their files",
    description: 'Equal creation times are ordered by id, so pages neither repeat nor skip a job.',
    tags,
    permission: 'images:get',
    params: projectParams,
    querystring: z.strictObject({
      status: queryList(z.enum(exportStatuses)).optional(),
      offset: pagingQuery.offset,
      limit: z.coerce.number().int().min(1).max(1000).default(50),
    }),
    reply: z.object({
      total: z.number(),
      offset: z.number(),
      limit: z.number(),
      exports: z.array(exportJobSchema),
    }),
    handler: async ({ service, params, query }) => {
      const page = await service.results.exportJobs(params.projectId, {
        ...(query.status ? { status: query.status } : {}),
        offset: query.offset,
        limit: query.limit,
      });
      return { total: page.total, offset: query.offset, limit: query.limit, exports: page.jobs };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/exports/:exportId',
    operationId: 'getExport',
    summary: "An export job's status",
    tags,
    permission: 'images:get',
    params: exportParams,
    reply: exportJobSchema,
    handler: async ({ service, params }) => service.results.exportJob(params.projectId, params.exportId),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/exports/:exportId/download',
    operationId: 'downloadExport',
    summary: 'The exported file (409 `conflict` until the job has finished)',
    tags,
    permission: 'images:get',
    params: exportParams,
    reply: z.string(),
    replyContentTypes: Object.values(contentTypes),
    handler: async ({ service, params, reply }) => {
      const job = await service.results.exportJob(params.projectId, params.exportId);
      if (job.status !== 'finished' || job.content === null)
        throw new ServiceError('conflict', `the export is ${job.status}, not finished`, {
          status: job.status,
        });
      reply
        .header('content-type', contentTypes[job.format])
        .header('content-disposition', `attachment; filename="drydock-${job.kind}-${job.id}.${job.format}"`)
        .header('x-content-type-options', 'nosniff');
      return job.content;
    },
  }),
];
