import { defaultLimits, type ScanLimits } from '../../util/limits.ts';

/** Options shared by the local image sources. */
export interface LocalSourceOptions {
  /** How the user named the image, for `ImageMetadata.name` (default: `oci:DIR[:TAG]`, `docker-archive:FILE`, ...). */
  readonly name?: string;
  readonly limits?: ScanLimits;
  /**
   * A scratch directory (the scan's temp dir). Archives only: a gzip- or zstd-compressed archive
   * is decompressed once into a temporary tar there; without it such archives are rejected with
   * `unsupported_media_type` (reason `compressed_archive`).
   */
  readonly decompressInto?: string;
}

export function limitsOf(options: LocalSourceOptions): ScanLimits {
  return options.limits ?? defaultLimits;
}
