import type { Readable } from 'node:stream';

/** An OCI platform (image-index spec, "platform" object). */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly osVersion?: string;
}

/** An OCI descriptor (image spec, descriptor.md). */
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: Platform;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly artifactType?: string;
}

/** One entry of an image's build history (image spec, config.md "history"). */
export interface HistoryEntry {
  readonly created?: string;
  readonly createdBy?: string;
  readonly author?: string;
  readonly comment?: string;
  readonly emptyLayer: boolean;
}

/** The parts of an OCI/Docker image configuration Drydock reads (image spec, config.md). */
export interface ImageConfig {
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string;
  readonly created?: string;
  readonly author?: string;
  readonly user?: string;
  readonly env: readonly string[];
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly workingDir?: string;
  readonly exposedPorts: readonly string[];
  readonly volumes: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly stopSignal?: string;
  /** Docker's HEALTHCHECK; `undefined` when the image has none. */
  readonly healthcheck?: { readonly test: readonly string[] };
  readonly diffIds: readonly string[];
  readonly history: readonly HistoryEntry[];
}

/** One filesystem layer of an image, in order from the base up. */
export interface LayerDescriptor {
  readonly index: number;
  /** Digest of the blob as stored (compressed); for a root filesystem directory, a synthetic id. */
  readonly digest: string;
  /** Digest of the uncompressed tar (config `rootfs.diff_ids`); undefined when not known. */
  readonly diffId: string | undefined;
  readonly mediaType: string;
  /** Compressed size in bytes; -1 when the source cannot tell before reading. */
  readonly size: number;
  /** The build instruction that made this layer (from the history entry that is not `empty_layer`). */
  readonly createdBy: string | undefined;
}

/** One resolved, single-platform image. */
export interface ImageMetadata {
  /** How the user named the image (a reference, `oci:DIR:TAG`, ...). */
  readonly name: string;
  /** Digest of the image manifest; undefined for a root filesystem directory. */
  readonly manifestDigest: string | undefined;
  readonly manifestMediaType: string;
  readonly configDigest: string | undefined;
  readonly config: ImageConfig;
  readonly layers: readonly LayerDescriptor[];
  readonly platform: Platform;
  /** Tags the source names for the image (docker-archive RepoTags, the registry tag, ...). */
  readonly repoTags: readonly string[];
}

/** A platform listed by a multi-architecture index. */
export interface PlatformManifest {
  readonly platform: Platform;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
}

export interface SourceDescription {
  readonly kind: SourceKind;
  readonly name: string;
  /** The digest the source resolved the name to (an index or a manifest); undefined for directories. */
  readonly digest: string | undefined;
  readonly mediaType: string;
  /** Image platforms of a multi-architecture index; empty for a single-platform image. */
  readonly platforms: readonly PlatformManifest[];
}

export type SourceKind = 'registry' | 'oci-layout' | 'oci-archive' | 'docker-archive' | 'rootfs';

/** One single-platform image ready to be walked. */
export interface Image {
  readonly metadata: ImageMetadata;
  /**
   * The layer's bytes exactly as stored (compressed or not). Sources verify the blob digest as it
   * streams and fail the stream with `download_failed` (reason `digest_mismatch`) when it lies.
   */
  openLayer(index: number, signal: AbortSignal): Promise<Readable>;
}

/**
 * What any source (registry, OCI layout, archive, root filesystem) offers. `describe` resolves the
 * name without reading layers; `select` picks one platform (`undefined`: the only one, or the
 * platform of the running machine for an index) and resolves its manifest and config.
 */
export interface ImageSource {
  describe(signal: AbortSignal): Promise<SourceDescription>;
  select(platform: Platform | undefined, signal: AbortSignal): Promise<Image>;
  close(): Promise<void>;
}
