import type { ImageSource } from '../types.ts';
import { DirectoryStore } from './directory-store.ts';
import { LayoutSource } from './layout-source.ts';
import { limitsOf, type LocalSourceOptions } from './options.ts';

/**
 * An OCI image layout directory as an image source
 * (https://github.com/opencontainers/image-spec/blob/main/image-layout.md).
 *
 * @param tagOrDigest a tag (`org.opencontainers.image.ref.name`), a digest (`sha256:…`), or
 *   undefined for the layout's only image
 *
 * Nothing is read until `describe` or `select`. Failures: directory missing (`not_found`),
 * index.json missing or invalid (`malformed_image`), tag unknown (`not_found`, reason
 * `tag_not_found`), several images and no selector (`invalid_reference`, reason `ambiguous_image`),
 * blob missing (`not_found`, reason `blob_not_found`), blob not matching its digest (the layer
 * stream fails with `download_failed`, reason `digest_mismatch`), a blob path leading outside the
 * layout (`malformed_image`, reason `path_outside_layout`).
 */
export function openOciLayout(
  directory: string,
  tagOrDigest?: string,
  options: LocalSourceOptions = {},
): ImageSource {
  return new LayoutSource({
    kind: 'oci-layout',
    name: options.name ?? `oci:${directory}${tagOrDigest === undefined ? '' : `:${tagOrDigest}`}`,
    selector: tagOrDigest,
    limits: limitsOf(options),
    openStore: () => DirectoryStore.open(directory),
  });
}
