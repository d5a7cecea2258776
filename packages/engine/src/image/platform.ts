import { DrydockError } from '../util/errors.ts';
import type { Platform, PlatformManifest } from './types.ts';

/** `os/arch[/variant]`, as in `--platform linux/arm64/v8`. */
export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant]
    .filter((part) => part !== undefined && part !== '')
    .join('/');
}

export function parsePlatform(text: string): Platform {
  const parts = text.trim().split('/');
  const [os, architecture, variant] = parts;
  if (parts.length < 2 || parts.length > 3 || !os || !architecture || (parts.length === 3 && !variant)) {
    throw new DrydockError(
      'invalid_reference',
      `invalid platform ${JSON.stringify(text)}: expected os/arch[/variant]`,
      {
        reason: 'invalid_platform',
      },
    );
  }
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

/** The platform of the machine running Drydock, in OCI's vocabulary (GOARCH names). */
export function hostPlatform(): Platform {
  const architectures: Readonly<Record<string, string>> = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm',
    ia32: '386',
    s390x: 's390x',
    ppc64: 'ppc64le',
    riscv64: 'riscv64',
  };
  return { os: 'linux', architecture: architectures[process.arch] ?? process.arch };
}

function normaliseVariant(platform: Platform): string {
  // arm64 images often omit the default variant v8; treat the two as the same.
  if (platform.architecture === 'arm64' && (platform.variant === undefined || platform.variant === 'v8'))
    return 'v8';
  return platform.variant ?? '';
}

export function platformMatches(candidate: Platform, wanted: Platform): boolean {
  if (candidate.os !== wanted.os || candidate.architecture !== wanted.architecture) return false;
  if (wanted.variant === undefined) return true;
  return normaliseVariant(candidate) === normaliseVariant(wanted);
}

/**
 * Picks one platform of an index: the wanted one, or (when none is asked for) the host's, then
 * linux/amd64, then the only image platform. Fails with `not_found` and the list of platforms.
 */
export function selectPlatform(
  platforms: readonly PlatformManifest[],
  wanted: Platform | undefined,
): PlatformManifest {
  const choices = wanted === undefined ? [hostPlatform(), { os: 'linux', architecture: 'amd64' }] : [wanted];
  for (const choice of choices) {
    const found = platforms.find((entry) => platformMatches(entry.platform, choice));
    if (found) return found;
  }
  if (wanted === undefined && platforms.length === 1 && platforms[0]) return platforms[0];
  const available = platforms.map((entry) => formatPlatform(entry.platform)).join(', ') || 'none';
  throw new DrydockError(
    'not_found',
    `no image for platform ${wanted ? formatPlatform(wanted) : formatPlatform(hostPlatform())}; the index has: ${available}`,
    { reason: 'platform_not_found' },
  );
}
