import { z } from 'zod';
import { syncStatuses, syncTriggers } from '../../store/schema.ts';
import { defineRoute } from '../route.ts';
import { idSchema, projectParams, queryInstant, queryList } from '../schemas/common.ts';

/**
 * Sync tasks: refreshing the image list from the registries (metadata only; nothing is pulled).
 * A sync of many registries takes minutes, so it runs in the background and is polled.
 */

const syncTaskSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    trigger: z.enum(syncTriggers),
    status: z.enum(syncStatuses),
    connectionIds: z.array(z.string()),
    counts: z.object({
      added: z.number(),
      changed: z.number(),
      deleted: z.number(),
      unchanged: z.number(),
      skipped: z
        .number()
        .optional()
        .describe(
          'repositories and tags the listings went on without (absent in tasks from before it was counted)',
        ),
    }),
    errors: z.array(
      z.object({
        connectionId: z.string(),
        code: z.string(),
        message: z.string(),
        image: z
          .string()
          .optional()
          .describe('the skipped repository or tag (the first 100); absent when the whole registry failed'),
      }),
    ),
    startedAt: z.date(),
    finishedAt: z.date().nullable(),
  })
  .meta({ id: 'SyncTask' });

const tags = ['sync tasks'];

export const syncTaskRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/projects/:projectId/sync-tasks',
    operationId: 'startSync',
    summary: 'Start syncing the image list of all (or the given) registries',
    description:
      'Answers at once with the task `running`; the sync goes on in the background. Poll `GET sync-tasks/{syncTaskId}`: it ends `finished`, `partial` or `failed`, with its counts and, per registry that failed, the error (the other registries go on); a repository or tag a registry would not give is skipped (`partial`, listed with `image`), and the image of an unreadable tag is kept as it was. Unknown registries answer 404 and start nothing.',
    tags,
    permission: 'registries:set',
    params: projectParams,
    body: z.strictObject({ registryIds: z.array(idSchema).min(1).max(1000).optional() }),
    status: 202,
    reply: syncTaskSchema,
    handler: async ({ service, params, body, audit }) => {
      const task = await service.sync.start(params.projectId, {
        trigger: 'manual',
        ...(body.registryIds ? { connectionIds: body.registryIds } : {}),
      });
      await audit({
        projectId: params.projectId,
        action: 'sync_task.start',
        objectType: 'sync_task',
        objectId: task.id,
        details: { connectionIds: task.connectionIds },
      });
      return task;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/sync-tasks',
    operationId: 'listSyncTasks',
    summary: 'Sync tasks, newest first',
    tags,
    permission: 'registries:list',
    params: projectParams,
    querystring: z.strictObject({
      trigger: z.enum(syncTriggers).optional(),
      status: queryList(z.enum(syncStatuses)).optional(),
      from: queryInstant.optional().describe('Started at or after'),
      to: queryInstant.optional().describe('Started before'),
      limit: z.coerce.number().int().min(1).max(1000).default(50),
    }),
    reply: z.object({ syncTasks: z.array(syncTaskSchema) }),
    handler: async ({ service, params, query }) => ({
      syncTasks: await service.sync.list(params.projectId, query),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/sync-tasks/:syncTaskId',
    operationId: 'getSyncTask',
    summary: 'One sync task',
    tags,
    permission: 'registries:list',
    params: z.strictObject({ projectId: idSchema, syncTaskId: idSchema }),
    reply: syncTaskSchema,
    handler: async ({ service, params }) => service.sync.get(params.projectId, params.syncTaskId),
  }),
];
