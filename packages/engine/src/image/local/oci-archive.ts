import type { ImageSource } from '../types.ts';
import { ArchiveFile } from './archive-file.ts';
import { ArchiveStore } from './archive-store.ts';
import { LayoutSource } from './layout-source.ts';
import { limitsOf, type LocalSourceOptions } from './options.ts';

/**
 * A tar of an OCI image layout (`skopeo copy … oci-archive:FILE`, `tar -cf FILE -C layout .`) as an
 * image source, read in place: one pass over the tar headers indexes the members, and blobs are
 * served as ranged reads of the file (https://github.com/opencontainers/image-spec/blob/main/image-layout.md).
 *
 * Compressed archives are rejected with `unsupported_media_type` (reason `compressed_archive`)
 * unless `options.decompressInto` names a scratch directory. Member names with `..` are ignored;
 * links resolve only inside the archive. A truncated archive fails with `malformed_image` (reason
 * `truncated_archive`). Otherwise selection and failures are those of `openOciLayout`.
 */
export function openOciArchive(
  file: string,
  tagOrDigest?: string,
  options: LocalSourceOptions = {},
): ImageSource {
  const limits = limitsOf(options);
  return new LayoutSource({
    kind: 'oci-archive',
    name: options.name ?? `oci-archive:${file}${tagOrDigest === undefined ? '' : `:${tagOrDigest}`}`,
    selector: tagOrDigest,
    limits,
    openStore: async (signal) => {
      const archive = await ArchiveFile.open(
        file,
        { limits, ...(options.decompressInto ? { decompressInto: options.decompressInto } : {}) },
        signal,
      );
      return new ArchiveStore(archive, true);
    },
  });
}
