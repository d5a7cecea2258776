import type { PlatformEntry } from '../../store/schema.ts';

/**
 * One tag a registry lists, with the metadata the inventory keeps (PRODUCT.md section 2,
 * "Repository image"). Listing reads metadata only; nothing here needed a layer download.
 */
export interface DiscoveredImage {
  /** Harbor project, Artifactory repository key, Docker Hub namespace; '' for a plain registry. */
  readonly namespace: string;
  /** The repository as the registry's own API names it (`library/nginx`; for Artifactory the path inside the repository key). */
  readonly repository: string;
  readonly tag: string;
  /**
   * The manifest's digest. Entries the scanner will refuse (schema 1, unsupported media types)
   * are still listed, with the digest the registry reported, so their scan fails with a typed code.
   */
  readonly digest: string;
  /** The manifest's media type as the registry reported it. */
  readonly mediaType: string;
  /**
   * Compressed bytes: config plus layers for an image, the sum of its platforms for an index, the
   * manifest's own size when nothing more is known (schema 1, artifacts the registry describes no further).
   */
  readonly size: number;
  /** The image platforms of an index (attestations left out); `[]` for a single manifest. Sizes are 0 when the registry does not report them. */
  readonly platforms: readonly PlatformEntry[];
  /** When the tag was last pushed, as the registry says; for a plain registry the image config's `created`; null when unknown. */
  readonly pushedAt: Date | null;
  /** How a worker pulls it with the engine's RegistryImageSource. */
  readonly pull: PullTarget;
}

export interface PullTarget {
  /** Registry host (`host:port`) whose `/v2/` API serves the image. */
  readonly registry: string;
  /** Repository path on that registry's `/v2/` API. */
  readonly repository: string;
  /** Always the digest: a scan reads exactly what was listed, even if the tag moves meanwhile. */
  readonly reference: string;
}
