import { z } from 'zod';
import { DrydockError } from '../util/errors.ts';
import type { ScanLimits } from '../util/limits.ts';
import {
  imageManifestMediaTypes,
  indexMediaTypes,
  layerCompressionOf,
  mediaTypes,
  schema1MediaTypes,
} from './media-types.ts';
import type {
  Descriptor,
  HistoryEntry,
  ImageConfig,
  ImageMetadata,
  LayerDescriptor,
  Platform,
  PlatformManifest,
} from './types.ts';

/**
 * Parsers for the JSON documents of an image: the image index / Docker manifest list, the image
 * manifest (OCI image spec `manifest.md`, `image-index.md`; Docker "Image Manifest V2, Schema 2")
 * and the image configuration (`config.md`). Untrusted input: every field is validated and every
 * problem is a typed DrydockError, never a crash.
 */

const digestString = z.string().regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/);

const platformSchema = z.object({
  os: z.string(),
  architecture: z.string(),
  variant: z.string().optional(),
  'os.version': z.string().optional(),
});

const descriptorSchema = z.object({
  mediaType: z.string().optional(),
  digest: digestString,
  size: z.number().int().nonnegative(),
  platform: platformSchema.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  artifactType: z.string().optional(),
});

const indexSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  manifests: z.array(descriptorSchema),
});

const manifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
});

export type ManifestDocument =
  | { readonly kind: 'index'; readonly mediaType: string; readonly manifests: readonly Descriptor[] }
  | {
      readonly kind: 'manifest';
      readonly mediaType: string;
      readonly config: Descriptor;
      readonly layers: readonly Descriptor[];
    };

function parseJson(bytes: Buffer, what: string, limits: ScanLimits): unknown {
  if (bytes.length > limits.maxDocumentBytes) {
    throw new DrydockError('malformed_image', `${what} is ${bytes.length} bytes, more than the limit`, {
      reason: 'document_too_large',
    });
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new DrydockError('malformed_image', `${what} is not valid JSON`, {
      reason: 'not_json',
      cause: error,
    });
  }
}

function toPlatform(platform: z.infer<typeof platformSchema> | undefined): Platform | undefined {
  if (!platform) return undefined;
  return {
    os: platform.os,
    architecture: platform.architecture,
    ...(platform.variant ? { variant: platform.variant } : {}),
    ...(platform['os.version'] ? { osVersion: platform['os.version'] } : {}),
  };
}

function toDescriptor(raw: z.infer<typeof descriptorSchema>, fallbackMediaType: string): Descriptor {
  const platform = toPlatform(raw.platform);
  return {
    mediaType: raw.mediaType ?? fallbackMediaType,
    digest: raw.digest,
    size: raw.size,
    ...(platform ? { platform } : {}),
    ...(raw.annotations ? { annotations: raw.annotations } : {}),
    ...(raw.artifactType ? { artifactType: raw.artifactType } : {}),
  };
}

function schemaError(what: string, error: z.ZodError): DrydockError {
  const first = error.issues[0];
  const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid';
  return new DrydockError('malformed_image', `${what} is not a valid document (${where})`, {
    reason: 'invalid_document',
  });
}

/**
 * Parses a manifest or index. `declaredMediaType` is what the transport said (HTTP Content-Type,
 * an OCI layout descriptor); the document's own `mediaType` and shape decide when it is absent.
 */
export function parseManifestDocument(
  bytes: Buffer,
  declaredMediaType: string | undefined,
  limits: ScanLimits,
): ManifestDocument {
  const json = parseJson(bytes, 'manifest', limits);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new DrydockError('malformed_image', 'manifest is not a JSON object', {
      reason: 'invalid_document',
    });
  }
  const record = json as Record<string, unknown>;
  const declared = declaredMediaType?.split(';')[0]?.trim();
  const ownMediaType = typeof record['mediaType'] === 'string' ? record['mediaType'] : undefined;
  if (
    record['schemaVersion'] === 1 ||
    (declared !== undefined && schema1MediaTypes.has(declared)) ||
    (ownMediaType !== undefined && schema1MediaTypes.has(ownMediaType))
  ) {
    throw new DrydockError(
      'schema_v1_not_supported',
      'Docker image manifest schema 1 is deprecated and not supported',
      {
        reason: 'schema_v1',
      },
    );
  }
  const mediaType =
    ownMediaType ??
    (declared && declared !== 'application/json' && declared !== 'application/octet-stream'
      ? declared
      : undefined) ??
    ('manifests' in record ? mediaTypes.ociIndex : mediaTypes.ociManifest);

  if (indexMediaTypes.has(mediaType) || (!imageManifestMediaTypes.has(mediaType) && 'manifests' in record)) {
    const parsed = indexSchema.safeParse(json);
    if (!parsed.success) throw schemaError('image index', parsed.error);
    return {
      kind: 'index',
      mediaType,
      manifests: parsed.data.manifests.map((entry) => toDescriptor(entry, mediaTypes.ociManifest)),
    };
  }
  if (!imageManifestMediaTypes.has(mediaType)) {
    throw new DrydockError('unsupported_media_type', `unsupported manifest media type ${mediaType}`, {
      reason: 'manifest_media_type',
      details: { mediaType },
    });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw schemaError('image manifest', parsed.error);
  const docker = mediaType === mediaTypes.dockerManifest;
  return {
    kind: 'manifest',
    mediaType,
    config: toDescriptor(parsed.data.config, docker ? mediaTypes.dockerConfig : mediaTypes.ociConfig),
    layers: parsed.data.layers.map((layer) =>
      toDescriptor(layer, docker ? mediaTypes.dockerLayerGzip : mediaTypes.ociLayerGzip),
    ),
  };
}

const attestationReferenceType = 'vnd.docker.reference.type';

/**
 * The image platforms of an index: attestation manifests (BuildKit's `unknown/unknown` entries),
 * nested indexes and artifacts are left out.
 */
export function platformManifests(index: Extract<ManifestDocument, { kind: 'index' }>): PlatformManifest[] {
  return index.manifests
    .filter((entry) => imageManifestMediaTypes.has(entry.mediaType))
    .filter((entry) => entry.annotations?.[attestationReferenceType] !== 'attestation-manifest')
    .filter((entry) => entry.platform === undefined || entry.platform.os !== 'unknown')
    .map((entry) => ({
      platform: entry.platform ?? { os: 'linux', architecture: 'amd64' },
      digest: entry.digest,
      mediaType: entry.mediaType,
      size: entry.size,
    }));
}

const stringArray = z.array(z.string()).nullish();

const configSchema = z.object({
  architecture: z.string().default(''),
  os: z.string().default(''),
  variant: z.string().optional(),
  created: z.string().optional(),
  author: z.string().optional(),
  config: z
    .object({
      User: z.string().optional(),
      Env: stringArray,
      Entrypoint: stringArray,
      Cmd: stringArray,
      WorkingDir: z.string().optional(),
      ExposedPorts: z.record(z.string(), z.unknown()).nullish(),
      Volumes: z.record(z.string(), z.unknown()).nullish(),
      Labels: z.record(z.string(), z.string()).nullish(),
      StopSignal: z.string().optional(),
      Healthcheck: z.object({ Test: stringArray }).passthrough().nullish(),
    })
    .passthrough()
    .nullish(),
  rootfs: z.object({ type: z.string(), diff_ids: z.array(digestString) }),
  history: z
    .array(
      z.object({
        created: z.string().optional(),
        created_by: z.string().optional(),
        author: z.string().optional(),
        comment: z.string().optional(),
        empty_layer: z.boolean().optional(),
      }),
    )
    .nullish(),
});

/** Parses an image configuration (OCI `config.md`, also Docker's `container.image.v1`). */
export function parseImageConfig(bytes: Buffer, limits: ScanLimits): ImageConfig {
  const parsed = configSchema.safeParse(parseJson(bytes, 'image configuration', limits));
  if (!parsed.success) throw schemaError('image configuration', parsed.error);
  const raw = parsed.data;
  const container = raw.config ?? {};
  const healthTest = container.Healthcheck?.Test ?? undefined;
  return {
    architecture: raw.architecture,
    os: raw.os,
    ...(raw.variant ? { variant: raw.variant } : {}),
    ...(raw.created ? { created: raw.created } : {}),
    ...(raw.author ? { author: raw.author } : {}),
    ...(container.User !== undefined ? { user: container.User } : {}),
    env: container.Env ?? [],
    entrypoint: container.Entrypoint ?? [],
    cmd: container.Cmd ?? [],
    ...(container.WorkingDir ? { workingDir: container.WorkingDir } : {}),
    exposedPorts: Object.keys(container.ExposedPorts ?? {}),
    volumes: Object.keys(container.Volumes ?? {}),
    labels: container.Labels ?? {},
    ...(container.StopSignal ? { stopSignal: container.StopSignal } : {}),
    ...(healthTest && healthTest.length > 0 ? { healthcheck: { test: healthTest } } : {}),
    diffIds: raw.rootfs.diff_ids,
    history: (raw.history ?? []).map((entry): HistoryEntry => ({
      ...(entry.created ? { created: entry.created } : {}),
      ...(entry.created_by ? { createdBy: entry.created_by } : {}),
      ...(entry.author ? { author: entry.author } : {}),
      ...(entry.comment ? { comment: entry.comment } : {}),
      emptyLayer: entry.empty_layer === true,
    })),
  };
}

/** Checks the limits that descriptors let us check before any layer is downloaded. */
export function checkDescriptorLimits(layers: readonly Descriptor[], limits: ScanLimits): void {
  if (layers.length > limits.maxLayers) {
    throw new DrydockError(
      'too_many_layers',
      `the image has ${layers.length} layers, more than the limit of ${limits.maxLayers}`,
      {
        details: { layers: layers.length, limit: limits.maxLayers },
      },
    );
  }
  let total = 0;
  for (const layer of layers) {
    if (layer.size > limits.maxLayerBytes) {
      throw new DrydockError(
        'layer_too_large',
        `layer ${layer.digest} is ${layer.size} bytes, more than the limit`,
        {
          reason: 'compressed_size',
          details: { digest: layer.digest, size: layer.size, limit: limits.maxLayerBytes },
        },
      );
    }
    total += layer.size;
  }
  if (total > limits.maxImageBytes) {
    throw new DrydockError('image_too_large', `the image is ${total} bytes, more than the limit`, {
      reason: 'compressed_size',
      details: { size: total, limit: limits.maxImageBytes },
    });
  }
}

/** Layer media types that are not filesystem layers make the image unsupported, not silently partial. */
function checkLayerMediaTypes(layers: readonly Descriptor[]): void {
  for (const layer of layers) {
    if (layerCompressionOf(layer.mediaType) === undefined) {
      throw new DrydockError('unsupported_media_type', `unsupported layer media type ${layer.mediaType}`, {
        reason: 'layer_media_type',
        details: { mediaType: layer.mediaType, digest: layer.digest },
      });
    }
  }
}

const configMediaTypes: ReadonlySet<string> = new Set([mediaTypes.ociConfig, mediaTypes.dockerConfig]);

export function checkConfigMediaType(config: Descriptor): void {
  if (!configMediaTypes.has(config.mediaType)) {
    throw new DrydockError(
      'unsupported_media_type',
      `not a container image: config media type ${config.mediaType}`,
      {
        reason: 'config_media_type',
        details: { mediaType: config.mediaType },
      },
    );
  }
}

/** The build instruction of each non-empty layer, in order (history entries marked empty_layer made none). */
function layerInstructions(history: readonly HistoryEntry[], layerCount: number): (string | undefined)[] {
  const instructions = history.filter((entry) => !entry.emptyLayer).map((entry) => entry.createdBy);
  // When history and layers disagree (squashed or hand-made images), only trust a one-to-one match.
  return instructions.length === layerCount
    ? instructions
    : Array.from({ length: layerCount }, () => undefined);
}

export interface ImageParts {
  readonly name: string;
  readonly manifestDigest: string | undefined;
  readonly manifest: Extract<ManifestDocument, { kind: 'manifest' }>;
  readonly config: ImageConfig;
  readonly repoTags: readonly string[];
  /** The platform the index named, when there was one. */
  readonly platform?: Platform;
}

/** Joins manifest and configuration into the metadata of one image, checking they agree. */
export function buildImageMetadata(parts: ImageParts, limits: ScanLimits): ImageMetadata {
  const { manifest, config } = parts;
  checkConfigMediaType(manifest.config);
  checkLayerMediaTypes(manifest.layers);
  checkDescriptorLimits(manifest.layers, limits);
  if (config.diffIds.length !== manifest.layers.length) {
    throw new DrydockError(
      'malformed_image',
      `the manifest lists ${manifest.layers.length} layers but the configuration ${config.diffIds.length} diff ids`,
      { reason: 'layer_count_mismatch' },
    );
  }
  const instructions = layerInstructions(config.history, manifest.layers.length);
  const layers: LayerDescriptor[] = manifest.layers.map((layer, index) => ({
    index,
    digest: layer.digest,
    diffId: config.diffIds[index],
    mediaType: layer.mediaType,
    size: layer.size,
    createdBy: instructions[index],
  }));
  const platform: Platform = parts.platform ?? {
    os: config.os || 'linux',
    architecture: config.architecture || 'unknown',
    ...(config.variant ? { variant: config.variant } : {}),
  };
  return {
    name: parts.name,
    manifestDigest: parts.manifestDigest,
    manifestMediaType: manifest.mediaType,
    configDigest: manifest.config.digest,
    config,
    layers,
    platform,
    repoTags: parts.repoTags,
  };
}
