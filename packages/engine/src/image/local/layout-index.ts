import { DrydockError } from '../../util/errors.ts';
import type { ScanLimits } from '../../util/limits.ts';
import { parseDigest } from '../digest.ts';
import { parseManifestDocument, platformManifests, type ManifestDocument } from '../document.ts';
import { imageManifestMediaTypes, indexMediaTypes, mediaTypes } from '../media-types.ts';
import type { Descriptor, PlatformManifest } from '../types.ts';
import { readDocumentBlob, throwIfAborted, type BlobStore } from './blob-store.ts';

/**
 * Reading an OCI image layout's entry points and documents
 * (https://github.com/opencontainers/image-spec/blob/main/image-layout.md): the `oci-layout`
 * marker, `index.json` (an image index whose entries name images with the
 * `org.opencontainers.image.ref.name` annotation), and the manifests and indexes it points at.
 */

export const refNameAnnotation = 'org.opencontainers.image.ref.name';

/** How deep indexes may nest (index.json → index → index → manifest). */
const maxIndexDepth = 4;

export type IndexDocument = Extract<ManifestDocument, { kind: 'index' }>;
export type ImageManifestDocument = Extract<ManifestDocument, { kind: 'manifest' }>;

/** Reads `oci-layout` (optional, but must say version 1.x when present) and `index.json` (required). */
export async function readLayoutIndex(
  store: BlobStore,
  limits: ScanLimits,
  signal: AbortSignal,
): Promise<IndexDocument> {
  const marker = await store.readFile('oci-layout', 64 * 1024, signal);
  if (marker) {
    let version: unknown;
    try {
      version = (JSON.parse(marker.toString('utf8')) as { imageLayoutVersion?: unknown }).imageLayoutVersion;
    } catch (error) {
      throw new DrydockError('malformed_image', `oci-layout in ${store.location} is not valid JSON`, {
        reason: 'invalid_layout',
        cause: error,
      });
    }
    if (typeof version !== 'string' || !/^1\.\d+\.\d+$/.test(version)) {
      throw new DrydockError(
        'malformed_image',
        `unsupported OCI image layout version ${JSON.stringify(version)}`,
        {
          reason: 'unsupported_layout_version',
        },
      );
    }
  }
  const bytes = await store.readFile('index.json', limits.maxDocumentBytes, signal);
  if (!bytes) {
    throw new DrydockError(
      'malformed_image',
      `${store.location} is not an OCI image layout: index.json is missing`,
      {
        reason: 'missing_index',
      },
    );
  }
  const document = parseManifestDocument(bytes, mediaTypes.ociIndex, limits);
  if (document.kind !== 'index') {
    throw new DrydockError('malformed_image', `index.json in ${store.location} is not an image index`, {
      reason: 'invalid_index',
    });
  }
  return document;
}

/** Reads and parses the manifest or index a descriptor points at. */
export async function readManifestDocument(
  store: BlobStore,
  descriptor: Pick<Descriptor, 'digest' | 'size'> & { readonly mediaType?: string },
  limits: ScanLimits,
  signal: AbortSignal,
): Promise<ManifestDocument> {
  const bytes = await readDocumentBlob(store, descriptor, limits, signal);
  return parseManifestDocument(bytes, descriptor.mediaType, limits);
}

/** The image platforms of an index, following nested indexes (attestations and artifacts left out). */
export async function flattenIndex(
  store: BlobStore,
  index: IndexDocument,
  limits: ScanLimits,
  signal: AbortSignal,
  depth = 0,
): Promise<PlatformManifest[]> {
  const platforms = platformManifests(index);
  for (const entry of index.manifests) {
    if (!indexMediaTypes.has(entry.mediaType)) continue;
    if (depth >= maxIndexDepth) {
      throw new DrydockError('malformed_image', 'image indexes nest too deeply', {
        reason: 'index_too_deep',
      });
    }
    throwIfAborted(signal);
    const nested = await readManifestDocument(store, entry, limits, signal);
    if (nested.kind !== 'index') continue;
    platforms.push(...(await flattenIndex(store, nested, limits, signal, depth + 1)));
  }
  return platforms;
}

/** Whether a selector names a digest (`sha256:…`) rather than a tag. */
export function isDigestSelector(selector: string): boolean {
  return /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:/.test(selector);
}

export function tagsOf(entries: readonly Descriptor[]): string[] {
  return [...new Set(entries.flatMap((entry) => entry.annotations?.[refNameAnnotation] ?? []))];
}

/**
 * The index.json entries a selector picks: by tag (`ref.name`), by digest, or (no selector) every
 * entry. Digest selectors that name no entry fall back to a blob of the layout (an image inside an
 * index, named by its digest).
 */
export function entriesFor(index: IndexDocument, selector: string | undefined): Descriptor[] {
  if (selector === undefined) return [...index.manifests];
  if (isDigestSelector(selector)) {
    try {
      parseDigest(selector);
    } catch (error) {
      throw new DrydockError('invalid_reference', `invalid digest ${JSON.stringify(selector)}`, {
        reason: 'invalid_digest',
        cause: error,
      });
    }
    return index.manifests.filter((entry) => entry.digest === selector);
  }
  return index.manifests.filter((entry) => entry.annotations?.[refNameAnnotation] === selector);
}

/** Whether several entries are one image per platform (a tag or an index.json naming platform manifests). */
export function arePlatformImages(entries: readonly Descriptor[]): boolean {
  if (entries.some((entry) => !imageManifestMediaTypes.has(entry.mediaType) || entry.platform === undefined))
    return false;
  const keys = entries.map((entry) =>
    JSON.stringify([entry.platform?.os, entry.platform?.architecture, entry.platform?.variant]),
  );
  return new Set(keys).size === keys.length;
}
