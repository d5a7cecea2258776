import { DrydockError, RegistryClient } from '@drydock/engine';
import { connectionUrl, registryClientOptions, type ConnectionConfig } from './connection-config.ts';
import { runConnectivityTest } from './connectivity.ts';
import type { DiscoveredImage } from './discovered-image.ts';
import { compileImageFilter } from './include-exclude.ts';
import { defaultConcurrency, type ListerOptions } from './lister-options.ts';
import { ManifestInspector, type ManifestReader } from './manifest-inspector.ts';
import { mapOrdered } from './map-ordered.ts';
import type { RegistryLister } from './registry-lister.ts';
import { isSkippable } from './skip-policy.ts';
import { UnreadableTags } from './unreadable-tags.ts';

/**
 * A plain OCI distribution registry (type `registry`): repositories from `GET /v2/_catalog`, tags
 * from `tags/list`, digests and metadata from the manifests (distribution spec,
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md, and the catalog API of
 * distribution's docs/spec/api.md), all through the engine's RegistryClient. The registry keeps no
 * push time, so `pushedAt` is the image config's `created` (null for indexes).
 */
export function createOciRegistryLister(config: ConnectionConfig, options: ListerOptions): RegistryLister {
  const filter = compileImageFilter(config.include, config.exclude);
  const open = (): RegistryClient => {
    const url = connectionUrl(config);
    if (!['/', '/v2'].includes(url.pathname)) {
      throw new DrydockError(
        'invalid_reference',
        'a registry connection URL must name the registry root, without a path',
        {
          reason: 'invalid_url',
        },
      );
    }
    return new RegistryClient(url.host, registryClientOptions(config, options.registryOptions));
  };
  const listOptions = options.pageSize !== undefined ? { pageSize: options.pageSize } : {};

  return {
    async *list(signal: AbortSignal): AsyncGenerator<DiscoveredImage> {
      const client = open();
      try {
        const reader: ManifestReader = {
          head: (repository, reference, s) => client.headManifest(repository, reference, s),
          get: (repository, reference, s) => client.getManifest(repository, reference, s),
          blob: (repository, digest, size, s) => client.getBlobBytes(repository, { digest, size }, size, s),
        };
        const tagReader = new UnreadableTags(new ManifestInspector(reader), options.onSkip);
        for await (const repository of client.catalog(signal, listOptions)) {
          if (!filter.repositoryMayMatch(repository)) continue;
          const tags: string[] = [];
          try {
            for await (const tag of client.tags(repository, signal, listOptions)) {
              if (filter.matches(repository, tag)) tags.push(tag);
            }
          } catch (error) {
            // The catalog answered, so the credentials are good: a refusal here is this repository's.
            if (!isSkippable(error, true)) throw error;
            if (error.code !== 'not_found') {
              options.onSkip?.({ namespace: '', repository, code: error.code, message: error.message });
            }
            continue;
          }
          const described = mapOrdered(tags, options.concurrency ?? defaultConcurrency, async (tag) => ({
            tag,
            details: await tagReader.inspect({ namespace: '', repository }, tag, signal),
          }));
          for await (const { tag, details } of described) {
            if (details === undefined) continue;
            yield {
              namespace: '',
              repository,
              tag,
              digest: details.digest,
              mediaType: details.mediaType,
              size: details.size,
              platforms: details.platforms,
              pushedAt: details.created,
              pull: { registry: client.registry, repository, reference: details.digest },
            };
          }
        }
      } finally {
        await client.close();
      }
    },

    testConnection: (signal) =>
      runConnectivityTest(signal, async () => {
        const client = open();
        try {
          const ping = await client.ping(signal);
          // Listing needs the catalog, which some registries keep from ordinary accounts.
          for await (const first of client.catalog(signal, { pageSize: 1 })) {
            void first;
            break;
          }
          const auth = ping.authScheme === 'none' ? 'no authentication' : `${ping.authScheme} authentication`;
          return `registry API ${ping.apiVersion ?? 'v2'} at ${client.registry}, ${auth}, catalog readable`;
        } finally {
          await client.close();
        }
      }),
  };
}
