import {
  formatCycloneDx,
  formatPlatform,
  formatSpdx,
  toolVersion,
  type ImageReport,
  type ScanReport,
} from '@drydock/engine';
import { ServiceError } from '../service-error.ts';
import type { HandledReport, ImageResults, PlatformResult } from './current-results.ts';

/**
 * One image's software inventory as a standard SBOM document (PRODUCT.md 4, "software information
 * with export to CycloneDX and SPDX"): the documents `drydock image --format cyclonedx|spdx-json`
 * writes, built by the same engine functions from the platform's current stored result.
 *
 * Only the inventory goes in: the image's identity (platform and digests), its operating system
 * and its packages. The engine's CycloneDX writer would also list the report's vulnerabilities;
 * they are left out here because the stored findings carry no project handling, so an ignored or
 * false-positive finding would read as open in the document (findings with their handling are in
 * the report, the risk views and the exports). Secrets, malware, baseline and compliance results
 * are not inventory and never reach the formatters.
 */

export const sbomFormats = ['cyclonedx', 'spdx-json'] as const;
export type SbomFormat = (typeof sbomFormats)[number];

/**
 * Registered media types: CycloneDX's (https://www.iana.org/assignments/media-types/application/vnd.cyclonedx+json)
 * and SPDX's (https://www.iana.org/assignments/media-types/application/spdx+json).
 */
export const sbomContentTypes = {
  cyclonedx: 'application/vnd.cyclonedx+json',
  'spdx-json': 'application/spdx+json',
} as const satisfies Readonly<Record<SbomFormat, string>>;

/** The file name endings each format's tools recognise (`*.cdx.json`, `*.spdx.json`). */
const extensions: Readonly<Record<SbomFormat, string>> = {
  cyclonedx: 'cdx.json',
  'spdx-json': 'spdx.json',
};

export interface SbomRequest {
  readonly format: SbomFormat;
  /**
   * `os/arch[/variant]` of the result to describe. Needed when the image has several scanned
   * platforms; a single-platform image (stored under '') also answers to its own platform's name.
   */
  readonly platform?: string | undefined;
}

export interface ImageSbom {
  /** The document's text (JSON). */
  readonly content: string;
  readonly contentType: (typeof sbomContentTypes)[SbomFormat];
  /** Letters, digits, `.`, `_` and `-` only: safe in a Content-Disposition header unquoted or quoted. */
  readonly fileName: string;
  /** The platform the document describes (`os/arch[/variant]`). */
  readonly platform: string;
}

/** The name a result is asked for by: its stored platform, or the report's own for a single-platform image. */
function platformName(entry: PlatformResult): string {
  return entry.result.platform === '' ? formatPlatform(entry.report.platform) : entry.result.platform;
}

/**
 * The result the document describes. `conflict` when the image has no result (never scanned, or
 * every scan failed: each successful scan stores the inventory, which no scan setting leaves
 * out); `invalid_request` naming the platforms when several were scanned and none was named;
 * `not_found` for a platform without a result.
 */
export function sbomPlatform(results: ImageResults, platform: string | undefined): PlatformResult {
  const { image, platforms } = results;
  const names = platforms.map(platformName);
  const [only] = platforms;
  if (only === undefined)
    throw new ServiceError(
      'conflict',
      `image ${image.repository}:${image.tag} has no scan result yet: scan it to get its SBOM`,
      { imageId: image.id },
    );
  if (platform === undefined || platform === '') {
    if (platforms.length === 1) return only;
    const message = `the image has ${platforms.length} scanned platforms: name one in platform (${names.join(', ')})`;
    throw new ServiceError('invalid_request', message, {
      issues: [{ path: 'platform', message }],
      platforms: names,
    });
  }
  const found = platforms.find(
    (entry) => entry.result.platform === platform || platformName(entry) === platform,
  );
  if (found === undefined)
    throw new ServiceError(
      'not_found',
      `image ${image.repository}:${image.tag} has no result for platform ${platform}`,
      { what: 'platform', id: platform, platforms: names },
    );
  return found;
}

/**
 * The report as the formatters see it: identity, operating system and packages, every other part
 * empty, so that no formatter (today's or a later one) can carry findings or configuration into
 * an SBOM.
 */
function inventoryOf(report: HandledReport): ImageReport {
  return {
    platform: report.platform,
    manifestDigest: report.manifestDigest,
    configDigest: report.configDigest,
    repoTags: report.repoTags,
    created: report.created,
    config: {
      user: undefined,
      env: [],
      entrypoint: [],
      cmd: [],
      workingDir: undefined,
      exposedPorts: [],
      labels: {},
      healthcheck: undefined,
    },
    os: report.os,
    layers: [],
    packages: report.packages,
    vulnerabilities: undefined,
    files: {
      files: 0,
      directories: 0,
      symlinks: 0,
      totalBytes: 0,
      largest: [],
      setuid: [],
      setgid: [],
      worldWritable: [],
    },
    diagnostics: [],
    durationMs: report.durationMs,
  };
}

function fileNamePart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
}

/**
 * The SBOM of one platform of an image. The document is dated when the scan stored the result
 * (what it describes was seen then), so downloading it again gives the same inventory and time;
 * only the serial number (CycloneDX) or namespace (SPDX), unique per document, differ.
 */
export function imageSbom(results: ImageResults, request: SbomRequest): ImageSbom {
  const entry = sbomPlatform(results, request.platform);
  const { image } = results;
  const platform = platformName(entry);
  const report: ScanReport = {
    schemaVersion: 1,
    tool: { name: 'drydock', version: toolVersion },
    createdAt: entry.result.createdAt.toISOString(),
    artifact: {
      name: `${image.repository}:${image.tag}`,
      kind: 'registry',
      digest: image.digest,
      // The stored result keeps no manifest media type; neither format writes the artifact's.
      mediaType: '',
      platforms: [],
    },
    images: [inventoryOf(entry.report)],
  };
  const content = request.format === 'cyclonedx' ? formatCycloneDx(report) : formatSpdx(report);
  const stem = [image.repository, image.tag, platform].map(fileNamePart).join('_');
  return {
    content,
    contentType: sbomContentTypes[request.format],
    fileName: `${stem}.${extensions[request.format]}`,
    platform,
  };
}
