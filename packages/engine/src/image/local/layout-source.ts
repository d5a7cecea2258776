import { DrydockError } from '../../util/errors.ts';
import type { ScanLimits } from '../../util/limits.ts';
import { buildImageMetadata, checkConfigMediaType, parseImageConfig } from '../document.ts';
import { mediaTypes } from '../media-types.ts';
import { formatPlatform, platformMatches, selectPlatform } from '../platform.ts';
import type {
  Image,
  ImageMetadata,
  ImageSource,
  Platform,
  PlatformManifest,
  SourceDescription,
} from '../types.ts';
import { openBlob, readDocumentBlob, type BlobStore } from './blob-store.ts';
import { Lazy } from './lazy.ts';
import {
  arePlatformImages,
  entriesFor,
  flattenIndex,
  isDigestSelector,
  readLayoutIndex,
  readManifestDocument,
  tagsOf,
  type ImageManifestDocument,
} from './layout-index.ts';

/**
 * An ImageSource over an OCI image layout, wherever its files live (a directory or a tar):
 * https://github.com/opencontainers/image-spec/blob/main/image-layout.md
 *
 * Selection: a tag picks the `index.json` entries whose `org.opencontainers.image.ref.name` is
 * that tag; a digest picks the entry with that digest, or any manifest or index blob of the layout;
 * no selector picks the only entry. Several entries that are one image manifest per platform
 * (same tag, or an untagged index.json listing platforms) act as one multi-platform index.
 * An entry that is an index (skopeo's `--all` layouts) lists its platforms, nested indexes
 * included. Metadata matches what a registry serving the same image gives: same manifest digest,
 * config and layer digests; the platform comes from the index entry for multi-platform images and
 * from the config otherwise.
 */
export interface LayoutSourceInit {
  readonly kind: 'oci-layout' | 'oci-archive';
  readonly name: string;
  readonly selector: string | undefined;
  readonly limits: ScanLimits;
  readonly openStore: (signal: AbortSignal) => Promise<BlobStore>;
}

type Resolution =
  | {
      readonly kind: 'manifest';
      readonly digest: string;
      readonly manifest: ImageManifestDocument;
      readonly refNames: readonly string[];
    }
  | {
      readonly kind: 'index';
      /** Undefined for a set of index.json entries, which has no blob of its own. */
      readonly digest: string | undefined;
      readonly mediaType: string;
      readonly platforms: readonly PlatformManifest[];
      readonly refNames: readonly string[];
    };

export class LayoutSource implements ImageSource {
  readonly #init: LayoutSourceInit;
  readonly #store: Lazy<BlobStore>;
  readonly #resolution: Lazy<Resolution>;

  constructor(init: LayoutSourceInit) {
    this.#init = init;
    this.#store = new Lazy(init.openStore);
    this.#resolution = new Lazy((signal) => this.#resolve(signal));
  }

  async describe(signal: AbortSignal): Promise<SourceDescription> {
    const resolution = await this.#resolution.get(signal);
    const common = { kind: this.#init.kind, name: this.#init.name, digest: resolution.digest };
    return resolution.kind === 'manifest'
      ? { ...common, mediaType: resolution.manifest.mediaType, platforms: [] }
      : { ...common, mediaType: resolution.mediaType, platforms: resolution.platforms };
  }

  async select(platform: Platform | undefined, signal: AbortSignal): Promise<Image> {
    const resolution = await this.#resolution.get(signal);
    const store = await this.#store.get(signal);
    if (resolution.kind === 'manifest') {
      const image = await this.#image(
        store,
        resolution.manifest,
        resolution.digest,
        undefined,
        resolution.refNames,
        signal,
      );
      if (platform && !platformMatches(image.metadata.platform, platform)) {
        throw new DrydockError(
          'not_found',
          `no image for platform ${formatPlatform(platform)}; the image is ${formatPlatform(image.metadata.platform)}`,
          { reason: 'platform_not_found' },
        );
      }
      return image;
    }
    const chosen = selectPlatform(resolution.platforms, platform);
    const document = await readManifestDocument(store, chosen, this.#init.limits, signal);
    if (document.kind !== 'manifest') {
      throw new DrydockError(
        'malformed_image',
        `${chosen.digest} is listed as an image manifest but is an index`,
        {
          reason: 'invalid_manifest',
        },
      );
    }
    return this.#image(store, document, chosen.digest, chosen.platform, resolution.refNames, signal);
  }

  async close(): Promise<void> {
    const store = await this.#store.peek();
    await store?.close();
  }

  async #resolve(signal: AbortSignal): Promise<Resolution> {
    const { selector, limits } = this.#init;
    const store = await this.#store.get(signal);
    const index = await readLayoutIndex(store, limits, signal);
    const entries = entriesFor(index, selector);
    const [first] = entries;
    if (first === undefined) {
      if (selector !== undefined && isDigestSelector(selector)) {
        // Not named in index.json: any manifest or index blob of the layout, by digest.
        const document = await readManifestDocument(
          store,
          { digest: selector, size: -1 },
          limits,
          signal,
        ).catch((error: unknown) => {
          if (error instanceof DrydockError && error.reason === 'blob_not_found') {
            throw new DrydockError('not_found', `no image ${selector} in ${store.location}`, {
              reason: 'manifest_not_found',
              cause: error,
            });
          }
          throw error;
        });
        return document.kind === 'manifest'
          ? { kind: 'manifest', digest: selector, manifest: document, refNames: [] }
          : {
              kind: 'index',
              digest: selector,
              mediaType: document.mediaType,
              platforms: await flattenIndex(store, document, limits, signal),
              refNames: [],
            };
      }
      const tags = tagsOf(index.manifests);
      throw new DrydockError(
        'not_found',
        selector === undefined
          ? `${store.location} holds no image`
          : `no image tagged ${JSON.stringify(selector)} in ${store.location}; tags: ${tags.join(', ') || 'none'}`,
        { reason: selector === undefined ? 'empty_layout' : 'tag_not_found', details: { tags } },
      );
    }
    if (entries.length > 1) {
      // Tagged entries named by their tag, or an untagged index.json listing platform manifests.
      const untagged = tagsOf(entries).length === 0;
      if (arePlatformImages(entries) && (selector !== undefined || untagged)) {
        return {
          kind: 'index',
          digest: undefined,
          mediaType: mediaTypes.ociIndex,
          platforms: entries.map((entry) => ({
            platform: entry.platform ?? { os: 'linux', architecture: 'amd64' },
            digest: entry.digest,
            mediaType: entry.mediaType,
            size: entry.size,
          })),
          refNames: selector === undefined || isDigestSelector(selector) ? [] : [selector],
        };
      }
      const tags = tagsOf(entries);
      throw new DrydockError(
        'invalid_reference',
        `${store.location} holds ${entries.length} images${selector ? ` named ${JSON.stringify(selector)}` : ''}; name one by tag or digest (tags: ${tags.join(', ') || 'none'})`,
        { reason: 'ambiguous_image', details: { tags, digests: entries.map((entry) => entry.digest) } },
      );
    }
    const document = await readManifestDocument(store, first, limits, signal);
    const refNames = tagsOf(index.manifests.filter((entry) => entry.digest === first.digest));
    if (document.kind === 'manifest')
      return { kind: 'manifest', digest: first.digest, manifest: document, refNames };
    return {
      kind: 'index',
      digest: first.digest,
      mediaType: document.mediaType,
      platforms: await flattenIndex(store, document, limits, signal),
      refNames,
    };
  }

  async #image(
    store: BlobStore,
    manifest: ImageManifestDocument,
    manifestDigest: string,
    platform: Platform | undefined,
    repoTags: readonly string[],
    signal: AbortSignal,
  ): Promise<Image> {
    const { limits, name } = this.#init;
    checkConfigMediaType(manifest.config);
    const config = parseImageConfig(await readDocumentBlob(store, manifest.config, limits, signal), limits);
    const metadata = buildImageMetadata(
      { name, manifestDigest, manifest, config, repoTags, ...(platform ? { platform } : {}) },
      limits,
    );
    return blobImage(metadata, store);
  }
}

/** An Image whose layers are blobs of a store, verified as they stream. */
export function blobImage(metadata: ImageMetadata, store: BlobStore): Image {
  return {
    metadata,
    openLayer: async (index, signal) => {
      const layer = metadata.layers[index];
      if (!layer)
        throw new DrydockError('internal_error', `the image has no layer ${index}`, {
          reason: 'layer_index',
        });
      return openBlob(store, layer, signal);
    },
  };
}
