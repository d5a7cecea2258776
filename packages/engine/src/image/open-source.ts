import { stat } from 'node:fs/promises';
import type { ScanLimits } from '../util/limits.ts';
import { resolveLimits } from '../util/limits.ts';
import { openDockerArchive, openOciArchive, openOciLayout, openRootfs } from './local/index.ts';
import type { Credentials } from './registry/credentials.ts';
import { RegistryImageSource } from './registry/registry-source.ts';
import type { ImageSource } from './types.ts';

export interface OpenSourceOptions {
  readonly credentials?: Credentials | undefined;
  readonly insecure?: boolean;
  readonly caPem?: string;
  readonly skipTlsVerify?: boolean;
  readonly limits?: Partial<ScanLimits>;
  /** Scratch directory where compressed archives may be decompressed (the scan's temp space). */
  readonly scratchDirectory?: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Splits `PATH[:SELECTOR]` where PATH itself may contain colons: the longest prefix that exists on
 * disk is the path (as skopeo's transports read it); `PATH@sha256:...` selects by digest.
 */
async function splitPathAndSelector(rest: string): Promise<{ path: string; selector: string | undefined }> {
  const at = rest.lastIndexOf('@sha256:');
  if (at > 0) return { path: rest.slice(0, at), selector: rest.slice(at + 1) };
  if (await exists(rest)) return { path: rest, selector: undefined };
  for (let colon = rest.lastIndexOf(':'); colon > 0; colon = rest.lastIndexOf(':', colon - 1)) {
    const path = rest.slice(0, colon);
    if (await exists(path)) return { path, selector: rest.slice(colon + 1) || undefined };
  }
  return { path: rest, selector: undefined };
}

/**
 * Opens the image a user named: `oci:DIR[:TAG]`, `oci-archive:FILE[:TAG]`,
 * `docker-archive:FILE[:REPO:TAG]`, `dir:PATH` (a root filesystem), `docker://REF` or a plain
 * registry reference. Nothing is read until the source is described.
 */
export async function openImageSource(name: string, options: OpenSourceOptions = {}): Promise<ImageSource> {
  const limits = resolveLimits(options.limits);
  const local = {
    limits,
    name,
    ...(options.scratchDirectory ? { decompressInto: options.scratchDirectory } : {}),
  };
  const colon = name.indexOf(':');
  const transport = colon > 0 ? name.slice(0, colon) : '';
  const rest = name.slice(colon + 1);
  switch (transport) {
    case 'oci': {
      const { path, selector } = await splitPathAndSelector(rest);
      return openOciLayout(path, selector, local);
    }
    case 'oci-archive': {
      const { path, selector } = await splitPathAndSelector(rest);
      return openOciArchive(path, selector, local);
    }
    case 'docker-archive': {
      const { path, selector } = await splitPathAndSelector(rest);
      return openDockerArchive(path, selector, local);
    }
    case 'dir':
      return openRootfs(rest, local);
    default: {
      const reference = transport === 'docker' && rest.startsWith('//') ? rest.slice(2) : name;
      return new RegistryImageSource(reference, {
        limits,
        ...(options.credentials ? { credentials: options.credentials } : {}),
        ...(options.insecure ? { insecure: true } : {}),
        ...(options.caPem ? { caPem: options.caPem } : {}),
        ...(options.skipTlsVerify ? { skipTlsVerify: true } : {}),
      });
    }
  }
}
