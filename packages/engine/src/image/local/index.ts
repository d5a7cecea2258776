/** Local image sources: OCI layouts and archives, docker-archives, root filesystem directories. */
export { openDockerArchive } from './docker-archive.ts';
export { openOciArchive } from './oci-archive.ts';
export { openOciLayout } from './oci-layout.ts';
export type { LocalSourceOptions } from './options.ts';
export { openRootfs, rootfsMediaType } from './rootfs.ts';
