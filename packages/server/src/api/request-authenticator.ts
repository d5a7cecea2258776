import type { FastifyRequest } from 'fastify';
import type { AccessService } from '../access/access-service.ts';
import { authenticateRequest, sessionCookieName } from '../access/request-credentials.ts';
import type { Authenticated } from './api-options.ts';

/**
 * The `authenticate` of a real API: the request's bearer token or session cookie, resolved by the
 * access service (tests may pass another, see test/api/api-harness.ts).
 */
export function requestAuthenticator(
  access: AccessService,
): (request: FastifyRequest) => Promise<Authenticated | undefined> {
  return (request) =>
    authenticateRequest(access, {
      authorization: request.headers.authorization,
      sessionToken: request.cookies[sessionCookieName],
    });
}
