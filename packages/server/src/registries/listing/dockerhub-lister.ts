import { z } from 'zod';
import type { PlatformEntry } from '../../store/schema.ts';
import { connectionUrl, type ConnectionConfig } from './connection-config.ts';
import { runConnectivityTest } from './connectivity.ts';
import type { DiscoveredImage } from './discovered-image.ts';
import { compileImageFilter } from './include-exclude.ts';
import { defaultPageSize, defaultPullRegistry, type ListerOptions } from './lister-options.ts';
import { indexMediaTypes, parseTime } from './manifest-documents.ts';
import type { RegistryLister } from './registry-lister.ts';
import { isSkippable } from './skip-policy.ts';
import { createWebClient, invalidResponse, type Authenticator, type WebClient } from './web-client.ts';

/**
 * Docker Hub (type `dockerhub`) through its web API v2 (https://docs.docker.com/reference/api/hub/latest/):
 * `GET /v2/namespaces/{namespace}/repositories` and `…/repositories/{repository}/tags`, paged by
 * `page_size` (at most 100) and the absolute `next` URL. Tags carry their digest, media type, push
 * time and per-platform images, so no manifest is read and no pull is counted against the
 * account's rate limit. Docker Hub has no catalog: the connection names its namespaces (default:
 * the user's own). Private repositories need a session token: `POST /v2/auth/token` with
 * `{identifier, secret}` (user and password or personal access token) answers `{access_token}`,
 * sent as `Authorization: Bearer`; a bearer credential is used as that token directly.
 */

const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ next: z.string().nullish(), results: z.array(item).nullish() });
const repositoryPageSchema = pageSchema(z.object({ name: z.string() }));
const imageSchema = z.object({
  architecture: z.string().nullish(),
  os: z.string().nullish(),
  variant: z.string().nullish(),
  digest: z.string().nullish(),
  size: z.number().nullish(),
});
const tagPageSchema = pageSchema(
  z.object({
    name: z.string(),
    digest: z.string().nullish(),
    media_type: z.string().nullish(),
    full_size: z.number().nullish(),
    tag_last_pushed: z.string().nullish(),
    last_updated: z.string().nullish(),
    images: z.array(imageSchema).nullish(),
  }),
);
type HubTag = NonNullable<z.infer<typeof tagPageSchema>['results']>[number];
const tokenSchema = z.object({ access_token: z.string().optional(), token: z.string().optional() });

async function* hubPages<T>(
  client: WebClient,
  first: URL,
  schema: z.ZodType<{ next?: string | null; results?: T[] | null }>,
  what: string,
  signal: AbortSignal,
): AsyncGenerator<T> {
  const seen = new Set<string>();
  let url: URL | undefined = first;
  while (url !== undefined) {
    if (seen.has(url.href)) throw invalidResponse(what, url.host, 'pages that loop');
    seen.add(url.href);
    const { value } = await client.getJson(url, schema, what, signal);
    yield* value.results ?? [];
    if (!value.next) break;
    const next: URL = new URL(value.next, url);
    if (next.origin !== first.origin) throw invalidResponse(what, first.host, 'a next page on another host');
    url = next;
  }
}

function isIndex(tag: HubTag, digest: string): boolean {
  if (tag.media_type) return indexMediaTypes.has(tag.media_type);
  const images = tag.images ?? [];
  return (
    images.length > 1 || (images.length === 1 && images[0]?.digest != null && images[0].digest !== digest)
  );
}

function platformsOf(tag: HubTag): PlatformEntry[] {
  const platforms: PlatformEntry[] = [];
  for (const image of tag.images ?? []) {
    const { os, architecture, variant, digest } = image;
    if (!os || !architecture || !digest || os === 'unknown' || architecture === 'unknown') continue;
    platforms.push({
      platform: [os, architecture, variant].filter((part) => part).join('/'),
      digest,
      size: image.size ?? 0,
    });
  }
  return platforms;
}

export function createDockerHubLister(config: ConnectionConfig, options: ListerOptions): RegistryLister {
  const filter = compileImageFilter(config.include, config.exclude);
  const pageSize = String(Math.min(options.pageSize ?? defaultPageSize, 100));
  const pullRegistry = options.pullRegistry ?? defaultPullRegistry;
  const namespaces =
    config.namespaces.length > 0
      ? config.namespaces
      : config.credentials.kind === 'basic'
        ? [config.credentials.username]
        : [];

  const session = () => {
    const base = connectionUrl(config);
    const at = (path: string, query: Record<string, string> = {}): URL => {
      const url = new URL(`${base.href.replace(/\/$/, '')}${path}`);
      for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
      return url;
    };
    let token: string | undefined;
    let pending: Promise<string> | undefined;
    const credentials = config.credentials;
    const authenticate: Authenticator = async (signal, rejected) => {
      if (credentials.kind === 'anonymous') return undefined;
      if (credentials.kind === 'bearer') return `Bearer ${credentials.token}`;
      if (token !== undefined && `Bearer ${token}` !== rejected) return `Bearer ${token}`;
      pending ??= client
        .getJson(at('/v2/auth/token'), tokenSchema, 'an access token', signal, {
          method: 'POST',
          json: { identifier: credentials.username, secret: credentials.password },
          authenticate: false,
        })
        .then(({ value, response }) => {
          const issued = value.access_token ?? value.token;
          if (!issued) throw invalidResponse('an access token', response.url.host, 'no token');
          return issued;
        })
        .finally(() => {
          pending = undefined;
        });
      token = await pending;
      return `Bearer ${token}`;
    };
    const client: WebClient = createWebClient(config, options, authenticate);
    return { client, at, authenticate };
  };

  return {
    async *list(signal: AbortSignal): AsyncGenerator<DiscoveredImage> {
      const { client, at, authenticate } = session();
      // Signing in first makes rejected credentials stop the listing before anything is skipped.
      await authenticate(signal);
      for (const namespace of namespaces) {
        const repositories: string[] = [];
        try {
          for await (const repository of hubPages(
            client,
            at(`/v2/namespaces/${encodeURIComponent(namespace)}/repositories`, { page_size: pageSize }),
            repositoryPageSchema,
            `the repositories of ${namespace}`,
            signal,
          )) {
            const name = `${namespace}/${repository.name}`;
            if (filter.repositoryMayMatch(name)) repositories.push(repository.name);
          }
        } catch (error) {
          if (!isSkippable(error, false)) throw error;
          options.onSkip?.({ namespace, repository: '', code: error.code, message: error.message });
          continue;
        }
        for (const name of repositories) {
          const repository = `${namespace}/${name}`;
          try {
            for await (const tag of hubPages(
              client,
              at(
                `/v2/namespaces/${encodeURIComponent(namespace)}/repositories/${encodeURIComponent(name)}/tags`,
                {
                  page_size: pageSize,
                },
              ),
              tagPageSchema,
              `the tags of ${repository}`,
              signal,
            )) {
              if (!filter.matches(repository, tag.name)) continue;
              const images = tag.images ?? [];
              const digest = tag.digest ?? (images.length === 1 ? images[0]?.digest : undefined);
              if (!digest) {
                options.onSkip?.({
                  namespace,
                  repository,
                  tag: tag.name,
                  code: 'not_found',
                  message: `Docker Hub reports no digest for ${repository}:${tag.name}`,
                });
                continue;
              }
              const index = isIndex(tag, digest);
              const platforms = index ? platformsOf(tag) : [];
              yield {
                namespace,
                repository,
                tag: tag.name,
                digest,
                mediaType: tag.media_type ?? '',
                size: index
                  ? platforms.reduce((sum, platform) => sum + platform.size, 0)
                  : (tag.full_size ?? images[0]?.size ?? 0),
                platforms,
                pushedAt: parseTime(tag.tag_last_pushed) ?? parseTime(tag.last_updated),
                pull: { registry: pullRegistry, repository, reference: digest },
              };
            }
          } catch (error) {
            if (!isSkippable(error, false)) throw error;
            if (error.code !== 'not_found') {
              options.onSkip?.({ namespace, repository, code: error.code, message: error.message });
            }
          }
        }
      }
    },

    testConnection: (signal) =>
      runConnectivityTest(signal, async () => {
        const { client, at } = session();
        const namespace = namespaces[0] ?? 'library';
        const url = at(`/v2/namespaces/${encodeURIComponent(namespace)}/repositories`, { page_size: '1' });
        const what = `the repositories of ${namespace}`;
        await client.getJson(url, repositoryPageSchema, what, signal, { authenticate: false });
        if (config.credentials.kind !== 'anonymous')
          await client.getJson(url, repositoryPageSchema, what, signal);
        return namespaces.length === 0
          ? 'Docker Hub reachable; no namespace to list (name one in the connection)'
          : `Docker Hub; namespace ${namespace} readable${config.credentials.kind === 'anonymous' ? ' anonymously' : ''}`;
      }),
  };
}
