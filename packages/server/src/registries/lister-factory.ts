import type { ConnectionConfig } from './listing/connection-config.ts';
import type { SkippedEntry } from './listing/lister-options.ts';
import { createLister } from './listing/registry-lister.ts';
import type { RegistryLister } from './listing/registry-lister.ts';

/** Makes the lister of a connection; the service's tests and operators may pass listing options. */
export interface ListerFactory {
  /** `onSkip` hears of each repository or tag the listing goes on without. */
  create(config: ConnectionConfig, onSkip?: (skipped: SkippedEntry) => void): RegistryLister;
}

export function listerFactory(options?: Parameters<typeof createLister>[1]): ListerFactory {
  return {
    create: (config, onSkip) => createLister(config, onSkip ? { ...options, onSkip } : options),
  };
}
