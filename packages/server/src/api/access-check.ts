import type { FastifyRequest } from 'fastify';
import { secretsMatch } from '../access/access-secrets.ts';
import { can, seesProject, type Principal } from '../access/principal.ts';
import { csrfHeaderName as csrfHeader } from '../access/request-credentials.ts';
import type { Authenticated } from './api-options.ts';
import { ApiError } from './api-error.ts';
import { isProjectScoped, type ApiRoute } from './route.ts';

/**
 * The access check in front of every route, deciding from the route's declaration alone:
 * 1. public routes pass without asking who calls;
 * 2. no principal → 401 `unauthenticated`;
 * 3. a session-cookie write without the session's CSRF token → 403 `csrf_required`;
 * 4. a `:projectId` the principal holds no role in → 404 `not_found`, the same answer as for a
 *    project that does not exist, so ids of other tenants cannot be probed;
 * 5. a permission route whose permissions the principal holds none of → 403 `forbidden`;
 *    `session` routes need a session-cookie login, `service-admin` routes a service administrator.
 * It runs before the body is read, so nothing about a request's shape is told to a caller that
 * may not make it.
 */

const safeMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

function projectIdOf(request: FastifyRequest): string {
  const params: unknown = request.params;
  const projectId =
    typeof params === 'object' && params !== null && 'projectId' in params ? params.projectId : undefined;
  return typeof projectId === 'string' ? projectId : '';
}

/**
 * Checks `request` against `route`; returns the caller (undefined only on public routes) or
 * throws the ApiError to answer with.
 */
export async function checkAccess(
  route: ApiRoute,
  request: FastifyRequest,
  authenticate: (request: FastifyRequest) => Promise<Authenticated | undefined>,
): Promise<Principal | undefined> {
  if (route.access === 'public') return undefined;
  const authenticated = await authenticate(request);
  if (!authenticated)
    throw new ApiError('unauthenticated', 'sign in, or send an API token as a bearer token');
  const { principal, csrfToken } = authenticated;
  if (csrfToken !== undefined && !safeMethods.has(request.method)) {
    const sent = request.headers[csrfHeader];
    if (typeof sent !== 'string' || !secretsMatch(csrfToken, sent))
      throw new ApiError('csrf_required', `a write with the session cookie needs the ${csrfHeader} header`);
  }
  if (isProjectScoped(route.url)) {
    const projectId = projectIdOf(request);
    if (!seesProject(principal, projectId))
      throw new ApiError('not_found', `project ${projectId.slice(0, 200)} does not exist`, {
        what: 'project',
        id: projectId.slice(0, 200),
      });
    if (route.permission && !route.permission.some((permission) => can(principal, projectId, permission)))
      throw new ApiError(
        'forbidden',
        `this needs the permission ${route.permission.join(' or ')} in the project`,
        {
          permissions: route.permission,
        },
      );
  }
  if (route.access === 'session' && principal.via !== 'session')
    throw new ApiError('forbidden', 'this is done from a signed-in session, not with an API token');
  if (route.access === 'service-admin' && !principal.serviceAdmin)
    throw new ApiError('forbidden', 'this needs a service administrator');
  return principal;
}
