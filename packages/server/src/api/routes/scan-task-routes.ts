import { z } from 'zod';
import {
  imageScanStatuses,
  registryTypes,
  riskTypes,
  scanTaskStatuses,
  scanTaskTypes,
  taskImageStatuses,
} from '../../store/schema.ts';
import { defineRoute } from '../route.ts';
import {
  bodyInstant,
  idSchema,
  projectParams,
  queryBoolean,
  queryInstant,
  queryList,
  text,
} from '../schemas/common.ts';

/**
 * Manual scans (PRODUCT.md 3.1): the fee estimate, the task (which needs the estimate's id or an
 * explicit `acceptFee`), the task manager's list and views, the failed images, and stop.
 */

const imageFilterBody = z.strictObject({
  name: text(512).optional().describe('Substring of repository:tag'),
  namespace: text(255).optional(),
  tag: text(128).optional(),
  status: z.array(z.enum(imageScanStatuses)).max(imageScanStatuses.length).optional(),
  connectionIds: z.array(idSchema).max(1000).optional(),
  registryTypes: z.array(z.enum(registryTypes)).max(registryTypes.length).optional(),
  updatedAfter: bodyInstant.optional(),
  updatedBefore: bodyInstant.optional(),
});

const scopeBody = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('all') }),
    z.strictObject({ kind: z.literal('registry_types'), types: z.array(z.enum(registryTypes)).min(1) }),
    z.strictObject({ kind: z.literal('registries'), connectionIds: z.array(idSchema).min(1).max(1000) }),
    z.strictObject({ kind: z.literal('images'), imageIds: z.array(idSchema).min(1).max(100_000) }),
    z.strictObject({ kind: z.literal('filter'), filter: imageFilterBody }),
  ])
  .meta({ id: 'ScanScope', description: 'Which images a scan covers' });

const scanFields = {
  name: text(200).min(1).optional(),
  scope: scopeBody,
  riskTypes: z.array(z.enum(riskTypes)).min(1).max(riskTypes.length).optional().describe('Default: all'),
  speedLimit: z
    .number()
    .int()
    .min(0)
    .max(1000)
    .optional()
    .describe('Images per hour per registry connection; 0 = unlimited (default)'),
};

const estimateSchema = z
  .object({
    id: z.string().describe('Pass it as estimateId to start the task'),
    images: z.number(),
    units: z.number().describe('Billable scans: one per platform'),
    freeUnits: z.number(),
    amountMicros: z.number().describe('Millionths of the currency unit'),
    currency: z.string(),
    expiresAt: z.date(),
  })
  .meta({ id: 'Estimate' });

const scanTaskSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    name: z.string(),
    type: z.enum(scanTaskTypes),
    scope: z.unknown().describe('The scope as it was requested (ScanScope)'),
    riskTypes: z.array(z.enum(riskTypes)),
    speedLimit: z.number(),
    creator: z.string(),
    status: z.enum(scanTaskStatuses),
    createdAt: z.date(),
    finishedAt: z.date().nullable(),
    deadlineAt: z.date().nullable().describe('When the task ends timed_out if it has not ended by then'),
    counts: z.object({
      total: z.number(),
      queued: z.number(),
      running: z.number(),
      succeeded: z.number(),
      failed: z.number(),
      terminated: z.number(),
      risky: z.number(),
    }),
    progress: z.number().describe('0–100: the share of image scans in a final status'),
    remainingMs: z
      .number()
      .optional()
      .describe('Estimated time to the end; absent before the first image ends'),
  })
  .meta({ id: 'ScanTask' });

const taskParams = z.strictObject({ projectId: idSchema, taskId: idSchema });
const tags = ['scan tasks'];

export const scanTaskRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/projects/:projectId/estimates',
    operationId: 'estimateScan',
    summary: 'Count the images in a scope and estimate the fee of scanning them',
    description: 'The estimate is valid for 15 minutes and starts one task of the same scope.',
    tags,
    permission: 'images:set',
    params: projectParams,
    body: z.strictObject(scanFields),
    status: 201,
    reply: estimateSchema,
    handler: async ({ service, params, body }) => service.tasks.estimate(params.projectId, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/projects/:projectId/scan-tasks',
    operationId: 'startScanTask',
    summary: 'Start a manual scan task',
    description:
      'Confirms the fee with the id of an estimate of the same scope, or with `acceptFee: true`; without either, 409 `estimate_required`.',
    tags,
    permission: 'images:set',
    params: projectParams,
    body: z.strictObject({
      ...scanFields,
      estimateId: idSchema.optional(),
      acceptFee: z.boolean().optional(),
    }),
    status: 201,
    reply: scanTaskSchema,
    handler: async ({ service, params, body, principal, audit }) => {
      const task = await service.tasks.start(params.projectId, body, principal.userName);
      await audit({
        projectId: params.projectId,
        action: 'scan_task.start',
        objectType: 'scan_task',
        objectId: task.id,
        details: {
          name: task.name,
          scope: body.scope.kind,
          riskTypes: task.riskTypes,
          speedLimit: task.speedLimit,
          images: task.counts.total,
          ...(body.estimateId ? { estimateId: body.estimateId } : { acceptFee: true }),
        },
      });
      return task;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/scan-tasks',
    operationId: 'listScanTasks',
    summary: 'Scan tasks, newest first',
    tags,
    permission: 'images:list',
    params: projectParams,
    querystring: z.strictObject({
      type: z.enum(scanTaskTypes).optional(),
      status: queryList(z.enum(scanTaskStatuses)).optional(),
      name: text(200).optional().describe('Substring of the name'),
      from: queryInstant.optional().describe('Created at or after'),
      to: queryInstant.optional().describe('Created before'),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
    reply: z.object({ scanTasks: z.array(scanTaskSchema) }),
    handler: async ({ service, params, query }) => ({
      scanTasks: await service.tasks.list(params.projectId, query),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/scan-tasks/:taskId',
    operationId: 'getScanTask',
    summary: 'One scan task with its counts, progress and remaining time',
    tags,
    permission: 'images:list',
    params: taskParams,
    reply: scanTaskSchema,
    handler: async ({ service, params }) => service.tasks.get(params.projectId, params.taskId),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/scan-tasks/:taskId/images',
    operationId: 'listScanTaskImages',
    summary: "The task's image scans (one per platform) with their status; failed ones with reasons",
    tags,
    permission: 'images:list',
    params: taskParams,
    querystring: z.strictObject({ failedOnly: queryBoolean.default(false) }),
    reply: z.object({
      images: z.array(
        z.object({
          imageId: z.string(),
          platform: z.string(),
          repository: z.string(),
          tag: z.string(),
          status: z.enum(taskImageStatuses),
          failureCode: z.string().nullable(),
          failureMessage: z.string().nullable(),
        }),
      ),
    }),
    handler: async ({ service, params, query }) => {
      // The task's own lookup is project-scoped; its image rows are read only after it.
      const task = await service.tasks.get(params.projectId, params.taskId);
      return { images: await service.tasks.images(task.id, { failedOnly: query.failedOnly }) };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/projects/:projectId/scan-tasks/:taskId/stop',
    operationId: 'stopScanTask',
    summary: 'Stop a task: queued and running image scans end as terminated; stored results stay',
    tags,
    permission: ['images:set', 'containers:set'],
    params: taskParams,
    reply: scanTaskSchema,
    handler: async ({ service, params, audit }) => {
      const task = await service.tasks.stop(params.projectId, params.taskId);
      await audit({
        projectId: params.projectId,
        action: 'scan_task.stop',
        objectType: 'scan_task',
        objectId: task.id,
        details: { status: task.status },
      });
      return task;
    },
  }),
];
