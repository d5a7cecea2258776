import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DrydockError } from '../../util/errors.ts';
import type { ScanLimits } from '../../util/limits.ts';
import { digestOf, parseDigest } from '../digest.ts';
import { buildImageMetadata, parseImageConfig } from '../document.ts';
import { indexMediaTypes, mediaTypes, type LayerCompression } from '../media-types.ts';
import { formatPlatform, platformMatches } from '../platform.ts';
import type { Descriptor, Image, ImageConfig, ImageSource, Platform, SourceDescription } from '../types.ts';
import { ArchiveFile } from './archive-file.ts';
import { ArchiveStore } from './archive-store.ts';
import { throwIfAborted, verified, type BlobStore } from './blob-store.ts';
import { Lazy } from './lazy.ts';
import {
  readLayoutIndex,
  readManifestDocument,
  type ImageManifestDocument,
  type IndexDocument,
} from './layout-index.ts';
import { blobImage } from './layout-source.ts';
import { limitsOf, type LocalSourceOptions } from './options.ts';
import type { TarMember } from './tar-index.ts';

/**
 * A `docker save` archive as an image source, read in place (no extraction), in both forms:
 *
 * - legacy (Docker < 25, skopeo's `docker-archive:`): `manifest.json`
 *   (`[{Config, RepoTags, Layers}]`), the config as `<hex>.json`, layers as `<hex>.tar` or
 *   `<id>/layer.tar` (often symlinks between the two), uncompressed or gzip;
 *   https://github.com/moby/docker-image-spec/blob/main/v1.2.md and moby's `image/tarexport`.
 * - Docker 25+: the same `manifest.json` pointing into an OCI layout (`index.json`,
 *   `blobs/sha256/<hex>`): https://github.com/opencontainers/image-spec/blob/main/image-layout.md.
 *
 * When the archive holds the image's OCI manifest (Docker 25+), metadata uses it: same manifest
 * digest and layer descriptors as in a registry. Otherwise a Docker schema 2 manifest is
 * synthesised and `manifestDigest` is undefined (the archive keeps no manifest, so no digest would
 * be honest). Each layer's digest is the sha256 of its bytes in the archive: taken from a
 * `blobs/<alg>/<hex>` name, equal to the diff id for an uncompressed layer, or hashed once at
 * select time for a compressed layer under another name; every layer stream is verified against
 * it. The config digest is computed from its bytes and checked against a content-addressed name.
 *
 * @param repoTag picks an image by one of its `RepoTags` (`docker.io/` and `library/` prefixes and
 *   a missing `:latest` are ignored in the comparison); undefined picks the archive's only image.
 */
export function openDockerArchive(
  file: string,
  repoTag?: string,
  options: LocalSourceOptions = {},
): ImageSource {
  return new DockerArchiveSource(file, repoTag, options);
}

const manifestJsonSchema = z.array(
  z.object({
    Config: z.string(),
    RepoTags: z.array(z.string()).nullish(),
    Layers: z.array(z.string()),
  }),
);

type ManifestJsonEntry = z.infer<typeof manifestJsonSchema>[number];

const maxOciDocumentsToSearch = 64;

/** `docker.io/library/alpine:latest`, `library/alpine`, `alpine` and `alpine:latest` compare equal. */
export function normaliseRepoTag(reference: string): string {
  let name = reference.trim();
  const lastSlash = name.lastIndexOf('/');
  if (!name.slice(lastSlash + 1).includes(':') && !name.includes('@')) name += ':latest';
  for (const registry of ['docker.io/', 'index.docker.io/', 'registry-1.docker.io/']) {
    if (name.startsWith(registry)) name = name.slice(registry.length);
  }
  if (name.startsWith('library/') && name.indexOf('/', 'library/'.length) === -1)
    name = name.slice('library/'.length);
  return name;
}

/** The digest a member name claims: `blobs/<alg>/<hex>`, or a legacy `<64 hex>.json` config. */
function claimedDigest(name: string): string | undefined {
  const blob = /^(?:\.\/)?blobs\/([a-z0-9]+)\/([a-f0-9]+)$/.exec(name);
  const candidate = blob ? `${blob[1]}:${blob[2]}` : /^(?:\.\/)?([a-f0-9]{64})\.json$/.exec(name)?.[1];
  if (candidate === undefined) return undefined;
  const digest = candidate.includes(':') ? candidate : `sha256:${candidate}`;
  try {
    parseDigest(digest);
    return digest;
  } catch {
    return undefined;
  }
}

function compressionOf(magic: Buffer): LayerCompression {
  if (magic[0] === 0x1f && magic[1] === 0x8b) return 'gzip';
  if (magic.length >= 4 && magic.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

function dockerLayerMediaType(compression: LayerCompression): string {
  switch (compression) {
    case 'gzip':
      return mediaTypes.dockerLayerGzip;
    case 'zstd':
      return mediaTypes.dockerLayerZstd;
    case 'none':
      return mediaTypes.dockerLayer;
  }
}

function missingMember(name: string, file: string): DrydockError {
  return new DrydockError('not_found', `${name} is missing from ${file} (or leads outside it)`, {
    reason: 'blob_not_found',
    details: { member: name },
  });
}

interface Resolution {
  readonly image: Image;
}

class DockerArchiveSource implements ImageSource {
  readonly #file: string;
  readonly #repoTag: string | undefined;
  readonly #name: string;
  readonly #limits: ScanLimits;
  readonly #archive: Lazy<ArchiveFile>;
  readonly #resolution: Lazy<Resolution>;

  constructor(file: string, repoTag: string | undefined, options: LocalSourceOptions) {
    this.#file = file;
    this.#repoTag = repoTag;
    this.#name = options.name ?? `docker-archive:${file}${repoTag === undefined ? '' : `:${repoTag}`}`;
    this.#limits = limitsOf(options);
    const archiveOptions = {
      limits: this.#limits,
      ...(options.decompressInto ? { decompressInto: options.decompressInto } : {}),
    };
    this.#archive = new Lazy((signal) => ArchiveFile.open(file, archiveOptions, signal));
    this.#resolution = new Lazy((signal) => this.#resolve(signal));
  }

  async describe(signal: AbortSignal): Promise<SourceDescription> {
    const { metadata } = (await this.#resolution.get(signal)).image;
    return {
      kind: 'docker-archive',
      name: this.#name,
      digest: metadata.manifestDigest,
      mediaType: metadata.manifestMediaType,
      platforms: [],
    };
  }

  async select(platform: Platform | undefined, signal: AbortSignal): Promise<Image> {
    const { image } = await this.#resolution.get(signal);
    if (platform && !platformMatches(image.metadata.platform, platform)) {
      throw new DrydockError(
        'not_found',
        `no image for platform ${formatPlatform(platform)}; the image is ${formatPlatform(image.metadata.platform)}`,
        { reason: 'platform_not_found' },
      );
    }
    return image;
  }

  async close(): Promise<void> {
    const archive = await this.#archive.peek();
    await archive?.close();
  }

  #pickEntry(entries: readonly ManifestJsonEntry[]): ManifestJsonEntry {
    const tags = entries.flatMap((entry) => entry.RepoTags ?? []);
    if (this.#repoTag === undefined) {
      const [only, ...others] = entries;
      if (only && others.length === 0) return only;
      if (!only)
        throw new DrydockError('not_found', `${this.#file} holds no image`, { reason: 'empty_archive' });
      throw new DrydockError(
        'invalid_reference',
        `${this.#file} holds ${entries.length} images; name one by tag (${tags.join(', ') || 'untagged'})`,
        {
          reason: 'ambiguous_image',
          details: { tags },
        },
      );
    }
    const wanted = normaliseRepoTag(this.#repoTag);
    const found = entries.find((entry) =>
      (entry.RepoTags ?? []).some((tag) => normaliseRepoTag(tag) === wanted),
    );
    if (found) return found;
    throw new DrydockError(
      'not_found',
      `no image tagged ${JSON.stringify(this.#repoTag)} in ${this.#file}; tags: ${tags.join(', ') || 'none'}`,
      {
        reason: 'tag_not_found',
        details: { tags },
      },
    );
  }

  async #resolve(signal: AbortSignal): Promise<Resolution> {
    const archive = await this.#archive.get(signal);
    const limits = this.#limits;
    const manifestMember = archive.member('manifest.json');
    if (!manifestMember) {
      throw new DrydockError(
        'malformed_image',
        `${this.#file} is not a docker-archive: manifest.json is missing`,
        { reason: 'missing_manifest_json' },
      );
    }
    let json: unknown;
    try {
      json = JSON.parse((await archive.read(manifestMember, limits.maxDocumentBytes)).toString('utf8'));
    } catch (error) {
      if (error instanceof DrydockError) throw error;
      throw new DrydockError('malformed_image', `manifest.json in ${this.#file} is not valid JSON`, {
        reason: 'invalid_manifest_json',
        cause: error,
      });
    }
    const parsed = manifestJsonSchema.safeParse(json);
    if (!parsed.success) {
      throw new DrydockError(
        'malformed_image',
        `manifest.json in ${this.#file} is not a docker-archive manifest`,
        { reason: 'invalid_manifest_json' },
      );
    }
    const entry = this.#pickEntry(parsed.data);
    const repoTags = entry.RepoTags ?? [];

    const configMember = archive.member(entry.Config);
    if (!configMember) throw missingMember(entry.Config, this.#file);
    const configBytes = await archive.read(configMember, limits.maxDocumentBytes);
    const configDigest = digestOf(configBytes);
    const claimed = claimedDigest(entry.Config);
    if (claimed !== undefined && claimed.startsWith('sha256:') && claimed !== configDigest) {
      throw new DrydockError(
        'download_failed',
        `the image configuration ${entry.Config} does not match its digest`,
        {
          reason: 'digest_mismatch',
          details: { expected: claimed, actual: configDigest },
        },
      );
    }
    const config = parseImageConfig(configBytes, limits);

    const store = new ArchiveStore(archive, false);
    const oci = archive.member('index.json')
      ? await findOciManifest(store, configDigest, limits, signal)
      : undefined;
    if (oci) {
      const metadata = buildImageMetadata(
        { name: this.#name, manifestDigest: oci.digest, manifest: oci.manifest, config, repoTags },
        limits,
      );
      return { image: blobImage(metadata, store) };
    }
    return {
      image: await this.#synthesise(
        archive,
        entry,
        configDigest,
        configBytes.length,
        config,
        repoTags,
        signal,
      ),
    };
  }

  /** A Docker schema 2 manifest for a legacy archive, layers addressed by member. */
  async #synthesise(
    archive: ArchiveFile,
    entry: ManifestJsonEntry,
    configDigest: string,
    configSize: number,
    config: ImageConfig,
    repoTags: readonly string[],
    signal: AbortSignal,
  ): Promise<Image> {
    const members: TarMember[] = [];
    const layers: Descriptor[] = [];
    for (const [index, path] of entry.Layers.entries()) {
      throwIfAborted(signal);
      const member = archive.member(path);
      if (!member) throw missingMember(path, this.#file);
      const compression = compressionOf(await archive.readRange(member.offset, Math.min(member.size, 8)));
      const diffId = config.diffIds[index];
      const digest =
        claimedDigest(path) ??
        (compression === 'none' && diffId !== undefined ? diffId : await hashMember(archive, member, signal));
      members.push(member);
      layers.push({ mediaType: dockerLayerMediaType(compression), digest, size: member.size });
    }
    const manifest: ImageManifestDocument = {
      kind: 'manifest',
      mediaType: mediaTypes.dockerManifest,
      config: { mediaType: mediaTypes.dockerConfig, digest: configDigest, size: configSize },
      layers,
    };
    const metadata = buildImageMetadata(
      { name: this.#name, manifestDigest: undefined, manifest, config, repoTags },
      this.#limits,
    );
    return {
      metadata,
      openLayer: async (index, layerSignal) => {
        throwIfAborted(layerSignal);
        const member = members[index];
        const layer = metadata.layers[index];
        if (!member || !layer)
          throw new DrydockError('internal_error', `the image has no layer ${index}`, {
            reason: 'layer_index',
          });
        return verified(archive.stream(member), layer.digest, layer.size, layerSignal);
      },
    };
  }
}

async function hashMember(archive: ArchiveFile, member: TarMember, signal: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of archive.stream(member)) {
    throwIfAborted(signal);
    hash.update(chunk as Buffer);
  }
  return `sha256:${hash.digest('hex')}`;
}

/** The OCI manifest (Docker 25+ archives) whose config is `configDigest`, searching index.json and nested indexes. */
async function findOciManifest(
  store: BlobStore,
  configDigest: string,
  limits: ScanLimits,
  signal: AbortSignal,
): Promise<{ readonly digest: string; readonly manifest: ImageManifestDocument } | undefined> {
  let index: IndexDocument;
  try {
    index = await readLayoutIndex(store, limits, signal);
  } catch {
    return undefined; // a broken index.json does not make the docker-archive unreadable: manifest.json is enough
  }
  const queue: Descriptor[] = [...index.manifests];
  for (let read = 0; queue.length > 0 && read < maxOciDocumentsToSearch; read++) {
    throwIfAborted(signal);
    const descriptor = queue.shift();
    if (!descriptor) break;
    const document = await readManifestDocument(store, descriptor, limits, signal).catch(() => undefined);
    if (!document) continue;
    if (document.kind === 'index') {
      queue.push(
        ...document.manifests.filter(
          (entry) => indexMediaTypes.has(entry.mediaType) || entry.mediaType.includes('manifest'),
        ),
      );
      continue;
    }
    if (document.config.digest === configDigest) return { digest: descriptor.digest, manifest: document };
  }
  return undefined;
}
