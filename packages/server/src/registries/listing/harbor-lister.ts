import { z } from 'zod';
import type { PlatformEntry } from '../../store/schema.ts';
import { connectionUrl, type ConnectionConfig } from './connection-config.ts';
import { runConnectivityTest } from './connectivity.ts';
import type { DiscoveredImage } from './discovered-image.ts';
import { compileImageFilter } from './include-exclude.ts';
import { defaultPageSize, type ListerOptions } from './lister-options.ts';
import { parseTime } from './manifest-documents.ts';
import type { RegistryLister } from './registry-lister.ts';
import { isSkippable } from './skip-policy.ts';
import {
  createWebClient,
  invalidResponse,
  nextLink,
  staticAuthenticator,
  type WebClient,
} from './web-client.ts';

/**
 * Harbor (type `harbor`) through its REST API v2.0 (api/v2.0/swagger.yaml in goharbor/harbor):
 * projects → repositories → artifacts with their tags, so a listing downloads no manifest. Pages
 * use `page`/`page_size` (at most 100), followed by `Link: <…>; rel="next"`, or by `X-Total-Count`
 * when a proxy dropped the link. Authentication is HTTP Basic (users and robot accounts
 * `robot$name`); anonymous sees the public projects. Images are pulled from the same host's `/v2/`,
 * where a repository is named `project/path`.
 */

const projectSchema = z.array(z.object({ name: z.string() }));
const repositorySchema = z.array(z.object({ name: z.string() }));
const platformSchema = z.object({
  os: z.string().nullish(),
  architecture: z.string().nullish(),
  variant: z.string().nullish(),
});
const artifactSchema = z.array(
  z.object({
    digest: z.string(),
    media_type: z.string().nullish(),
    manifest_media_type: z.string().nullish(),
    size: z.number().nullish(),
    push_time: z.string().nullish(),
    tags: z.array(z.object({ name: z.string(), push_time: z.string().nullish() })).nullish(),
    references: z.array(z.object({ child_digest: z.string(), platform: platformSchema.nullish() })).nullish(),
  }),
);
type Artifact = z.infer<typeof artifactSchema>[number];

const systemInfoSchema = z.object({ harbor_version: z.string().nullish() });

/** A repository's name inside its project, as Harbor's path parameter wants it: `/` encoded twice (`a/b` → `a%252Fb`). */
export function harborRepositoryParam(project: string, repository: string): string {
  const inside = repository.startsWith(`${project}/`) ? repository.slice(project.length + 1) : repository;
  return encodeURIComponent(encodeURIComponent(inside));
}

async function* harborPages<T>(
  client: WebClient,
  first: URL,
  schema: z.ZodType<T[]>,
  what: string,
  signal: AbortSignal,
): AsyncGenerator<T> {
  const seen = new Set<string>();
  let url: URL | undefined = first;
  let received = 0;
  while (url !== undefined) {
    if (seen.has(url.href)) throw invalidResponse(what, url.host, 'pages that loop');
    seen.add(url.href);
    const { value, response } = await client.getJson(url, schema, what, signal);
    received += value.length;
    yield* value;
    const linked = nextLink(response.headers, response.url);
    if (linked !== undefined && linked.origin !== first.origin)
      throw invalidResponse(what, first.host, 'a next page on another host');
    const total = Number(response.headers.get('x-total-count'));
    if (linked !== undefined) {
      url = linked;
    } else if (value.length > 0 && Number.isFinite(total) && received < total) {
      const page = Number(url.searchParams.get('page') ?? '1');
      url = new URL(url);
      url.searchParams.set('page', String(page + 1));
    } else {
      url = undefined;
    }
  }
}

function platformOf(reference: NonNullable<Artifact['references']>[number]): string | undefined {
  const { os, architecture, variant } = reference.platform ?? {};
  if (!os || !architecture || os === 'unknown' || architecture === 'unknown') return undefined;
  return [os, architecture, variant].filter((part) => part).join('/');
}

export function createHarborLister(config: ConnectionConfig, options: ListerOptions): RegistryLister {
  const filter = compileImageFilter(config.include, config.exclude);
  const pageSize = String(Math.min(options.pageSize ?? defaultPageSize, 100));
  const session = (): {
    client: WebClient;
    api: (path: string, query?: Record<string, string>) => URL;
    host: string;
  } => {
    const base = connectionUrl(config);
    const client = createWebClient(config, options, staticAuthenticator(config.credentials));
    const api = (path: string, query: Record<string, string> = {}): URL => {
      const url = new URL(`${base.href.replace(/\/$/, '')}/api/v2.0${path}`);
      for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
      return url;
    };
    return { client, api, host: base.host };
  };

  return {
    async *list(signal: AbortSignal): AsyncGenerator<DiscoveredImage> {
      const { client, api, host } = session();
      const paged = { page: '1', page_size: pageSize };
      // Listing projects (or one page of them) first proves the credentials, so that later
      // refusals are about one project or repository, not the account.
      const projects: string[] = [];
      if (config.namespaces.length > 0) {
        await client.getJson(
          api('/projects', { page: '1', page_size: '1' }),
          projectSchema,
          'the projects',
          signal,
        );
        projects.push(...config.namespaces);
      } else {
        for await (const project of harborPages(
          client,
          api('/projects', paged),
          projectSchema,
          'the projects',
          signal,
        )) {
          projects.push(project.name);
        }
      }
      for (const project of projects) {
        const projectPath = `/projects/${encodeURIComponent(project)}`;
        const repositories: string[] = [];
        try {
          for await (const repository of harborPages(
            client,
            api(`${projectPath}/repositories`, paged),
            repositorySchema,
            `the repositories of project ${project}`,
            signal,
          )) {
            if (filter.repositoryMayMatch(repository.name)) repositories.push(repository.name);
          }
        } catch (error) {
          if (!isSkippable(error, false)) throw error;
          options.onSkip?.({ namespace: project, repository: '', code: error.code, message: error.message });
          continue;
        }
        for (const repository of repositories) {
          const artifacts: Artifact[] = [];
          try {
            for await (const artifact of harborPages(
              client,
              api(`${projectPath}/repositories/${harborRepositoryParam(project, repository)}/artifacts`, {
                ...paged,
                with_tag: 'true',
              }),
              artifactSchema,
              `the artifacts of ${repository}`,
              signal,
            )) {
              artifacts.push(artifact);
            }
          } catch (error) {
            if (!isSkippable(error, false)) throw error;
            if (error.code !== 'not_found') {
              options.onSkip?.({ namespace: project, repository, code: error.code, message: error.message });
            }
            continue;
          }
          // Index children that Harbor lists as artifacts of their own give their platforms' sizes.
          const sizes = new Map(artifacts.map((artifact) => [artifact.digest, artifact.size ?? 0]));
          for (const artifact of artifacts) {
            const platforms: PlatformEntry[] = [];
            for (const reference of artifact.references ?? []) {
              const platform = platformOf(reference);
              if (platform === undefined) continue;
              platforms.push({
                platform,
                digest: reference.child_digest,
                size: sizes.get(reference.child_digest) ?? 0,
              });
            }
            for (const tag of artifact.tags ?? []) {
              if (!filter.matches(repository, tag.name)) continue;
              yield {
                namespace: project,
                repository,
                tag: tag.name,
                digest: artifact.digest,
                mediaType: artifact.manifest_media_type ?? artifact.media_type ?? '',
                size: artifact.size ?? 0,
                platforms,
                pushedAt: parseTime(tag.push_time) ?? parseTime(artifact.push_time),
                pull: { registry: host, repository, reference: artifact.digest },
              };
            }
          }
        }
      }
    },

    testConnection: (signal) =>
      runConnectivityTest(signal, async () => {
        const { client, api } = session();
        const info = await client.getJson(
          api('/systeminfo'),
          systemInfoSchema,
          'the system information',
          signal,
          {
            authenticate: false,
          },
        );
        const projects = await client.getJson(
          api('/projects', { page: '1', page_size: '1' }),
          projectSchema,
          'the projects',
          signal,
        );
        const total = projects.response.headers.get('x-total-count');
        const version = info.value.harbor_version ? `Harbor ${info.value.harbor_version}` : 'Harbor';
        return `${version}; ${total ?? projects.value.length} project(s) visible to ${describe(config)}`;
      }),
  };
}

function describe(config: ConnectionConfig): string {
  switch (config.credentials.kind) {
    case 'anonymous':
      return 'anonymous access';
    case 'basic':
      return config.credentials.username;
    case 'bearer':
      return 'the token';
  }
}
