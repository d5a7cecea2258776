import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { uploadedReportSchema } from '../../ci/ci-report-upload.ts';
import { CiScans } from '../../ci/ci-scans.ts';
import { ServiceError } from '../../service-error.ts';
import { riskLevels } from '../../store/schema.ts';
import type { DrydockService } from '../../service.ts';
import { defineRoute } from '../route.ts';
import { idSchema, pagingQuery, projectParams, text } from '../schemas/common.ts';
import { riskCountsSchema } from '../schemas/image-schemas.ts';

/**
 * CI scans (issue 11 item 2): `drydock image --server` uploads the JSON report of a scan it ran in
 * a pipeline; the service stores it, bills it as a CI scan and lists it beside the tasks.
 */

/** Reports of large images with many findings run to megabytes; 32 MiB leaves room. */
export const ciReportBodyLimit = 32 * 1024 * 1024;

/** The header that makes a retried upload the first one (IETF draft `Idempotency-Key`). */
export const idempotencyKeyHeader = 'idempotency-key';

const ciScanFields = {
  id: z.string(),
  projectId: z.string(),
  reference: z.string().describe('The image as the CLI named it'),
  digest: z.string().nullable().describe('null for a local source without a digest'),
  platforms: z.array(z.string()).describe('Scanned platforms as os/arch[/variant]'),
  riskCounts: riskCountsSchema,
  riskLevel: z.enum(riskLevels),
  uploadedBy: z.string().describe('The user whose token or session uploaded it'),
  createdAt: z.date(),
};

const ciScanSchema = z.object(ciScanFields).meta({ id: 'CiScan' });

const ciScanParams = z.strictObject({ projectId: idSchema, ciScanId: idSchema });
const tags = ['ci scans'];

function ciScans(service: DrydockService): CiScans {
  return new CiScans(service.db, service.meter, service.clock);
}

/** The `Idempotency-Key` header: 1 to 255 visible ASCII characters, or absent. */
function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const value = request.headers[idempotencyKeyHeader];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(value))
    throw new ServiceError('invalid_request', 'Idempotency-Key must be 1 to 255 visible ASCII characters', {
      issues: [{ path: 'Idempotency-Key', message: 'invalid header' }],
    });
  return value;
}

export const ciScanRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/projects/:projectId/ci-scans',
    operationId: 'uploadCiScan',
    summary: 'Upload the JSON report of a scan run in CI (drydock image --server)',
    description:
      'Stores the report, bills one CI scan per scanned platform and answers the stored scan. Send an `Idempotency-Key` header to make retries safe: an upload with a key already used in the project stores and bills nothing and answers the first upload (with `Idempotent-Replayed: true`); the same key with another image is 409 `conflict`. Secrets in the report must be masked as `drydock image` masks them, else 400. Bodies up to 32 MiB.',
    tags,
    permission: 'images:set',
    params: projectParams,
    body: z.strictObject({ report: uploadedReportSchema }),
    bodyLimit: ciReportBodyLimit,
    status: 201,
    reply: ciScanSchema,
    handler: async ({ service, params, body, principal, request, reply, audit }) => {
      const idempotencyKey = idempotencyKeyOf(request);
      const { scan, replayed } = await ciScans(service).upload(params.projectId, {
        report: body.report,
        uploadedBy: principal.userName,
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      });
      if (replayed) {
        reply.header('idempotent-replayed', 'true');
        return scan;
      }
      await audit({
        projectId: params.projectId,
        action: 'ci_scan.upload',
        objectType: 'ci_scan',
        objectId: scan.id,
        details: {
          reference: scan.reference,
          digest: scan.digest,
          platforms: scan.platforms,
          riskLevel: scan.riskLevel,
        },
      });
      return scan;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/ci-scans',
    operationId: 'listCiScans',
    summary: 'Uploaded CI scans, newest first',
    tags,
    permission: 'images:list',
    params: projectParams,
    querystring: z.strictObject({
      reference: text(1024).optional().describe('Substring of the reference, case-insensitive'),
      ...pagingQuery,
    }),
    reply: z.object({
      total: z.number(),
      offset: z.number(),
      limit: z.number(),
      ciScans: z.array(ciScanSchema),
    }),
    handler: async ({ service, params, query }) => ciScans(service).list(params.projectId, query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/ci-scans/:ciScanId',
    operationId: 'getCiScan',
    summary: 'One CI scan with its report',
    tags,
    permission: 'images:get',
    params: ciScanParams,
    reply: z
      .object({
        ...ciScanFields,
        report: z.unknown().describe('The uploaded JSON report (secrets masked, their hashes not kept)'),
      })
      .meta({ id: 'CiScanWithReport' }),
    handler: async ({ service, params }) => ciScans(service).get(params.projectId, params.ciScanId),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/projects/:projectId/ci-scans/:ciScanId/report',
    operationId: 'downloadCiScanReport',
    summary: 'The uploaded JSON report as a file',
    tags,
    permission: 'images:get',
    params: ciScanParams,
    reply: z.string(),
    replyContentTypes: ['application/json'],
    handler: async ({ service, params, reply }) => {
      const scan = await ciScans(service).get(params.projectId, params.ciScanId);
      reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="drydock-ci-scan-${scan.id}.json"`)
        .header('x-content-type-options', 'nosniff');
      return `${JSON.stringify(scan.report, null, 2)}\n`;
    },
  }),
];
