import type { ConnectionConfig } from './connection-config.ts';
import type { ConnectivityResult } from './connectivity.ts';
import type { DiscoveredImage } from './discovered-image.ts';
import { createDockerHubLister } from './dockerhub-lister.ts';
import { createHarborLister } from './harbor-lister.ts';
import { createJfrogLister } from './jfrog-lister.ts';
import type { ListerOptions } from './lister-options.ts';
import { createOciRegistryLister } from './oci-registry-lister.ts';

export type { ConnectivityFailureCode, ConnectivityResult } from './connectivity.ts';
export { connectivityFailureCodes } from './connectivity.ts';
export type { ListerOptions, SkippedEntry } from './lister-options.ts';

/**
 * Lists one registry connection's images (metadata only: nothing is pulled) and tests whether the
 * connection works.
 *
 * `list` yields every tag that passes the connection's include/exclude filter. Entries the scanner
 * will refuse (schema 1 manifests, unsupported media types) are yielded too, so their scans fail
 * with a typed code. Tags that vanished while listing are left out; so are repositories the
 * account may not read, reported through `ListerOptions.onSkip`. Anything that makes the listing
 * incomplete otherwise (rejected credentials, an unreachable or failing server) throws the
 * engine's DrydockError: a caller must not read a partial listing as the registry's content.
 */
export interface RegistryLister {
  list(signal: AbortSignal): AsyncIterable<DiscoveredImage>;
  /** Reachability first (a public endpoint), then the credentials (one authenticated call). */
  testConnection(signal: AbortSignal): Promise<ConnectivityResult>;
}

export function createLister(config: ConnectionConfig, options: ListerOptions = {}): RegistryLister {
  switch (config.type) {
    case 'registry':
      return createOciRegistryLister(config, options);
    case 'harbor':
      return createHarborLister(config, options);
    case 'jfrog':
      return createJfrogLister(config, options);
    case 'dockerhub':
      return createDockerHubLister(config, options);
  }
}
