/** Media types of the OCI image spec and Docker's image manifest v2 (schema 1 and 2). */
export const mediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayerNondistributable: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  ociLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  ociLayerNondistributableZstd: 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  /** An uncompressed Docker layer (distribution's schema 2 `MediaTypeUncompressedLayer`; docker-archive layers). */
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerLayerForeignGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  dockerLayerZstd: 'application/vnd.docker.image.rootfs.diff.tar.zstd',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

/** Manifest media types a registry client asks for, in order of preference. */
export const manifestAcceptTypes = [
  mediaTypes.ociIndex,
  mediaTypes.ociManifest,
  mediaTypes.dockerManifestList,
  mediaTypes.dockerManifest,
] as const;

export const indexMediaTypes: ReadonlySet<string> = new Set([
  mediaTypes.ociIndex,
  mediaTypes.dockerManifestList,
]);
export const imageManifestMediaTypes: ReadonlySet<string> = new Set([
  mediaTypes.ociManifest,
  mediaTypes.dockerManifest,
]);
export const schema1MediaTypes: ReadonlySet<string> = new Set([
  mediaTypes.dockerSchema1,
  mediaTypes.dockerSchema1Signed,
]);

export type LayerCompression = 'gzip' | 'zstd' | 'none';

/**
 * The compression a layer media type declares, or undefined for a media type that is not a
 * filesystem layer (attestations, signatures, Helm charts, ...). The walker still checks the
 * magic bytes, because registries and tools mislabel layers.
 */
export function layerCompressionOf(mediaType: string): LayerCompression | undefined {
  switch (mediaType) {
    case mediaTypes.ociLayerGzip:
    case mediaTypes.ociLayerNondistributableGzip:
    case mediaTypes.dockerLayerGzip:
    case mediaTypes.dockerLayerForeignGzip:
      return 'gzip';
    case mediaTypes.ociLayerZstd:
    case mediaTypes.ociLayerNondistributableZstd:
    case mediaTypes.dockerLayerZstd:
      return 'zstd';
    case mediaTypes.ociLayer:
    case mediaTypes.ociLayerNondistributable:
    case mediaTypes.dockerLayer:
      return 'none';
    default:
      return undefined;
  }
}
