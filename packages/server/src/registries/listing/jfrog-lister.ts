import { createHash } from 'node:crypto';
import { DrydockError } from '@drydock/engine';
import { z } from 'zod';
import { connectionUrl, type ConnectionConfig } from './connection-config.ts';
import { runConnectivityTest } from './connectivity.ts';
import type { DiscoveredImage } from './discovered-image.ts';
import { compileImageFilter } from './include-exclude.ts';
import { defaultConcurrency, defaultPageSize, type ListerOptions } from './lister-options.ts';
import { manifestAccept, parseTime } from './manifest-documents.ts';
import { ManifestInspector, type ManifestReader } from './manifest-inspector.ts';
import { UnreadableTags } from './unreadable-tags.ts';
import { mapOrdered } from './map-ordered.ts';
import type { RegistryLister } from './registry-lister.ts';
import { isSkippable } from './skip-policy.ts';
import {
  createWebClient,
  invalidResponse,
  nextLink,
  staticAuthenticator,
  statusFailure,
  type WebClient,
} from './web-client.ts';

/**
 * JFrog Artifactory (type `jfrog`): its Docker repositories from `GET /artifactory/api/repositories
 * ?packageType=docker` (local, remote and federated ones; virtual repositories only when named in
 * the connection's namespaces, since they repeat their members), then each repository's Docker
 * registry API under `/artifactory/api/docker/{repoKey}/v2/` (`_catalog` and `tags/list`, paged
 * with `n`/`last` and `Link`; a remote repository lists only what it has cached), manifests
 * through the same API, and push times from the storage API's `lastModified` of the tag folder
 * (`/artifactory/api/storage/{repoKey}/{image}/{tag}`). Authentication: HTTP Basic (user and
 * password or API key) or a bearer access token. Pulls use the "repository path" method:
 * `{host}/v2/{repoKey}/{image}`.
 */

const repositoriesSchema = z.array(
  z.object({ key: z.string(), type: z.string().optional(), packageType: z.string().optional() }),
);
/** A page of `_catalog` (`repositories`) or of `tags/list` (`tags`). */
const listPageSchema = z.object({
  repositories: z.array(z.string()).nullish(),
  tags: z.array(z.string()).nullish(),
});
const folderSchema = z.object({ lastModified: z.string().nullish() });
const maxPages = 100_000;

/** Follows `Link: rel="next"`, or asks for the entries after the last one (`last=`) while pages come back full. */
async function* dockerPages(
  client: WebClient,
  first: URL,
  field: 'repositories' | 'tags',
  what: string,
  signal: AbortSignal,
): AsyncGenerator<string> {
  const requested = Number(first.searchParams.get('n'));
  const seen = new Set<string>();
  let url: URL | undefined = first;
  while (url !== undefined) {
    if (seen.has(url.href) || seen.size >= maxPages) throw invalidResponse(what, url.host, 'pages that loop');
    seen.add(url.href);
    const { value, response } = await client.getJson(url, listPageSchema, what, signal);
    const entries = value[field] ?? [];
    yield* entries;
    const linked = nextLink(response.headers, response.url);
    if (linked !== undefined && linked.origin !== first.origin)
      throw invalidResponse(what, first.host, 'a next page on another host');
    const last = entries.at(-1);
    if (linked !== undefined) {
      url = linked;
    } else if (last !== undefined && requested > 0 && entries.length >= requested) {
      url = new URL(first);
      url.searchParams.set('last', last);
    } else {
      url = undefined;
    }
  }
}

/** The `/v2/` manifest calls of one Artifactory Docker repository. */
function manifestReader(client: WebClient, v2: (path: string) => URL): ManifestReader {
  const url = (repository: string, reference: string): URL => v2(`${repository}/manifests/${reference}`);
  const mediaTypeOf = (headers: Headers): string =>
    (headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  return {
    async head(repository, reference, signal) {
      const what = `manifest ${reference} of ${repository}`;
      const response = await client.send(url(repository, reference), what, signal, {
        method: 'HEAD',
        accept: manifestAccept,
      });
      if (response.status < 200 || response.status > 299) throw statusFailure(response, what);
      const length = Number(response.headers.get('content-length'));
      return {
        digest:
          response.headers.get('docker-content-digest') ?? (reference.includes(':') ? reference : undefined),
        mediaType: mediaTypeOf(response.headers),
        size: Number.isFinite(length) ? length : undefined,
      };
    },
    async get(repository, reference, signal) {
      const what = `manifest ${reference} of ${repository}`;
      const response = await client.expectOk(url(repository, reference), what, signal, {
        accept: manifestAccept,
      });
      const computed = `sha256:${createHash('sha256').update(response.body).digest('hex')}`;
      if (reference.startsWith('sha256:') && reference !== computed) {
        throw new DrydockError('download_failed', `${what} does not match its digest`, {
          reason: 'digest_mismatch',
          details: { host: response.url.host },
        });
      }
      return {
        bytes: response.body,
        mediaType: mediaTypeOf(response.headers),
        digest: reference.includes(':') ? reference : computed,
      };
    },
  };
}

export function createJfrogLister(config: ConnectionConfig, options: ListerOptions): RegistryLister {
  const filter = compileImageFilter(config.include, config.exclude);
  const pageSize = String(options.pageSize ?? defaultPageSize);
  const session = () => {
    const base = connectionUrl(config);
    const root = base.pathname.endsWith('/artifactory')
      ? base.href
      : `${base.href.replace(/\/$/, '')}/artifactory`;
    const client = createWebClient(config, options, staticAuthenticator(config.credentials));
    const at = (path: string, query: Record<string, string> = {}): URL => {
      const url = new URL(`${root}/${path}`);
      for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
      return url;
    };
    return { client, at, host: base.host };
  };

  return {
    async *list(signal: AbortSignal): AsyncGenerator<DiscoveredImage> {
      const { client, at, host } = session();
      const { value: all } = await client.getJson(
        at('api/repositories', { packageType: 'docker' }),
        repositoriesSchema,
        'the repositories',
        signal,
      );
      const named = new Set(config.namespaces);
      const keys = all
        .filter((repository) => (repository.packageType ?? 'docker').toLowerCase() === 'docker')
        .filter((repository) =>
          named.size > 0 ? named.has(repository.key) : (repository.type ?? '').toUpperCase() !== 'VIRTUAL',
        )
        .map((repository) => repository.key);
      for (const missing of named) {
        if (!keys.includes(missing)) {
          options.onSkip?.({
            namespace: missing,
            repository: '',
            code: 'not_found',
            message: `Artifactory has no Docker repository ${missing} visible to these credentials`,
          });
        }
      }
      for (const key of keys) {
        const v2 = (path: string, query: Record<string, string> = {}): URL =>
          at(`api/docker/${encodeURIComponent(key)}/v2/${path}`, query);
        const tagReader = new UnreadableTags(
          new ManifestInspector(manifestReader(client, (path) => v2(path))),
          options.onSkip,
        );
        const images: string[] = [];
        try {
          for await (const image of dockerPages(
            client,
            v2('_catalog', { n: pageSize }),
            'repositories',
            `the catalog of ${key}`,
            signal,
          )) {
            if (filter.repositoryMayMatch(image)) images.push(image);
          }
        } catch (error) {
          if (!isSkippable(error, false)) throw error;
          options.onSkip?.({ namespace: key, repository: '', code: error.code, message: error.message });
          continue;
        }
        for (const image of images) {
          const tags: string[] = [];
          try {
            for await (const tag of dockerPages(
              client,
              v2(`${image}/tags/list`, { n: pageSize }),
              'tags',
              `the tags of ${key}/${image}`,
              signal,
            )) {
              if (filter.matches(image, tag)) tags.push(tag);
            }
          } catch (error) {
            if (!isSkippable(error, false)) throw error;
            if (error.code !== 'not_found') {
              options.onSkip?.({
                namespace: key,
                repository: image,
                code: error.code,
                message: error.message,
              });
            }
            continue;
          }
          const described = mapOrdered(tags, options.concurrency ?? defaultConcurrency, async (tag) => {
            const details = await tagReader.inspect({ namespace: key, repository: image }, tag, signal);
            if (details === undefined) return undefined;
            let pushedAt: Date | null = null;
            try {
              const folder = await client.getJson(
                at(`api/storage/${encodeURIComponent(key)}/${image}/${tag}`),
                folderSchema,
                `the folder of ${key}/${image}:${tag}`,
                signal,
              );
              pushedAt = parseTime(folder.value.lastModified);
            } catch (error) {
              if (!isSkippable(error, true)) throw error;
            }
            return { tag, details, pushedAt };
          });
          for await (const entry of described) {
            if (entry === undefined) continue;
            const { tag, details, pushedAt } = entry;
            yield {
              namespace: key,
              repository: image,
              tag,
              digest: details.digest,
              mediaType: details.mediaType,
              size: details.size,
              platforms: details.platforms,
              pushedAt,
              pull: { registry: host, repository: `${key}/${image}`, reference: details.digest },
            };
          }
        }
      }
    },

    testConnection: (signal) =>
      runConnectivityTest(signal, async () => {
        const { client, at } = session();
        const ping = await client.expectOk(at('api/system/ping'), 'the system ping', signal, {
          authenticate: false,
          accept: 'text/plain',
        });
        if (ping.body.toString('utf8').trim() !== 'OK') {
          throw invalidResponse('the system ping', ping.url.host, 'something other than OK');
        }
        const { value } = await client.getJson(
          at('api/repositories', { packageType: 'docker' }),
          repositoriesSchema,
          'the repositories',
          signal,
        );
        return `Artifactory; ${value.length} Docker repositories visible`;
      }),
  };
}
