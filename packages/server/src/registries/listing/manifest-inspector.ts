import { isDrydockError, type FailureCode } from '@drydock/engine';
import type { PlatformEntry } from '../../store/schema.ts';
import {
  configCreated,
  imageConfigMediaTypes,
  parseDocument,
  schema1MediaTypes,
} from './manifest-documents.ts';

/**
 * The `/v2/` manifest calls a listing makes, over the engine's RegistryClient (plain registries)
 * or over an Artifactory repository's Docker API (jfrog-lister.ts).
 */
export interface ManifestReader {
  head(
    repository: string,
    reference: string,
    signal: AbortSignal,
  ): Promise<{
    readonly digest: string | undefined;
    readonly mediaType: string;
    readonly size: number | undefined;
  }>;
  get(
    repository: string,
    reference: string,
    signal: AbortSignal,
  ): Promise<{ readonly bytes: Buffer; readonly mediaType: string; readonly digest: string }>;
  /** A small blob; absent when the listing takes push times from elsewhere. */
  blob?(repository: string, digest: string, size: number, signal: AbortSignal): Promise<Buffer>;
}

export interface TagDetails {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  readonly platforms: readonly PlatformEntry[];
  /** The image config's `created`; null for indexes and whatever is not a container image. */
  readonly created: Date | null;
}

/** Failures that concern one manifest's content: the entry is listed with what HEAD said, and its scan fails later with the code. */
const contentFailures: ReadonlySet<FailureCode> = new Set([
  'schema_v1_not_supported',
  'unsupported_media_type',
  'malformed_image',
  'not_found',
]);
const maxConfigBytes = 1024 * 1024;

function isContentFailure(error: unknown): boolean {
  return isDrydockError(error) && contentFailures.has(error.code);
}

/**
 * Describes tags by their manifests: HEAD for the digest (one request when the digest was seen
 * before), then GET of a new manifest for sizes, and of an index's children for their sizes, and
 * (when the reader can) the image config for `created`. Content Drydock cannot scan (schema 1,
 * unknown media types, malformed JSON) is described from the HEAD answer alone. Results are cached
 * by digest for the lister's run, so tags sharing an image cost one HEAD each.
 */
export class ManifestInspector {
  readonly #reader: ManifestReader;
  readonly #details = new Map<string, Promise<TagDetails>>();
  readonly #imageSizes = new Map<string, Promise<number>>();

  constructor(reader: ManifestReader) {
    this.#reader = reader;
  }

  /** Undefined when the tag no longer resolves (deleted since it was listed). */
  async inspect(repository: string, tag: string, signal: AbortSignal): Promise<TagDetails | undefined> {
    let head;
    try {
      head = await this.#reader.head(repository, tag, signal);
    } catch (error) {
      if (isDrydockError(error) && error.code === 'not_found') return undefined;
      throw error;
    }
    const headOnly = (digest: string): TagDetails => ({
      digest,
      mediaType: head.mediaType,
      size: head.size ?? 0,
      platforms: [],
      created: null,
    });
    if (head.digest !== undefined && schema1MediaTypes.has(head.mediaType)) return headOnly(head.digest);
    let digest = head.digest;
    if (digest === undefined) {
      // A registry that sends no Docker-Content-Digest on HEAD: the GET by tag names it.
      try {
        digest = (await this.#reader.get(repository, tag, signal)).digest;
      } catch (error) {
        if (isDrydockError(error) && error.code === 'not_found') return undefined;
        throw error;
      }
    }
    const known = this.#details.get(digest);
    if (known) return known;
    const described = this.#describe(repository, digest, headOnly(digest), signal);
    this.#details.set(digest, described);
    described.catch(() => this.#details.delete(digest ?? ''));
    return described;
  }

  async #describe(
    repository: string,
    digest: string,
    fallback: TagDetails,
    signal: AbortSignal,
  ): Promise<TagDetails> {
    let manifest;
    try {
      manifest = await this.#reader.get(repository, digest, signal);
    } catch (error) {
      if (isContentFailure(error)) return fallback;
      throw error;
    }
    const mediaType = manifest.mediaType || fallback.mediaType;
    const document = parseDocument(manifest.bytes, mediaType);
    if (document.kind === 'index') {
      const platforms: PlatformEntry[] = [];
      for (const child of document.children) {
        platforms.push({ ...child, size: await this.#imageSize(repository, child.digest, signal) });
      }
      return {
        digest,
        mediaType,
        size: platforms.reduce((sum, platform) => sum + platform.size, 0),
        platforms,
        created: null,
      };
    }
    if (document.kind === 'other') return { ...fallback, mediaType, size: manifest.bytes.length };
    let created: Date | null = null;
    if (
      this.#reader.blob &&
      imageConfigMediaTypes.has(document.config.mediaType) &&
      document.config.size <= maxConfigBytes
    ) {
      try {
        created = configCreated(
          await this.#reader.blob(repository, document.config.digest, document.config.size, signal),
        );
      } catch (error) {
        if (!isContentFailure(error) && !(isDrydockError(error) && error.code === 'download_failed'))
          throw error;
      }
    }
    return { digest, mediaType, size: document.size, platforms: [], created };
  }

  /** Config plus layers of an index's child; 0 when the child cannot be read as an image. */
  #imageSize(repository: string, digest: string, signal: AbortSignal): Promise<number> {
    const known = this.#imageSizes.get(digest);
    if (known) return known;
    const size = (async () => {
      try {
        const child = await this.#reader.get(repository, digest, signal);
        const document = parseDocument(child.bytes, child.mediaType);
        return document.kind === 'manifest' ? document.size : 0;
      } catch (error) {
        if (isContentFailure(error)) return 0;
        throw error;
      }
    })();
    this.#imageSizes.set(digest, size);
    size.catch(() => this.#imageSizes.delete(digest));
    return size;
  }
}
