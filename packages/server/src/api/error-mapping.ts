import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDrydockError, type FailureCode } from '@drydock/engine';
import { isServiceError, type ServiceErrorCode } from '../service-error.ts';
import { ApiError, isApiError, type ApiErrorCode } from './api-error.ts';

/**
 * The one place where failures become HTTP answers: the API's own codes, the service's
 * `ServiceError` codes and the engine's `DrydockError` codes each map to a status here, and every
 * answer has the body `{ code, message, details? }`. Anything else is a bug: 500 `internal_error`
 * with a fixed message (the log has the error; the client never sees a message or a stack).
 */

export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface ErrorReply {
  readonly status: number;
  readonly body: ErrorBody;
  /** Not a typed failure: logged with its stack as an error. */
  readonly unexpected: boolean;
}

const apiStatus = {
  unauthenticated: 401,
  forbidden: 403,
  csrf_required: 403,
  not_found: 404,
  invalid_request: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  method_not_allowed: 405,
  rate_limited: 429,
  not_ready: 503,
  internal_error: 500,
} as const satisfies Record<ApiErrorCode, number>;

const serviceStatus = {
  not_found: 404,
  invalid_request: 400,
  conflict: 409,
  estimate_required: 409,
  // The estimate was used or ran out: estimate again.
  estimate_expired: 410,
  estimate_mismatch: 409,
  nothing_to_scan: 422,
  connection_failed: 502,
  // Identity: a wrong password or token, too many failed logins, a missing administrator right.
  authentication_failed: 401,
  login_locked: 429,
  forbidden: 403,
} as const satisfies Record<ServiceErrorCode, number>;

/**
 * Engine failures reach the API from registry work done inside a request. Failures of the
 * registry are the upstream's (502/503/504), failures of the image are unprocessable (422).
 */
const engineStatus = {
  authentication_failed: 502,
  not_found: 404,
  download_failed: 502,
  image_too_large: 422,
  layer_too_large: 422,
  too_many_layers: 422,
  too_many_files: 422,
  schema_v1_not_supported: 422,
  unsupported_media_type: 422,
  registry_rate_limited: 503,
  timed_out: 504,
  credential_expired: 409,
  analysis_failed: 500,
  internal_error: 500,
  invalid_reference: 400,
  malformed_image: 422,
  aborted: 503,
} as const satisfies Record<FailureCode, number>;

/** Fastify's own client errors (body parsing, routing), by status. */
const clientStatusCodes: Readonly<Record<number, ApiErrorCode>> = {
  400: 'invalid_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  414: 'invalid_request',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** The router's errors quote the whole path; these say the same without echoing it. */
const routerMessages: Readonly<Record<string, string>> = {
  FST_ERR_MAX_PARAM_LENGTH: 'a path parameter is too long',
  FST_ERR_BAD_URL: 'the path is not a valid URL',
};

const internalMessage = 'internal error; the request id in the x-request-id header finds it in the log';

function body(code: string, message: string, details?: Readonly<Record<string, unknown>>): ErrorBody {
  return details === undefined || Object.keys(details).length === 0
    ? { code, message }
    : { code, message, details };
}

function internal(): ErrorReply {
  return { status: 500, body: body('internal_error', internalMessage), unexpected: true };
}

function isFastifyClientError(error: unknown): error is FastifyError {
  if (!(error instanceof Error) || !('statusCode' in error)) return false;
  const status = error.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** `/scope/kind` → `scope.kind`, as the service's own `invalid_request` issues name fields. */
function fieldPath(instancePath: string): string {
  return instancePath.replace(/^\//, '').split('/').join('.');
}

/** The HTTP answer for anything a route, a hook or fastify threw. */
export function errorReply(error: unknown): ErrorReply {
  if (isApiError(error))
    return {
      status: apiStatus[error.code],
      body: body(error.code, error.message, error.details),
      unexpected: error.code === 'internal_error',
    };
  if (isServiceError(error))
    return {
      status: serviceStatus[error.code],
      body: body(error.code, error.message, error.details),
      unexpected: false,
    };
  if (isDrydockError(error)) {
    const status = engineStatus[error.code];
    // The engine's own faults (500) are bugs like any other; upstream failures say what failed.
    if (status === 500) return internal();
    return {
      status,
      body: body(error.code, error.message, error.reason ? { reason: error.reason } : undefined),
      unexpected: false,
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const location =
      'validationContext' in error && typeof error.validationContext === 'string'
        ? error.validationContext
        : undefined;
    return {
      status: 400,
      body: body('invalid_request', `invalid ${location ?? 'request'}`, {
        ...(location ? { location } : {}),
        issues: error.validation.map((issue) => ({
          path: fieldPath(issue.instancePath),
          message: issue.message,
        })),
      }),
      unexpected: false,
    };
  }
  if (isFastifyClientError(error)) {
    const status = error.statusCode ?? 400;
    const code = clientStatusCodes[status] ?? 'invalid_request';
    // Fastify's own errors carry fixed texts; a parser's SyntaxError would quote the body.
    const message =
      error instanceof SyntaxError
        ? 'the body is not valid JSON'
        : (routerMessages[error.code] ??
          (typeof error.code === 'string' && error.code.startsWith('FST_')
            ? error.message
            : code.replaceAll('_', ' ')));
    return { status, body: body(code, message), unexpected: false };
  }
  return internal();
}

/** For fastify's `frameworkErrors`: the router's own failures (bad URL, too long a parameter), in the one shape. */
export function frameworkErrorHandler(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const mapped = errorReply(error);
  void reply.code(mapped.status).send(mapped.body);
}

/** Installs the error and not-found handlers that answer in the one error shape. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const mapped = errorReply(error);
    if (mapped.unexpected) request.log.error({ err: error }, 'request failed');
    else if (mapped.status >= 500) request.log.warn({ err: error }, 'request failed upstream');
    return reply.code(mapped.status).send(mapped.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = (request.url.split('?')[0] ?? '').slice(0, 200);
    const mapped = errorReply(new ApiError('not_found', `no route ${request.method} ${path}`));
    return reply.code(mapped.status).send(mapped.body);
  });
}
