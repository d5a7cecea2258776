/**
 * Test support for the lister tests (not used by the service): one connection under test, its
 * listing collected into an array, its connection test, and a pull of what a listing found, so that
 * each lister test names only its connection and its assertions.
 */
import { RegistryClient } from '@drydock/engine';
import type { ConnectionConfig, RegistryClientOptions } from './connection-config.ts';
import type { DiscoveredImage } from './discovered-image.ts';
import { createLister, type ConnectivityResult, type ListerOptions } from './registry-lister.ts';

/** A deadline for one call of a lister or client in a test. */
export function signal(): AbortSignal {
  return AbortSignal.timeout(15_000);
}

/** The `code` of a typed error (DrydockError, the listers' errors), undefined for others. */
export function codeOf(error: unknown): unknown {
  return (error as { code?: unknown }).code;
}

export interface ListingSetup {
  /** The connection under test with `overrides`. */
  config(overrides?: Partial<ConnectionConfig>): ConnectionConfig;
  /** Everything the lister of `config(overrides)` lists, with `options` over the default options. */
  collect(options?: ListerOptions, overrides?: Partial<ConnectionConfig>): Promise<DiscoveredImage[]>;
  /** The connection test of `config(overrides)`, with `options` over the default options. */
  testConnection(overrides?: Partial<ConnectionConfig>, options?: ListerOptions): Promise<ConnectivityResult>;
}

/**
 * `connection` and `defaults` are read when a test calls, since the registry or fake they name
 * starts in the file's `before` hook. Include, exclude and namespaces default to empty.
 */
export function listingSetup(
  connection: () => Pick<ConnectionConfig, 'type' | 'url' | 'credentials'> & Partial<ConnectionConfig>,
  defaults: () => ListerOptions = () => ({}),
): ListingSetup {
  const config = (overrides: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    include: [],
    exclude: [],
    namespaces: [],
    ...connection(),
    ...overrides,
  });
  return {
    config,
    async collect(options = {}, overrides = {}) {
      const images: DiscoveredImage[] = [];
      for await (const image of createLister(config(overrides), { ...defaults(), ...options }).list(signal()))
        images.push(image);
      return images;
    },
    testConnection(overrides = {}, options = {}) {
      return createLister(config(overrides), { ...defaults(), ...options }).testConnection(signal());
    },
  };
}

/** The digest of the manifest that a listed image's pull target resolves to. */
export async function pulledDigest(image: DiscoveredImage, options?: RegistryClientOptions): Promise<string> {
  const client = new RegistryClient(image.pull.registry, options);
  try {
    return (await client.getManifest(image.pull.repository, image.pull.reference, signal())).digest;
  } finally {
    await client.close();
  }
}
