import { z } from 'zod';
import { seesProject } from '../../access/principal.ts';
import { defineRoute } from '../route.ts';
import { projectParams, text } from '../schemas/common.ts';

/** Projects, the tenants: the caller's own list, one project, creation and the time zone. */

const projectSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    timeZone: z.string().describe('IANA time zone; scheduled windows and daily syncs are read in it'),
    createdAt: z.date(),
  })
  .meta({ id: 'Project' });

const tags = ['projects'];

export const projectRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects',
    operationId: 'listProjects',
    summary: 'The projects the caller holds a role in',
    tags,
    access: 'authenticated',
    reply: z.object({ projects: z.array(projectSchema) }),
    handler: async ({ service, principal }) => ({
      projects: (await service.projects.list()).filter((project) => seesProject(principal, project.id)),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/projects',
    operationId: 'createProject',
    summary: 'Create a project (service administrators)',
    description: 'The creator gets no role in it by this call; roles are granted through identity.',
    tags,
    access: 'service-admin',
    body: z.strictObject({ name: text(63), timeZone: text(64).optional() }),
    status: 201,
    reply: projectSchema,
    handler: async ({ service, body, audit }) => {
      const project = await service.projects.create(body);
      await audit({
        projectId: null,
        action: 'project.create',
        objectType: 'project',
        objectId: project.id,
        details: { name: project.name, timeZone: project.timeZone },
      });
      return project;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId',
    operationId: 'getProject',
    summary: 'One project',
    tags,
    access: 'authenticated',
    params: projectParams,
    reply: projectSchema,
    handler: async ({ service, params }) => service.projects.get(params.projectId),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/projects/:projectId',
    operationId: 'updateProject',
    summary: "Change the project's time zone",
    tags,
    permission: 'iam:set',
    params: projectParams,
    body: z.strictObject({ timeZone: text(64) }),
    reply: projectSchema,
    handler: async ({ service, params, body, audit }) => {
      await service.projects.setTimeZone(params.projectId, body.timeZone);
      await audit({
        projectId: params.projectId,
        action: 'project.update',
        objectType: 'project',
        objectId: params.projectId,
        details: { timeZone: body.timeZone },
      });
      return service.projects.get(params.projectId);
    },
  }),
];
