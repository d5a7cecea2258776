/** The HTTP API's public surface: what `drydock serve` and the tests use. */
export { buildApi, defaultBodyLimit } from './build-api.ts';
export type { ApiLoggerOptions, ApiOptions, Authenticated } from './api-options.ts';
export { ApiError, apiErrorCodes, isApiError, type ApiErrorCode } from './api-error.ts';
export { errorReply, type ErrorBody } from './error-mapping.ts';
export { apiRoutes, routeModules } from './route-table.ts';
export {
  accessKinds,
  defineRoute,
  isProjectScoped,
  RouteDeclarationError,
  type AccessKind,
  type ApiRoute,
  type RouteAccess,
  type RouteContext,
} from './route.ts';
export { docsPrefix } from './openapi.ts';
export { csrfHeaderName as csrfHeader, sessionCookieName } from '../access/request-credentials.ts';
export { requestIdHeader } from './request-id.ts';
export { requestAuthenticator } from './request-authenticator.ts';
export { startApiServer, type ApiServer, type ApiServerOptions } from './api-server.ts';
