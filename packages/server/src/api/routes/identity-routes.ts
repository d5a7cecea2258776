import { z } from 'zod';
import { apiTokenInputSchema } from '../../access/api-tokens.ts';
import { auditFilterSchema, auditPageSchema, type AuditScope } from '../../access/audit-log.ts';
import { permissions, type Principal } from '../../access/principal.ts';
import { roleInputSchema, roleUpdateSchema } from '../../access/project-roles.ts';
import { sessionCookieName } from '../../access/request-credentials.ts';
import { userInputSchema, userUpdateSchema } from '../../access/user-accounts.ts';
import { ApiError } from '../api-error.ts';
import { defineRoute } from '../route.ts';
import { idSchema, noContent, projectParams, text } from '../schemas/common.ts';

/**
 * Identity and access: signing in and out, the caller itself and its API tokens, users (service
 * administrators), each project's roles and members, and the audit log. Passwords and token
 * secrets go in and never come out, except a new token's secret in the reply that creates it.
 */

const tags = ['identity'];
const permissionEnum = z.enum(permissions);

const userSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    displayName: z.string(),
    serviceAdmin: z.boolean(),
    disabled: z.boolean(),
    createdAt: z.date(),
    passwordChangedAt: z.date(),
    lockedUntil: z.date().nullable(),
  })
  .meta({ id: 'User' });

const tokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    permissions: z.array(permissionEnum).nullable().describe('null = every permission of the user'),
    projectId: z.string().nullable().describe('null = every project of the user'),
    expiresAt: z.date().nullable(),
    revokedAt: z.date().nullable(),
    lastUsedAt: z.date().nullable(),
    createdAt: z.date(),
  })
  .meta({ id: 'ApiToken' });

const roleSchema = z
  .object({ id: z.string(), name: z.string(), builtIn: z.boolean(), permissions: z.array(permissionEnum) })
  .meta({ id: 'Role' });

const memberSchema = z
  .object({
    userId: z.string(),
    userName: z.string(),
    displayName: z.string(),
    role: z.string().describe('A built-in role name or a custom role id'),
    roleName: z.string(),
    permissions: z.array(permissionEnum),
  })
  .meta({ id: 'Member' });

const auditEventSchema = z
  .object({
    id: z.number(),
    at: z.date(),
    projectId: z.string().nullable(),
    userId: z.string().nullable(),
    userName: z.string(),
    address: z.string(),
    action: z.string(),
    objectType: z.string(),
    objectId: z.string(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEvent' });

const auditQuery = z.strictObject(auditPageSchema.shape);
const auditExportQuery = z.strictObject({
  ...auditFilterSchema.shape,
  format: z.enum(['csv', 'json']).default('csv'),
});

const meSchema = z.object({
  user: userSchema,
  via: z.enum(['session', 'token']),
  projects: z.array(z.object({ projectId: z.string(), permissions: z.array(permissionEnum) })),
});

/** The caller's own account; a token's principal names its user. */
function me(principal: Principal) {
  return {
    via: principal.via,
    projects: [...principal.projects].map(([projectId, held]) => ({
      projectId,
      permissions: permissions.filter((permission) => held.has(permission)),
    })),
  };
}

const userParams = z.strictObject({ userId: idSchema });
const tokenParams = z.strictObject({ tokenId: idSchema });
const roleParams = z.strictObject({ projectId: idSchema, roleId: idSchema });
const memberParams = z.strictObject({ projectId: idSchema, userId: idSchema });

export const identityRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/session',
    operationId: 'login',
    summary: 'Sign in: sets the session cookie and returns the CSRF token that writes must send back',
    tags,
    access: 'public',
    body: z.strictObject({ name: text(200).min(1), password: z.string().min(1).max(1024) }),
    reply: z.object({ user: userSchema, csrfToken: z.string(), expiresAt: z.date() }),
    rateLimit: { max: 30, timeWindowMs: 60_000 },
    handler: async ({ options, body, request, reply }) => {
      // Sign-ins are in the audit log, failed ones too (with the name tried, never the password).
      const actor = { userId: null, userName: body.name.slice(0, 200), address: request.ip };
      let login;
      try {
        login = await options.access.login(body.name, body.password, request.ip);
      } catch (error) {
        const code = error instanceof Error && 'code' in error ? String(error.code) : 'internal_error';
        await options.audit(actor, {
          projectId: null,
          action: 'session.login_failed',
          objectType: 'user',
          objectId: body.name.slice(0, 200),
          details: { code },
        });
        throw error;
      }
      await options.audit(
        { ...actor, userId: login.user.id, userName: login.user.name },
        { projectId: null, action: 'session.login', objectType: 'user', objectId: login.user.id },
      );
      void reply.setCookie(sessionCookieName, login.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        expires: login.expiresAt,
      });
      return { user: login.user, csrfToken: login.csrfToken, expiresAt: login.expiresAt };
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/session',
    operationId: 'logout',
    summary: 'Sign out: ends the session of the cookie',
    tags,
    access: 'authenticated',
    status: 204,
    reply: noContent,
    handler: async ({ options, request, reply }) => {
      const token = request.cookies[sessionCookieName];
      if (token) await options.access.logout(token);
      void reply.clearCookie(sessionCookieName, { path: '/' });
      return undefined;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/me',
    operationId: 'getMe',
    summary: 'The caller: its account, how it signed in, and its permissions per project',
    tags,
    access: 'authenticated',
    reply: meSchema,
    handler: async ({ options, principal }) => ({
      user: await options.access.getUser(principal.userId),
      ...me(principal),
    }),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/me/password',
    operationId: 'changeMyPassword',
    summary: "Change the caller's password (ends its other sessions)",
    tags,
    access: 'session',
    body: z.strictObject({
      currentPassword: z.string().min(1).max(1024),
      newPassword: z.string().min(1).max(1024),
    }),
    status: 204,
    reply: noContent,
    handler: async ({ options, principal, body, request, audit }) => {
      const user = await options.access.getUser(principal.userId);
      // Proving the current password keeps a stolen session from taking the account over.
      await options.access.verifyPassword(user.name, body.currentPassword, request.ip);
      const keep = request.cookies[sessionCookieName];
      await options.access.updateUser(
        principal.userId,
        { password: body.newPassword },
        keep === undefined ? {} : { keepSession: keep },
      );
      await audit({
        projectId: null,
        action: 'user.password',
        objectType: 'user',
        objectId: principal.userId,
      });
      return undefined;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/me/tokens',
    operationId: 'listMyTokens',
    summary: "The caller's API tokens (never their secrets)",
    tags,
    access: 'authenticated',
    reply: z.object({ tokens: z.array(tokenSchema) }),
    handler: async ({ options, principal }) => ({
      tokens: await options.access.listTokens(principal.userId),
    }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/me/tokens',
    operationId: 'createMyToken',
    summary: 'Create an API token; its secret is in this reply only',
    tags,
    access: 'session',
    body: z.strictObject({
      name: text(100).min(1),
      expiresAt: z.iso.datetime({ offset: true }).nullish(),
      permissions: z.array(permissionEnum).min(1).optional(),
      projectId: idSchema.optional(),
    }),
    status: 201,
    reply: z.object({ token: z.string().describe('Shown once'), info: tokenSchema }),
    handler: async ({ options, principal, body, audit }) => {
      if (body.projectId !== undefined && !principal.projects.has(body.projectId))
        throw new ApiError('not_found', `project ${body.projectId} does not exist`);
      const created = await options.access.createToken(principal.userId, apiTokenInputSchema.parse(body));
      await audit({
        projectId: body.projectId ?? null,
        action: 'token.create',
        objectType: 'api_token',
        objectId: created.info.id,
        details: {
          name: body.name,
          permissions: body.permissions ?? 'all',
          expiresAt: body.expiresAt ?? null,
        },
      });
      return created;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/me/tokens/:tokenId',
    operationId: 'revokeMyToken',
    summary: 'Revoke one of the caller’s API tokens',
    tags,
    access: 'session',
    params: tokenParams,
    reply: tokenSchema,
    handler: async ({ options, principal, params, audit }) => {
      const revoked = await options.access.revokeToken(principal.userId, params.tokenId);
      await audit({ projectId: null, action: 'token.revoke', objectType: 'api_token', objectId: revoked.id });
      return revoked;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/users',
    operationId: 'listUsers',
    summary: 'Every user',
    tags,
    access: 'service-admin',
    reply: z.object({ users: z.array(userSchema) }),
    handler: async ({ options }) => ({ users: await options.access.listUsers() }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/users',
    operationId: 'createUser',
    summary: 'Create a local user',
    tags,
    access: 'service-admin',
    body: z.strictObject(userInputSchema.shape),
    status: 201,
    reply: userSchema,
    handler: async ({ options, body, audit }) => {
      const user = await options.access.createUser(body);
      await audit({
        projectId: null,
        action: 'user.create',
        objectType: 'user',
        objectId: user.id,
        details: { name: user.name, serviceAdmin: user.serviceAdmin },
      });
      return user;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/users/:userId',
    operationId: 'getUser',
    summary: 'One user',
    tags,
    access: 'service-admin',
    params: userParams,
    reply: userSchema,
    handler: async ({ options, params }) => options.access.getUser(params.userId),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/users/:userId',
    operationId: 'updateUser',
    summary: 'Change a user (display name, password, disabled, service administrator)',
    tags,
    access: 'service-admin',
    params: userParams,
    body: z.strictObject(userUpdateSchema.shape),
    reply: userSchema,
    handler: async ({ options, params, body, audit }) => {
      const user = await options.access.updateUser(params.userId, body);
      const { password, ...rest } = body;
      await audit({
        projectId: null,
        action: 'user.update',
        objectType: 'user',
        objectId: user.id,
        details: { ...rest, ...(password === undefined ? {} : { passwordChanged: true }) },
      });
      return user;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/users/:userId',
    operationId: 'deleteUser',
    summary: 'Delete a user (its sessions, tokens and roles go with it)',
    tags,
    access: 'service-admin',
    params: userParams,
    status: 204,
    reply: noContent,
    handler: async ({ options, params, audit }) => {
      await options.access.deleteUser(params.userId);
      await audit({ projectId: null, action: 'user.delete', objectType: 'user', objectId: params.userId });
      return undefined;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/roles',
    operationId: 'listRoles',
    summary: "The project's roles: the built-in ones and its custom ones",
    tags,
    access: 'authenticated',
    params: projectParams,
    reply: z.object({ roles: z.array(roleSchema) }),
    handler: async ({ options, params }) => ({ roles: await options.access.listRoles(params.projectId) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/projects/:projectId/roles',
    operationId: 'createRole',
    summary: 'Create a custom role as a set of permissions',
    tags,
    permission: 'iam:set',
    params: projectParams,
    body: z.strictObject(roleInputSchema.shape),
    status: 201,
    reply: roleSchema,
    handler: async ({ options, params, body, audit }) => {
      const role = await options.access.createRole(params.projectId, body);
      await audit({
        projectId: params.projectId,
        action: 'role.create',
        objectType: 'role',
        objectId: role.id,
        details: { name: role.name, permissions: role.permissions },
      });
      return role;
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/projects/:projectId/roles/:roleId',
    operationId: 'updateRole',
    summary: 'Rename a custom role or change its permissions',
    tags,
    permission: 'iam:set',
    params: roleParams,
    body: z.strictObject(roleUpdateSchema.shape),
    reply: roleSchema,
    handler: async ({ options, params, body, audit }) => {
      const role = await options.access.updateRole(params.projectId, params.roleId, body);
      await audit({
        projectId: params.projectId,
        action: 'role.update',
        objectType: 'role',
        objectId: role.id,
        details: { ...body },
      });
      return role;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/projects/:projectId/roles/:roleId',
    operationId: 'deleteRole',
    summary: 'Delete a custom role nobody holds',
    tags,
    permission: 'iam:set',
    params: roleParams,
    status: 204,
    reply: noContent,
    handler: async ({ options, params, audit }) => {
      await options.access.deleteRole(params.projectId, params.roleId);
      await audit({
        projectId: params.projectId,
        action: 'role.delete',
        objectType: 'role',
        objectId: params.roleId,
      });
      return undefined;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/members',
    operationId: 'listMembers',
    summary: 'Who holds which role in the project',
    tags,
    permission: 'iam:set',
    params: projectParams,
    reply: z.object({ members: z.array(memberSchema) }),
    handler: async ({ options, params }) => ({ members: await options.access.listMembers(params.projectId) }),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/projects/:projectId/members/:userId',
    operationId: 'setMember',
    summary: 'Give a user a role in the project (replacing the one it held)',
    tags,
    permission: 'iam:set',
    params: memberParams,
    body: z.strictObject({ role: text(100).min(1) }),
    reply: memberSchema,
    handler: async ({ options, params, body, audit }) => {
      const member = await options.access.setMember(params.projectId, params.userId, body.role);
      await audit({
        projectId: params.projectId,
        action: 'member.set',
        objectType: 'user',
        objectId: params.userId,
        details: { role: member.roleName },
      });
      return member;
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/projects/:projectId/members/:userId',
    operationId: 'removeMember',
    summary: "Take the user's role in the project away",
    tags,
    permission: 'iam:set',
    params: memberParams,
    status: 204,
    reply: noContent,
    handler: async ({ options, params, audit }) => {
      await options.access.removeMember(params.projectId, params.userId);
      await audit({
        projectId: params.projectId,
        action: 'member.remove',
        objectType: 'user',
        objectId: params.userId,
      });
      return undefined;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/audit-events',
    operationId: 'listProjectAuditEvents',
    summary: "The project's audit log, newest first",
    tags,
    permission: 'iam:set',
    params: projectParams,
    querystring: auditQuery,
    reply: z.object({ events: z.array(auditEventSchema), total: z.number() }),
    handler: async ({ options, params, query }) =>
      options.auditLog.list({ ...query, projectIds: [params.projectId] }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/audit-events/export',
    operationId: 'exportProjectAuditEvents',
    summary: "The project's audit log as CSV or JSON",
    tags,
    permission: 'iam:set',
    params: projectParams,
    querystring: auditExportQuery,
    reply: z.string(),
    replyContentTypes: ['text/csv; charset=utf-8', 'application/json'],
    handler: async ({ options, params, query, reply }) =>
      auditDownload(options.auditLog, [params.projectId], query, reply),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit-events/export',
    operationId: 'exportAuditEvents',
    summary: 'The whole audit log as CSV or JSON (service administrators)',
    tags,
    access: 'service-admin',
    querystring: auditExportQuery,
    reply: z.string(),
    replyContentTypes: ['text/csv; charset=utf-8', 'application/json'],
    handler: async ({ options, query, reply }) => auditDownload(options.auditLog, 'all', query, reply),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit-events',
    operationId: 'listAuditEvents',
    summary: 'The whole audit log, changes outside projects included (service administrators)',
    tags,
    access: 'service-admin',
    querystring: auditQuery,
    reply: z.object({ events: z.array(auditEventSchema), total: z.number() }),
    handler: async ({ options, query }) => options.auditLog.list({ ...query, projectIds: 'all' }),
  }),
];

async function auditDownload(
  auditLog: {
    exportRows: (
      query: { readonly projectIds: AuditScope },
      format: 'csv' | 'json',
    ) => Promise<{ readonly content: string }>;
  },
  projectIds: AuditScope,
  query: z.output<typeof auditExportQuery>,
  reply: { header(name: string, value: string): unknown },
): Promise<string> {
  const { format, ...filter } = query;
  const output = await auditLog.exportRows({ ...filter, projectIds }, format);
  reply.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json');
  reply.header('content-disposition', `attachment; filename="audit-log.${format}"`);
  return output.content;
}
