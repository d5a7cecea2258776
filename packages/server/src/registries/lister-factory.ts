import type { ConnectionConfig } from './listing/connection-config.ts';
import { createLister } from './listing/registry-lister.ts';
import type { RegistryLister } from './listing/registry-lister.ts';

/** Makes the lister of a connection; the service's tests and operators may pass listing options. */
export interface ListerFactory {
  create(config: ConnectionConfig): RegistryLister;
}

export function listerFactory(options?: Parameters<typeof createLister>[1]): ListerFactory {
  return { create: (config) => createLister(config, options) };
}
