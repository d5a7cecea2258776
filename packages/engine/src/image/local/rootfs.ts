import { createHash } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import { DrydockError } from '../../util/errors.ts';
import { mediaTypes } from '../media-types.ts';
import { hostPlatform } from '../platform.ts';
import type {
  Image,
  ImageConfig,
  ImageMetadata,
  ImageSource,
  Platform,
  SourceDescription,
} from '../types.ts';
import { throwIfAborted } from './blob-store.ts';
import type { LocalSourceOptions } from './options.ts';
import { rootfsTar } from './rootfs-tar.ts';

/**
 * The media type Drydock reports for a root filesystem directory, which has no manifest: it is not
 * an image format, and says so.
 */
export const rootfsMediaType = 'application/vnd.drydock.rootfs.directory';

/**
 * A root filesystem directory (an unpacked image, a debootstrap tree, a mounted container) as a
 * one-layer image. The layer is a tar synthesised while it is read (`rootfsTar`: no symlink
 * followed, no device or fifo opened, modes kept, hardlinks detected, sorted).
 *
 * What a directory cannot honestly give:
 * - no manifest or config: `manifestDigest`, `configDigest` and the layer's `diffId` are undefined,
 *   so nothing is cached under a content digest (the tree may change between scans);
 * - the layer `digest` is a synthetic id, `rootfs:<sha256 hex of the real path>`: it names the
 *   directory, not its bytes, and is never verified (its algorithm is not a content digest);
 * - `size` is -1 (unknown before the walk);
 * - the config is synthesised: os `linux`, the asked-for platform's architecture (a directory does
 *   not say what it was built for), otherwise the host's; empty env, cmd and history, no diff ids.
 */
export function openRootfs(directory: string, options: LocalSourceOptions = {}): ImageSource {
  // `options.limits` does not apply here: a directory's size is bounded by the layer walker's limits.
  const name = options.name ?? directory;

  async function root(signal: AbortSignal): Promise<string> {
    throwIfAborted(signal);
    const real = await realpath(directory).catch((error: unknown) => {
      throw new DrydockError('not_found', `directory ${directory} does not exist`, {
        reason: 'rootfs_not_found',
        cause: error,
      });
    });
    if (!(await stat(real)).isDirectory()) {
      throw new DrydockError('invalid_reference', `${directory} is not a directory`, {
        reason: 'not_a_directory',
      });
    }
    return real;
  }

  return {
    async describe(signal: AbortSignal): Promise<SourceDescription> {
      await root(signal);
      return { kind: 'rootfs', name, digest: undefined, mediaType: rootfsMediaType, platforms: [] };
    },
    async select(platform: Platform | undefined, signal: AbortSignal): Promise<Image> {
      const real = await root(signal);
      const chosen: Platform = platform ?? hostPlatform();
      const config: ImageConfig = {
        architecture: chosen.architecture,
        os: chosen.os,
        ...(chosen.variant ? { variant: chosen.variant } : {}),
        env: [],
        entrypoint: [],
        cmd: [],
        exposedPorts: [],
        volumes: [],
        labels: {},
        diffIds: [],
        history: [],
      };
      const metadata: ImageMetadata = {
        name,
        manifestDigest: undefined,
        manifestMediaType: rootfsMediaType,
        configDigest: undefined,
        config,
        layers: [
          {
            index: 0,
            digest: `rootfs:${createHash('sha256').update(real).digest('hex')}`,
            diffId: undefined,
            mediaType: mediaTypes.ociLayer,
            size: -1,
            createdBy: undefined,
          },
        ],
        platform: chosen,
        repoTags: [],
      };
      return {
        metadata,
        openLayer: async (index, layerSignal) => {
          if (index !== 0)
            throw new DrydockError('internal_error', `a root filesystem has one layer, not ${index + 1}`, {
              reason: 'layer_index',
            });
          throwIfAborted(layerSignal);
          return rootfsTar(real, layerSignal);
        },
      };
    },
    async close(): Promise<void> {
      // Nothing held open.
    },
  };
}
