import { DrydockError, type RegistryClient, type RegistryCredentials } from '@drydock/engine';
import type { RegistryType } from '../../store/schema.ts';

/** The engine's RegistryOptions (the index exports the client, not its option type). */
export type RegistryClientOptions = NonNullable<ConstructorParameters<typeof RegistryClient>[1]>;

/**
 * Everything a lister needs to reach one registry connection, credentials already unsealed. Lives
 * only in memory: the service builds it from the stored connection for one sync or test.
 */
export interface ConnectionConfig {
  readonly type: RegistryType;
  /**
   * `http(s)://host[:port][/path]`. Harbor, Artifactory and plain registries: the server's root
   * (Artifactory may include its `/artifactory` context path). Docker Hub: the web API,
   * `https://hub.docker.com`; its images are pulled from `registry-1.docker.io`.
   */
  readonly url: string;
  readonly credentials: RegistryCredentials;
  /** Extra trusted CA (PEM) for a registry with a private certificate authority. */
  readonly caPem?: string;
  /** Accept any certificate; only when the user marked the connection so. */
  readonly skipTlsVerify?: boolean;
  /**
   * Glob patterns (see include-exclude.ts) over `repository` or `repository:tag`. Empty include
   * means every image; an exclude match always wins.
   */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /**
   * Docker Hub: the namespaces to list (it has no catalog; empty = the user's own namespace).
   * Harbor: projects to list (empty = every project the account sees). Artifactory: repository
   * keys to list (empty = every local and remote Docker repository).
   */
  readonly namespaces: readonly string[];
}

/**
 * The connection's URL, checked (http or https, no credentials, query or fragment in it), its path
 * without a trailing slash (`/` for the root).
 */
export function connectionUrl(config: Pick<ConnectionConfig, 'url'>): URL {
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    throw invalidUrl('is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidUrl('must use http or https');
  if (url.username || url.password) throw invalidUrl('must not contain credentials');
  if (url.search || url.hash) throw invalidUrl('must not have a query or fragment');
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

function invalidUrl(why: string): DrydockError {
  return new DrydockError('invalid_reference', `the registry URL ${why}`, { reason: 'invalid_url' });
}

/**
 * Options for the engine's RegistryClient or RegistryImageSource that reach this connection's
 * `/v2/` API: its credentials and TLS settings, and plain HTTP when the URL says `http:` (the
 * engine otherwise allows HTTP only on loopback). Workers use it to pull what a lister found.
 */
export function registryClientOptions(
  config: Pick<ConnectionConfig, 'url' | 'credentials' | 'caPem' | 'skipTlsVerify'>,
  overrides: Omit<RegistryClientOptions, 'credentials' | 'caPem' | 'skipTlsVerify'> = {},
): RegistryClientOptions {
  const url = connectionUrl(config);
  return {
    ...overrides,
    credentials: config.credentials,
    ...(config.caPem ? { caPem: config.caPem } : {}),
    skipTlsVerify: config.skipTlsVerify ?? false,
    ...(url.protocol === 'http:'
      ? { scheme: 'http' as const, insecure: true }
      : { scheme: 'https' as const }),
  };
}
