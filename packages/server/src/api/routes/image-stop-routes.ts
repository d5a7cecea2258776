import { z } from 'zod';
import { defineRoute } from '../route.ts';
import { repositoryImageSchema } from '../schemas/image-schemas.ts';
import { imageParams } from './image-routes.ts';

/**
 * Stopping the scans of one image (the repository image list's row action "stop"), where the task
 * stop ends a whole task: the image's other tasks' images go on.
 */

const imageStopSchema = z
  .object({
    image: repositoryImageSchema.describe('The image as the list shows it after the stop'),
    stopped: z.number().describe('The image scans (one per task and platform) that ended terminated'),
    taskIds: z.array(z.string()).describe('The tasks they belonged to; each goes on with its other images'),
  })
  .meta({ id: 'ImageStop' });

export const imageStopRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/projects/:projectId/images/:imageId/stop',
    operationId: 'stopImageScans',
    summary: "Stop an image's queued and running scans in every live task; the tasks go on",
    description:
      'Queued scans end as terminated at once; running ones are aborted and end as terminated (a scan that completes in the instant of the stop keeps its result). Nothing is billed for them. A task left with nothing to do ends. 409 `conflict` when no scan of the image is queued or running; 404 `not_found` for an image of another project.',
    tags: ['images'],
    // Stopping scans, like the task stop: a role that may only stop containers' scans may stop these.
    permission: ['images:set', 'containers:set'],
    params: imageParams,
    reply: imageStopSchema,
    handler: async ({ service, params, audit }) => {
      const stop = await service.tasks.stopImage(params.projectId, params.imageId);
      await audit({
        projectId: params.projectId,
        action: 'image.stop',
        objectType: 'image',
        objectId: params.imageId,
        details: { stopped: stop.stopped, taskIds: stop.taskIds },
      });
      const { image } = await service.results.imageOverview(params.projectId, params.imageId);
      return { image, stopped: stop.stopped, taskIds: stop.taskIds };
    },
  }),
];
