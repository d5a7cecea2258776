import type { Readable } from 'node:stream';
import { DrydockError } from '../../util/errors.ts';
import { resolveLimits, type ScanLimits } from '../../util/limits.ts';
import {
  buildImageMetadata,
  checkConfigMediaType,
  checkDescriptorLimits,
  parseImageConfig,
  parseManifestDocument,
  platformManifests,
  type ManifestDocument,
} from '../document.ts';
import { formatPlatform, platformMatches, selectPlatform } from '../platform.ts';
import { familiarRepository, parseReference, type ImageReference } from '../reference.ts';
import type { Image, ImageMetadata, ImageSource, Platform, SourceDescription } from '../types.ts';
import { RegistryClient } from './client.ts';
import type { RegistryOptions } from './options.ts';

/** Bytes of one layer received so far, for progress bars. `total` is the descriptor's size. */
export interface LayerProgress {
  readonly layerIndex: number;
  readonly bytes: number;
  readonly total: number;
}

export interface RegistrySourceOptions extends RegistryOptions {
  readonly limits?: Partial<ScanLimits>;
  readonly onProgress?: (progress: LayerProgress) => void;
  /**
   * A client to share (its connections and tokens) between sources of the same registry; the
   * source then leaves it open on close. When absent the source makes and closes its own.
   */
  readonly client?: RegistryClient;
}

interface Resolved {
  readonly digest: string;
  readonly document: ManifestDocument;
}

/**
 * An image in a registry (distribution spec "Pulling manifests" and "Pulling blobs",
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pull). `describe` fetches
 * the manifest or index the reference names; `select` resolves one platform's manifest and
 * configuration (both verified against their digests) and checks the limits that descriptors
 * allow before any layer is downloaded; `openLayer` streams a blob through a DigestVerifier.
 */
export class RegistryImageSource implements ImageSource {
  readonly reference: ImageReference;
  readonly #client: RegistryClient;
  readonly #ownsClient: boolean;
  readonly #limits: ScanLimits;
  readonly #onProgress: ((progress: LayerProgress) => void) | undefined;
  #resolved: Resolved | undefined;

  constructor(reference: ImageReference | string, options: RegistrySourceOptions = {}) {
    this.reference = typeof reference === 'string' ? parseReference(reference) : reference;
    this.#ownsClient = options.client === undefined;
    this.#client = options.client ?? new RegistryClient(this.reference.registry, options);
    this.#limits = resolveLimits(options.limits);
    this.#onProgress = options.onProgress;
  }

  get #repository(): string {
    return this.reference.repository;
  }

  async describe(signal: AbortSignal): Promise<SourceDescription> {
    const { digest, document } = await this.#resolve(signal);
    return {
      kind: 'registry',
      name: this.reference.familiarName,
      digest,
      mediaType: document.mediaType,
      platforms: document.kind === 'index' ? platformManifests(document) : [],
    };
  }

  async select(platform: Platform | undefined, signal: AbortSignal): Promise<Image> {
    const top = await this.#resolve(signal);
    let manifest: Extract<ManifestDocument, { kind: 'manifest' }>;
    let manifestDigest: string;
    let indexPlatform: Platform | undefined;
    if (top.document.kind === 'index') {
      const entry = selectPlatform(platformManifests(top.document), platform);
      const child = await this.#client.getManifest(
        this.#repository,
        entry.digest,
        signal,
        this.#limits.maxDocumentBytes,
      );
      const document = parseManifestDocument(child.bytes, child.mediaType || entry.mediaType, this.#limits);
      if (document.kind !== 'manifest') {
        throw new DrydockError(
          'malformed_image',
          `the index entry for ${formatPlatform(entry.platform)} is not an image manifest`,
          { reason: 'nested_index' },
        );
      }
      manifest = document;
      manifestDigest = entry.digest;
      indexPlatform = entry.platform;
    } else {
      manifest = top.document;
      manifestDigest = top.digest;
    }
    // Everything the descriptors tell is checked before the configuration or any layer is fetched.
    checkConfigMediaType(manifest.config);
    checkDescriptorLimits(manifest.layers, this.#limits);
    const configBytes = await this.#client.getBlobBytes(
      this.#repository,
      manifest.config,
      this.#limits.maxDocumentBytes,
      signal,
    );
    const config = parseImageConfig(configBytes, this.#limits);
    const tag = this.reference.tag;
    const metadata = buildImageMetadata(
      {
        name: this.reference.familiarName,
        manifestDigest,
        manifest,
        config,
        repoTags:
          tag === undefined
            ? []
            : [`${familiarRepository(this.reference.registry, this.#repository)}:${tag}`],
        ...(indexPlatform ? { platform: indexPlatform } : {}),
      },
      this.#limits,
    );
    if (
      platform !== undefined &&
      indexPlatform === undefined &&
      !platformMatches(metadata.platform, platform)
    ) {
      throw new DrydockError(
        'not_found',
        `no image for platform ${formatPlatform(platform)}; ${this.reference.familiarName} is ${formatPlatform(metadata.platform)} only`,
        { reason: 'platform_not_found' },
      );
    }
    return { metadata, openLayer: (index, layerSignal) => this.#openLayer(metadata, index, layerSignal) };
  }

  async close(): Promise<void> {
    if (this.#ownsClient) await this.#client.close();
  }

  async #resolve(signal: AbortSignal): Promise<Resolved> {
    if (this.#resolved) return this.#resolved;
    const response = await this.#client.getManifest(
      this.#repository,
      this.reference.pullReference,
      signal,
      this.#limits.maxDocumentBytes,
    );
    const document = parseManifestDocument(response.bytes, response.mediaType || undefined, this.#limits);
    this.#resolved = { digest: response.digest, document };
    return this.#resolved;
  }

  async #openLayer(metadata: ImageMetadata, index: number, signal: AbortSignal): Promise<Readable> {
    const layer = metadata.layers[index];
    if (layer === undefined) {
      throw new DrydockError(
        'internal_error',
        `layer ${index} does not exist; the image has ${metadata.layers.length}`,
        { reason: 'layer_index' },
      );
    }
    const onProgress = this.#onProgress;
    let received = 0;
    return this.#client.openBlob(
      this.#repository,
      { digest: layer.digest, size: layer.size },
      signal,
      onProgress
        ? (bytes) => {
            received += bytes;
            onProgress({ layerIndex: index, bytes: received, total: layer.size });
          }
        : undefined,
    );
  }
}
