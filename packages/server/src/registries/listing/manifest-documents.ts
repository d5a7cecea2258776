import { formatPlatform } from '@drydock/engine';
import { z } from 'zod';

/**
 * What listing reads from manifests, indexes and image configs: sizes, platforms and the creation
 * time. The scanner parses the same documents strictly (engine image/document.ts); listing is
 * lenient and only needs these fields. Specs: OCI image-spec manifest.md, image-index.md,
 * config.md (https://github.com/opencontainers/image-spec), Docker image manifest v2 schema 2.
 */

/** Manifest media types a listing asks for (the engine's accepted set, in its order of preference). */
export const manifestAccept = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export const indexMediaTypes: ReadonlySet<string> = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

export const schema1MediaTypes: ReadonlySet<string> = new Set([
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);

/** Config media types of container images; other configs (Helm charts, signatures) are not read. */
export const imageConfigMediaTypes: ReadonlySet<string> = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
]);

const descriptor = z.object({
  mediaType: z.string().optional(),
  digest: z.string(),
  size: z.number().int().nonnegative(),
});

const indexSchema = z.object({
  mediaType: z.string().optional(),
  manifests: z.array(
    descriptor.extend({
      platform: z
        .object({ os: z.string(), architecture: z.string(), variant: z.string().optional() })
        .optional(),
      annotations: z.record(z.string(), z.string()).optional(),
    }),
  ),
});

const manifestSchema = z.object({
  mediaType: z.string().optional(),
  config: descriptor,
  layers: z.array(descriptor).default([]),
});

const configSchema = z.object({ created: z.string().optional() });

export type ParsedDocument =
  | { readonly kind: 'index'; readonly children: readonly IndexChild[] }
  | {
      readonly kind: 'manifest';
      readonly config: { readonly mediaType: string; readonly digest: string; readonly size: number };
      readonly size: number;
    }
  | { readonly kind: 'other' };

export interface IndexChild {
  /** `os/architecture[/variant]`. */
  readonly platform: string;
  readonly digest: string;
}

/**
 * Attestation manifests (BuildKit's provenance and SBOM) sit in indexes with platform
 * `unknown/unknown` and annotation `vnd.docker.reference.type`; they are not images to scan.
 */
function isImageEntry(entry: z.infer<typeof indexSchema>['manifests'][number]): boolean {
  if (entry.platform === undefined) return false;
  if (entry.platform.os === 'unknown' || entry.platform.architecture === 'unknown') return false;
  return entry.annotations?.['vnd.docker.reference.type'] === undefined;
}

/** Reads a manifest or index; `other` for JSON that is neither (or not JSON). */
export function parseDocument(bytes: Buffer, mediaType: string): ParsedDocument {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { kind: 'other' };
  }
  const index = indexSchema.safeParse(json);
  if (index.success && (indexMediaTypes.has(mediaType) || indexMediaTypes.has(index.data.mediaType ?? ''))) {
    return {
      kind: 'index',
      children: index.data.manifests.filter(isImageEntry).map((entry) => ({
        platform: formatPlatform(entry.platform ?? { os: '', architecture: '' }),
        digest: entry.digest,
      })),
    };
  }
  const manifest = manifestSchema.safeParse(json);
  if (manifest.success) {
    const { config, layers } = manifest.data;
    return {
      kind: 'manifest',
      config: { mediaType: config.mediaType ?? '', digest: config.digest, size: config.size },
      size: config.size + layers.reduce((sum, layer) => sum + layer.size, 0),
    };
  }
  return { kind: 'other' };
}

/** The image config's `created`, or null when absent or not a date. */
export function configCreated(bytes: Buffer): Date | null {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  const parsed = configSchema.safeParse(json);
  return parsed.success ? parseTime(parsed.data.created) : null;
}

/** An API's timestamp as a Date; null for absent, empty or unreadable values (and Go's zero time). */
export function parseTime(value: string | null | undefined): Date | null {
  if (!value) return null;
  const time = Date.parse(value);
  if (Number.isNaN(time) || time <= Date.UTC(1970, 0, 2)) return null;
  return new Date(time);
}
