import { toolVersion } from '@drydock/engine';
import { z } from 'zod';

/**
 * Facts of Harbor's pluggable scanner API (goharbor/pluggable-scanner-spec,
 * api/spec/scanner-adapter-openapi-v1.0.yaml to v1.2.yaml): the MIME types, the scan request
 * document and the metadata Drydock answers with. Harbor registers a scanner by a base URL and
 * calls `{base}/api/v1/metadata`, `{base}/api/v1/scan` and `{base}/api/v1/scan/{id}/report`.
 */

export const harborMimeTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  metadata: 'application/vnd.scanner.adapter.metadata+json; version=1.1',
  scanResponse: 'application/vnd.scanner.adapter.scan.response+json; version=1.0',
  error: 'application/vnd.scanner.adapter.error+json; version=1.0',
  /** The report type of spec 1.0 (Harbor up to 2.0). */
  harborReport: 'application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0',
  /** The report type of spec 1.1 (Harbor 2.1 and later); the same document. */
  vulnerabilityReport: 'application/vnd.security.vulnerability.report; version=1.1',
  /** The SBOM report of spec 1.2; `sbom_media_type` picks its format. */
  sbomReport: 'application/vnd.security.sbom.report+json; version=1.0',
} as const;

export const sbomMediaTypes = ['application/spdx+json', 'application/vnd.cyclonedx+json'] as const;
export type SbomMediaType = (typeof sbomMediaTypes)[number];

/** The report types Drydock produces, as Harbor names them in `Accept`. */
export const reportMimeTypes = [
  harborMimeTypes.harborReport,
  harborMimeTypes.vulnerabilityReport,
  harborMimeTypes.sbomReport,
] as const;
export type ReportMimeType = (typeof reportMimeTypes)[number];

/** `a; version=1.1` and `a;version=1.1` are one type: compare without blanks, case-insensitively. */
function normalMime(value: string): string {
  return value.replaceAll(/\s+/g, '').toLowerCase();
}

/**
 * The report type an `Accept` value asks for; a missing or wildcard Accept means the Harbor
 * vulnerability report (what spec 1.0 clients expect). undefined: a type Drydock does not produce.
 */
export function reportTypeOf(accept: string | undefined): ReportMimeType | undefined {
  const asked = (accept ?? '').split(',').map((part) => normalMime(part));
  if (asked.every((part) => part === '' || part === '*/*' || part.startsWith('*/*;')))
    return harborMimeTypes.harborReport;
  for (const part of asked) {
    const found = reportMimeTypes.find((type) => normalMime(type) === part);
    if (found) return found;
  }
  return undefined;
}

const capabilityTypes = ['vulnerability', 'sbom'] as const;

/**
 * The ScanRequest document. Unknown fields are tolerated (later spec versions add some); the
 * registry URL must be http(s) and the artifact must name a repository and a digest.
 */
export const scanRequestSchema = z.object({
  registry: z.object({
    url: z.string().min(1).max(2048),
    authorization: z.string().max(16_384).optional(),
  }),
  artifact: z.object({
    repository: z.string().min(1).max(512),
    digest: z.string().regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/, 'not a digest'),
    tag: z.string().max(256).optional(),
    mime_type: z.string().max(256).optional(),
  }),
  enabled_capabilities: z
    .array(
      z.object({
        type: z.enum(capabilityTypes),
        produces_mime_types: z.array(z.string().max(256)).max(16).optional(),
        parameters: z.object({ sbom_media_types: z.array(z.enum(sbomMediaTypes)).optional() }).optional(),
      }),
    )
    .max(8)
    .optional(),
});
export type ScanRequest = z.output<typeof scanRequestSchema>;

/** The artifact MIME types Drydock scans (image manifests; Harbor sends the digest of one). */
export const consumedMimeTypes = [harborMimeTypes.ociManifest, harborMimeTypes.dockerManifest] as const;

export const scannerInfo = { name: 'Drydock', vendor: 'Drydock', version: toolVersion } as const;

/**
 * The ScannerAdapterMetadata answer. `databaseBuiltAt`: when the vulnerability database in use was
 * built (the `vulnerability-database-updated-at` property); undefined without one.
 */
export function scannerMetadata(databaseBuiltAt: string | undefined) {
  return {
    scanner: scannerInfo,
    capabilities: [
      {
        type: 'vulnerability',
        consumes_mime_types: [...consumedMimeTypes],
        produces_mime_types: [harborMimeTypes.harborReport, harborMimeTypes.vulnerabilityReport],
      },
      {
        type: 'sbom',
        consumes_mime_types: [...consumedMimeTypes],
        produces_mime_types: [harborMimeTypes.sbomReport],
        additional_attributes: { sbom_media_types: [...sbomMediaTypes] },
      },
    ],
    properties: {
      'harbor.scanner-adapter/scanner-type': 'os-package-vulnerability',
      ...(databaseBuiltAt
        ? { 'harbor.scanner-adapter/vulnerability-database-updated-at': databaseBuiltAt }
        : {}),
    },
  };
}
