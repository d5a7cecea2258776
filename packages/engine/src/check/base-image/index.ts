/**
 * The base-image catalogue's public surface: store base images by their layers, name the base an
 * image was built on, suggest a tag of it with fewer findings, and split findings between the
 * base image's layers and the image's own.
 */
export { BaseImageCatalogue, type CatalogueOpenOptions } from './base-image-catalogue.ts';
export {
  type BaseImageEntry,
  type BaseImageMatch,
  type BaseImageOrigin,
  type BaseImageOs,
  type NewBaseImageEntry,
} from './base-image-entry.ts';
export { baseImageCatalogueFileName, defaultBaseImageCataloguePath } from './catalogue-path.ts';
export {
  compareFindingCounts,
  countBySeverity,
  findingSeverities,
  noFindings,
  type FindingCounts,
} from './finding-counts.ts';
export { chainIds } from './layer-chain.ts';
export { splitByBaseLayers } from './split-by-base-layers.ts';
