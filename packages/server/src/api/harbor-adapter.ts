import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ScanReport } from '@drydock/engine';
import {
  HarborAdapterError,
  isHarborAdapterError,
  type HarborAdapterErrorCode,
} from '../harbor/harbor-adapter-error.ts';
import { harborSbomReport, harborVulnerabilityReport } from '../harbor/harbor-report.ts';
import { artifactOf } from '../harbor/harbor-scans.ts';
import {
  consumedMimeTypes,
  harborMimeTypes,
  reportTypeOf,
  sbomMediaTypes,
  scannerMetadata,
  scanRequestSchema,
  type SbomMediaType,
} from '../harbor/harbor-spec.ts';
import type { ApiOptions } from './api-options.ts';

/**
 * Harbor's pluggable scanner API (goharbor/pluggable-scanner-spec 1.0–1.2) under `/harbor`: Harbor
 * is given `https://<drydock>/harbor` as the scanner's URL. It is not part of Drydock's own API and
 * its document: its own error shape (`{ "error": { "message" } }`), its own MIME types, 302 with
 * `Refresh-After` while a report is not ready. So it is a fastify plugin of its own, with its own
 * error and not-found handlers, rather than routes of the route table; build-api.ts lets its
 * routes through the start-up check by their marker, and each one authenticates first.
 *
 * Authentication: the credential Harbor was registered with, sent as `Authorization: Bearer` (or
 * `X-ScannerAdapter-API-Key`), must be a Drydock API token that reaches exactly one project and
 * holds the scan permission (`images:set`) there; the scans belong to that project.
 */

export const harborPrefix = '/harbor';

/** Seconds Harbor is told to wait before asking again for a report that is not ready. */
export const refreshAfterSeconds = 2;

const harborRouteMarker = Symbol('drydock.harborAdapter');

export function isHarborAdapterRoute(config: unknown): boolean {
  return typeof config === 'object' && config !== null && harborRouteMarker in config;
}

const errorStatus = {
  unauthorized: 401,
  forbidden: 403,
  invalid_request: 400,
  invalid_field: 422,
  not_found: 404,
  not_capable: 501,
  scan_failed: 500,
  internal_error: 500,
} as const satisfies Record<HarborAdapterErrorCode, number>;

function sendJson(reply: FastifyReply, status: number, type: string, body: unknown): FastifyReply {
  return reply
    .code(status)
    .header('content-type', type)
    .send(Buffer.from(JSON.stringify(body)));
}

function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return sendJson(reply, status, harborMimeTypes.error, { error: { message } });
}

/** The project of the calling token (see the module comment); throws 401 or 403. */
async function projectOf(
  request: FastifyRequest,
  options: ApiOptions,
): Promise<{ projectId: string; userName: string }> {
  const header = request.headers.authorization;
  const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
  const apiKey = request.headers['x-scanneradapter-api-key'];
  const secret = bearer ?? (typeof apiKey === 'string' && apiKey.trim() !== '' ? apiKey.trim() : undefined);
  if (!secret) throw new HarborAdapterError('unauthorized', 'send a Drydock API token as a bearer token');
  const principal = await options.access.tokenPrincipal(secret);
  if (!principal)
    throw new HarborAdapterError('unauthorized', 'the API token is unknown, expired or revoked');
  const projects = [...principal.projects];
  const only = projects.length === 1 ? projects[0] : undefined;
  if (!only || !only[1].has('images:set'))
    throw new HarborAdapterError(
      'forbidden',
      'the API token must be limited to one project and hold the images:set permission there',
    );
  return { projectId: only[0], userName: principal.userName };
}

/** Fastify's own client errors (body too large, unsupported content type) keep their status. */
function clientStatusOf(error: unknown): number | undefined {
  if (!(error instanceof Error) || !('statusCode' in error)) return undefined;
  const status = (error as FastifyError).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function sbomTypeOf(query: unknown): SbomMediaType {
  const asked =
    typeof query === 'object' && query !== null && 'sbom_media_type' in query
      ? query.sbom_media_type
      : undefined;
  const found = sbomMediaTypes.find((type) => type === asked);
  if (!found)
    throw new HarborAdapterError(
      'invalid_request',
      `an SBOM report needs the query parameter sbom_media_type: ${sbomMediaTypes.join(' or ')}`,
    );
  return found;
}

async function harborAdapter(scope: FastifyInstance, options: ApiOptions): Promise<void> {
  const config = { [harborRouteMarker]: true };
  scope.addContentTypeParser(
    /^application\/vnd\.scanner\.adapter\.scan\.request\+json/,
    { parseAs: 'string' },
    (_request, body, done) => {
      try {
        done(null, JSON.parse(String(body)));
      } catch {
        done(new HarborAdapterError('invalid_request', 'the body is not valid JSON'), undefined);
      }
    },
  );
  scope.setErrorHandler((error, request, reply) => {
    if (isHarborAdapterError(error)) return sendError(reply, errorStatus[error.code], error.message);
    const status = clientStatusOf(error);
    if (status !== undefined)
      return sendError(
        reply,
        status,
        error instanceof SyntaxError ? 'the body is not valid JSON' : 'invalid request',
      );
    request.log.error({ err: error }, 'Harbor adapter request failed');
    return sendError(reply, 500, 'internal error; the x-request-id header finds it in the log');
  });
  scope.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, `no route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`),
  );

  scope.get('/api/v1/metadata', { config, schema: { hide: true } }, async (request, reply) => {
    await projectOf(request, options);
    const builtAt = options.service.vulnerabilityDatabase.database?.status().builtAt;
    return sendJson(reply, 200, harborMimeTypes.metadata, scannerMetadata(builtAt));
  });

  scope.post('/api/v1/scan', { config, schema: { hide: true } }, async (request, reply) => {
    const { projectId, userName } = await projectOf(request, options);
    const parsed = scanRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HarborAdapterError(
        'invalid_request',
        `invalid scan request${issue ? `: ${issue.path.join('.')} ${issue.message}` : ''}`,
      );
    }
    const mimeType = parsed.data.artifact.mime_type;
    if (mimeType !== undefined && !consumedMimeTypes.some((type) => type === mimeType))
      throw new HarborAdapterError(
        'not_capable',
        `Drydock scans ${consumedMimeTypes.join(' and ')} artifacts`,
      );
    const id = await options.service.harbor.accept(projectId, userName, parsed.data);
    return sendJson(reply, 202, harborMimeTypes.scanResponse, { id });
  });

  scope.get(
    '/api/v1/scan/:scan_request_id/report',
    { config, schema: { hide: true } },
    async (request, reply) => {
      const { projectId } = await projectOf(request, options);
      const params = request.params as Readonly<Record<string, string | undefined>>;
      const id = params['scan_request_id'] ?? '';
      const scan = id.length <= 100 ? await options.service.harbor.find(projectId, id) : undefined;
      if (!scan) throw new HarborAdapterError('not_found', 'no scan request with this id');
      const type = reportTypeOf(request.headers.accept);
      if (!type)
        throw new HarborAdapterError(
          'not_capable',
          `Drydock produces ${[harborMimeTypes.harborReport, harborMimeTypes.vulnerabilityReport, harborMimeTypes.sbomReport].join(', ')}`,
        );
      const sbomType = type === harborMimeTypes.sbomReport ? sbomTypeOf(request.query) : undefined;
      if (scan.status === 'queued' || scan.status === 'running')
        return reply.code(302).header('refresh-after', String(refreshAfterSeconds)).send();
      if (scan.status === 'failed' || scan.report === null)
        throw new HarborAdapterError(
          'scan_failed',
          `the scan failed: ${scan.failureMessage ?? scan.failureCode ?? 'unknown'}`,
        );
      // The stored report is the engine's ScanReport, written by HarborScans.
      const report = scan.report as ScanReport;
      const artifact = artifactOf(scan);
      const document = sbomType
        ? harborSbomReport(report, artifact, sbomType)
        : harborVulnerabilityReport(report, artifact);
      return sendJson(reply, 200, type, document);
    },
  );
}

/** Registers the adapter under `harborPrefix`. */
export async function registerHarborAdapter(app: FastifyInstance, options: ApiOptions): Promise<void> {
  await app.register(async (scope) => harborAdapter(scope, options), { prefix: harborPrefix });
}
