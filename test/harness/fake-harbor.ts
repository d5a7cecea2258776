/**
 * A fake Harbor (REST API v2.0, goharbor/harbor api/v2.0/swagger.yaml) for tests, since Harbor
 * cannot run here. Its content is a real test registry's (test/harness/registry.ts): repositories
 * group into projects by their first path segment, artifacts are the tagged manifests, and `/v2/*`
 * is proxied to the registry behind Harbor's token service, so pulls work as they would.
 *
 * Implemented: `GET /api/v2.0/ping`, `/systeminfo`, `/projects`, `/projects/{p}/repositories`,
 * `/projects/{p}/repositories/{r}/artifacts` (repository name inside the project, `/` encoded
 * twice as `%252F`), with `page`/`page_size` (default 10, more than 100 → 422), `X-Total-Count` and
 * Harbor's `Link` header; HTTP Basic for users and robot accounts (`robot$name`); anonymous users
 * see public projects only (401 elsewhere), users see every project except `deniedProjects`
 * (403); errors are `{"errors":[{"code","message"}]}`. `/service/token` issues bearer tokens for
 * `/v2/`.
 *
 * What the three fakes share (server, request log, paging, the backing registry) is in
 * fake-server.ts.
 *
 * ```ts
 * const registry = await startRegistry();           // auth 'none' or 'basic'
 * const harbor = await FakeHarbor.start({ registry, publicProjects: ['library'] });
 * // harbor.url, harbor.host; harbor.requests; harbor.count((r) => r.path.startsWith('/v2/'))
 * await harbor.stop();
 * ```
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basicUser, bearerToken, FakeApi, pageOf, sendJson, type FakeApiOptions } from './fake-server.ts';
import { defaultTestUser, type TestUser } from './registry.ts';

export interface FakeHarborOptions extends FakeApiOptions {
  /** Harbor accounts (users and robot accounts); `[defaultTestUser]` when absent. */
  readonly users?: readonly TestUser[];
  /** Projects anonymous users may read. */
  readonly publicProjects?: readonly string[];
  /** Projects the users may not read (403), left out of their project list. */
  readonly deniedProjects?: readonly string[];
  /** Every artifact's and tag's `push_time`. */
  readonly pushTime?: string;
  readonly version?: string;
}

export const defaultHarborPushTime = '2024-03-01T10:00:00.000Z';

interface Caller {
  readonly user: TestUser | null;
}

export class FakeHarbor extends FakeApi<FakeHarborOptions> {
  readonly #tokens = new Map<string, Caller>();

  static start(options: FakeHarborOptions): Promise<FakeHarbor> {
    return FakeApi.serve((server) => new FakeHarbor(server, options), options.tls);
  }

  get #users(): readonly TestUser[] {
    return this.options.users ?? [defaultTestUser];
  }

  #error(
    response: ServerResponse,
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
  ): void {
    sendJson(response, status, { errors: [{ code, message }] }, headers);
  }

  /** Who may read `project`: undefined when allowed, else the status to answer. */
  #denial(caller: Caller, project: string): 401 | 403 | undefined {
    if (caller.user === null) return this.options.publicProjects?.includes(project) ? undefined : 401;
    return this.options.deniedProjects?.includes(project) ? 403 : undefined;
  }

  async #projects(caller: Caller): Promise<string[]> {
    const names = new Set<string>();
    for (const repository of await this.backing.catalog()) {
      const slash = repository.indexOf('/');
      if (slash > 0) names.add(repository.slice(0, slash));
    }
    return [...names].sort().filter((project) => this.#denial(caller, project) === undefined);
  }

  #page<T>(response: ServerResponse, url: URL, items: readonly T[]): void {
    const page = Number(url.searchParams.get('page') ?? '1');
    const pageSize = Number(url.searchParams.get('page_size') ?? '10');
    if (
      !Number.isInteger(page) ||
      page < 1 ||
      !Number.isInteger(pageSize) ||
      pageSize < 1 ||
      pageSize > 100
    ) {
      this.#error(
        response,
        422,
        'UNPROCESSABLE_ENTITY',
        'validation failure list:\npage_size in query should be less than or equal to 100',
      );
      return;
    }
    const link = (to: number): string => {
      const target = new URL(url);
      target.searchParams.set('page', String(to));
      target.searchParams.set('page_size', String(pageSize));
      return `${target.pathname}${target.search}`;
    };
    const links: string[] = [];
    if (page > 1) links.push(`<${link(page - 1)}>; rel="prev"`);
    if (page * pageSize < items.length) links.push(`<${link(page + 1)}>; rel="next"`);
    sendJson(response, 200, pageOf(items, page, pageSize), {
      'x-total-count': String(items.length),
      ...(links.length > 0 ? { link: links.join(' , ') } : {}),
    });
  }

  protected override async handle(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ): Promise<void> {
    const path = url.pathname;
    if (path === '/service/token') return this.#token(request, response);
    if (path === '/v2' || path.startsWith('/v2/')) return this.#registry(request, response, url);
    if (!path.startsWith('/api/v2.0/')) return this.#error(response, 404, 'NOT_FOUND', 'not found');
    const who = basicUser(request, this.#users);
    if (who === 'invalid') return this.#error(response, 401, 'UNAUTHORIZED', 'unauthorized');
    const caller: Caller = { user: who };
    const route = path.slice('/api/v2.0'.length);
    if (route === '/ping') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('Pong');
      return;
    }
    if (route === '/systeminfo') {
      return sendJson(response, 200, {
        harbor_version: this.options.version ?? 'v2.11.0-fake',
        auth_mode: 'db_auth',
        registry_url: this.host,
        external_url: this.url,
        self_registration: false,
        has_ca_root: false,
        read_only: false,
      });
    }
    if (route === '/projects') {
      const projects = await this.#projects(caller);
      return this.#page(
        response,
        url,
        projects.map((name, index) => ({
          project_id: index + 1,
          name,
          metadata: { public: this.options.publicProjects?.includes(name) ? 'true' : 'false' },
          creation_time: defaultHarborPushTime,
          update_time: defaultHarborPushTime,
        })),
      );
    }
    const segments = path.split('/').slice(3);
    // segments: projects, {project}, repositories[, {repository}, artifacts]
    if (segments[0] !== 'projects' || segments[2] !== 'repositories' || segments[1] === undefined) {
      return this.#error(response, 404, 'NOT_FOUND', 'not found');
    }
    const project = decodeURIComponent(segments[1]);
    const denial = this.#denial(caller, project);
    if (denial === 401) return this.#error(response, 401, 'UNAUTHORIZED', 'unauthorized');
    if (denial === 403) return this.#error(response, 403, 'FORBIDDEN', 'forbidden');
    const inProject = (await this.backing.catalog()).filter((name) => name.startsWith(`${project}/`));
    if (inProject.length === 0)
      return this.#error(response, 404, 'NOT_FOUND', `project ${project} not found`);
    if (segments.length === 3) {
      const repositories = [];
      for (const [index, name] of inProject.entries()) {
        repositories.push({
          id: index + 1,
          project_id: 1,
          name,
          artifact_count: (await this.backing.tags(name)).length,
          pull_count: 0,
          creation_time: defaultHarborPushTime,
          update_time: defaultHarborPushTime,
        });
      }
      return this.#page(response, url, repositories);
    }
    if (segments.length !== 5 || segments[4] !== 'artifacts' || segments[3] === undefined) {
      return this.#error(response, 404, 'NOT_FOUND', 'not found');
    }
    // The router decodes the path once; a `/` sent encoded only once would split the route.
    const once = decodeURIComponent(segments[3]);
    if (once.includes('/')) return this.#error(response, 404, 'NOT_FOUND', 'not found');
    const repository = `${project}/${decodeURIComponent(once)}`;
    if (!inProject.includes(repository))
      return this.#error(response, 404, 'NOT_FOUND', `repository ${repository} not found`);
    return this.#page(
      response,
      url,
      await this.#artifacts(repository, url.searchParams.get('with_tag') !== 'false'),
    );
  }

  /** One artifact per tagged manifest, with its tags: what Harbor's artifact list shows at the top level. */
  async #artifacts(repository: string, withTag: boolean): Promise<unknown[]> {
    const pushTime = this.options.pushTime ?? defaultHarborPushTime;
    const byDigest = new Map<string, string[]>();
    for (const tag of await this.backing.tags(repository)) {
      const head = await this.backing.head(repository, tag);
      if (!head) continue;
      byDigest.set(head.digest, [...(byDigest.get(head.digest) ?? []), tag]);
    }
    const artifacts = [];
    let id = 1;
    for (const [digest, tags] of byDigest) {
      const manifest = await this.backing.describe(repository, digest);
      if (!manifest) continue;
      const index = manifest.children.length > 0;
      const size = index
        ? manifest.manifestSize +
          manifest.children.reduce(
            (sum, child) => sum + child.manifestSize + child.configSize + child.layersSize,
            0,
          )
        : manifest.manifestSize + manifest.configSize + manifest.layersSize;
      artifacts.push({
        id: id++,
        type:
          index ||
          manifest.configMediaType.includes('container.image') ||
          manifest.configMediaType.includes('image.config')
            ? 'IMAGE'
            : 'UNKNOWN',
        media_type: index ? manifest.mediaType : manifest.configMediaType || manifest.mediaType,
        manifest_media_type: manifest.mediaType,
        project_id: 1,
        repository_id: 1,
        digest,
        size,
        push_time: pushTime,
        pull_time: '0001-01-01T00:00:00.000Z',
        extra_attrs: manifest.platform
          ? { os: manifest.platform.os, architecture: manifest.platform.architecture }
          : {},
        references: index
          ? manifest.children.map((child) => ({
              parent_id: id - 1,
              child_id: 0,
              child_digest: child.digest,
              platform: child.indexPlatform ?? null,
              urls: null,
              annotations: null,
            }))
          : null,
        tags: withTag
          ? tags.map((name, tagId) => ({
              id: tagId + 1,
              repository_id: 1,
              artifact_id: id - 1,
              name,
              push_time: pushTime,
              pull_time: '0001-01-01T00:00:00.000Z',
              immutable: false,
            }))
          : null,
      });
    }
    return artifacts;
  }

  async #token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const who = basicUser(request, this.#users);
    if (who === 'invalid') return this.#error(response, 401, 'UNAUTHORIZED', 'unauthorized');
    const token = randomUUID();
    this.#tokens.set(token, { user: who });
    sendJson(response, 200, {
      token,
      access_token: token,
      expires_in: 1800,
      issued_at: new Date().toISOString(),
    });
  }

  async #registry(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const challenge = {
      'www-authenticate': `Bearer realm="${this.url}/service/token",service="harbor-registry"`,
      'docker-distribution-api-version': 'registry/2.0',
    };
    const token = bearerToken(request);
    const caller = token === undefined ? undefined : this.#tokens.get(token);
    if (caller === undefined)
      return this.#error(response, 401, 'UNAUTHORIZED', 'unauthorized to access repository', challenge);
    const project = url.pathname.split('/')[2];
    if (project && url.pathname !== '/v2/' && url.pathname !== '/v2/_catalog') {
      const denial = this.#denial(caller, project);
      if (denial === 401)
        return this.#error(response, 401, 'UNAUTHORIZED', 'unauthorized to access repository', challenge);
      if (denial === 403)
        return this.#error(response, 403, 'DENIED', 'requested access to the resource is denied');
    }
    await this.backing.proxy(request, response, `${url.pathname}${url.search}`);
  }
}
