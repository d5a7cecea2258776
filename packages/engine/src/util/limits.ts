/**
 * Every image limit is a setting with a safe default (PRODUCT.md section 10). Sizes are bytes.
 * A limit that is exceeded ends the scan of that image with the typed failure named beside it.
 */
export interface ScanLimits {
  /** Sum of compressed layer sizes from the manifest (`image_too_large`). */
  readonly maxImageBytes: number;
  /** Compressed size of one layer from its descriptor (`layer_too_large`). */
  readonly maxLayerBytes: number;
  /** Layers in one image (`too_many_layers`). */
  readonly maxLayers: number;
  /** Entries (files, directories, links) over all layers of one image (`too_many_files`). */
  readonly maxFiles: number;
  /** Uncompressed bytes of one layer (`layer_too_large`, reason `uncompressed_size`). */
  readonly maxUncompressedLayerBytes: number;
  /** Uncompressed bytes over all layers (`image_too_large`, reason `uncompressed_size`). */
  readonly maxUncompressedImageBytes: number;
  /** Uncompressed/compressed ratio of a layer, checked once `ratioGraceBytes` have been inflated (`layer_too_large`, reason `compression_ratio`). */
  readonly maxCompressionRatio: number;
  readonly ratioGraceBytes: number;
  /** Bytes of a manifest, index or config document (`malformed_image`, reason `document_too_large`). */
  readonly maxDocumentBytes: number;
  /** Path length and depth of one entry; longer entries are skipped with a diagnostic. */
  readonly maxPathLength: number;
  readonly maxPathDepth: number;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export const defaultLimits: ScanLimits = {
  maxImageBytes: 20 * GiB,
  maxLayerBytes: 10 * GiB,
  maxLayers: 256,
  maxFiles: 2_000_000,
  maxUncompressedLayerBytes: 32 * GiB,
  maxUncompressedImageBytes: 64 * GiB,
  maxCompressionRatio: 250,
  ratioGraceBytes: 256 * MiB,
  maxDocumentBytes: 4 * MiB,
  maxPathLength: 4096,
  maxPathDepth: 256,
};

export function resolveLimits(overrides: Partial<ScanLimits> = {}): ScanLimits {
  return { ...defaultLimits, ...overrides };
}
