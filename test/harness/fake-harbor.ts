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
 * This file also holds what the three fakes share: `BackingRegistry` (reads and proxies the real
 * registry) and `serveFake` (server, request log, Basic parsing).
 *
 * ```ts
 * const registry = await startRegistry();           // auth 'none' or 'basic'
 * const harbor = await FakeHarbor.start({ registry, publicProjects: ['library'] });
 * // harbor.url, harbor.host; harbor.requests; harbor.count((r) => r.path.startsWith('/v2/'))
 * await harbor.stop();
 * ```
 */
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { defaultTestUser, type TestRegistry, type TestUser } from './registry.ts';

// ---------------------------------------------------------------------------------------------
// Shared by the fakes

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly path: string;
  readonly authorization: 'none' | 'basic' | 'bearer' | 'other';
}

export interface FakeServer {
  readonly url: string;
  readonly host: string;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

export type FakeHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  body: Buffer,
) => Promise<void>;

/** Starts a loopback server that records every request and answers 500 when the handler throws. */
export async function serveFake(handler: FakeHandler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://fake.invalid');
      const authorization = request.headers.authorization ?? '';
      requests.push({
        method: request.method ?? 'GET',
        path: `${url.pathname}${url.search}`,
        authorization:
          authorization === ''
            ? 'none'
            : /^basic /i.test(authorization)
              ? 'basic'
              : /^bearer /i.test(authorization)
                ? 'bearer'
                : 'other',
      });
      handler(request, response, url, Buffer.concat(chunks)).catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, { message: String(error) });
        else response.destroy();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const bytes = Buffer.from(JSON.stringify(body));
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(bytes.length),
    ...headers,
  });
  response.end(bytes);
}

/** The user of a valid `Authorization: Basic`, `null` for none, `'invalid'` for wrong credentials. */
export function basicUser(request: IncomingMessage, users: readonly TestUser[]): TestUser | null | 'invalid' {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const match = /^basic (.+)$/i.exec(header);
  if (!match?.[1]) return 'invalid';
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return users.find((user) => user.username === username && user.password === password) ?? 'invalid';
}

export function bearerToken(request: IncomingMessage): string | undefined {
  return /^bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

/** One page of `items` by 1-based `page` and `page_size`. */
export function pageOf<T>(items: readonly T[], page: number, pageSize: number): T[] {
  return items.slice((page - 1) * pageSize, page * pageSize);
}

export interface PlatformSpec {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/** A manifest of the backing registry as the fakes describe it. */
export interface BackingManifest {
  readonly digest: string;
  /** The manifest's media type (Content-Type). */
  readonly mediaType: string;
  /** Bytes of the manifest itself. */
  readonly manifestSize: number;
  /** Config media type ('' for indexes and schema 1). */
  readonly configMediaType: string;
  readonly configSize: number;
  /** Sum of the layers' compressed sizes. */
  readonly layersSize: number;
  /** The image config's platform, for single images with an image config. */
  readonly platform: PlatformSpec | undefined;
  /** Children of an index, in order (attestations included, as registries keep them). */
  readonly children: readonly (BackingManifest & { readonly indexPlatform: PlatformSpec | undefined })[];
}

const anyManifest = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
  'application/vnd.docker.distribution.manifest.v1+json',
].join(', ');

interface ManifestJson {
  readonly manifests?: readonly { readonly digest: string; readonly platform?: PlatformSpec }[];
  readonly config?: { readonly digest: string; readonly size: number; readonly mediaType?: string };
  readonly layers?: readonly { readonly size: number }[];
}

/** Reads a real test registry (auth `none` or `basic`) for the fakes, and proxies requests to it. */
export class BackingRegistry {
  readonly #registry: TestRegistry;
  readonly #authorization: string | undefined;

  constructor(registry: TestRegistry) {
    if (registry.auth === 'token')
      throw new Error('fake registries proxy to a registry with auth none or basic');
    this.#registry = registry;
    const user = registry.users[0];
    this.#authorization =
      registry.auth === 'basic' && user
        ? `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`
        : undefined;
  }

  async #get(path: string, accept = 'application/json', method = 'GET'): Promise<Response> {
    return fetch(`${this.#registry.url}${path}`, {
      method,
      headers: { accept, ...(this.#authorization ? { authorization: this.#authorization } : {}) },
    });
  }

  /** All entries of a paginated list (distribution caps `n` at 1000 and links the next page). */
  async #list(path: string, field: 'repositories' | 'tags'): Promise<string[]> {
    const entries: string[] = [];
    let next: string | undefined = path;
    while (next !== undefined) {
      const response = await this.#get(next);
      if (response.status === 404) {
        await response.arrayBuffer();
        break;
      }
      if (!response.ok) throw new Error(`backing registry answered ${next} with ${response.status}`);
      const json = (await response.json()) as Record<string, string[] | null>;
      entries.push(...(json[field] ?? []));
      next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    }
    return entries.sort();
  }

  catalog(): Promise<string[]> {
    return this.#list('/v2/_catalog?n=1000', 'repositories');
  }

  tags(repository: string): Promise<string[]> {
    return this.#list(`/v2/${repository}/tags/list?n=1000`, 'tags');
  }

  /** Digest and media type of a tag (HEAD), or undefined when it does not resolve. */
  async head(
    repository: string,
    reference: string,
  ): Promise<{ digest: string; mediaType: string } | undefined> {
    const response = await this.#get(`/v2/${repository}/manifests/${reference}`, anyManifest, 'HEAD');
    if (!response.ok) return undefined;
    return {
      digest: response.headers.get('docker-content-digest') ?? '',
      mediaType: (response.headers.get('content-type') ?? '').split(';')[0] ?? '',
    };
  }

  async describe(repository: string, reference: string): Promise<BackingManifest | undefined> {
    const response = await this.#get(`/v2/${repository}/manifests/${reference}`, anyManifest);
    if (!response.ok) {
      await response.arrayBuffer();
      return undefined;
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0] ?? '';
    const digest = response.headers.get('docker-content-digest') ?? reference;
    let json: ManifestJson = {};
    try {
      json = JSON.parse(bytes.toString('utf8')) as ManifestJson;
    } catch {
      // not JSON: described by its size alone
    }
    const base = { digest, mediaType, manifestSize: bytes.length };
    if (json.manifests) {
      const children = [];
      for (const entry of json.manifests) {
        const child = await this.describe(repository, entry.digest);
        if (child) children.push({ ...child, indexPlatform: entry.platform });
      }
      return { ...base, configMediaType: '', configSize: 0, layersSize: 0, platform: undefined, children };
    }
    if (!json.config) {
      return {
        ...base,
        configMediaType: '',
        configSize: 0,
        layersSize: 0,
        platform: undefined,
        children: [],
      };
    }
    let platform: PlatformSpec | undefined;
    const configResponse = await this.#get(`/v2/${repository}/blobs/${json.config.digest}`, '*/*');
    if (configResponse.ok) {
      try {
        const config = (await configResponse.json()) as Partial<PlatformSpec>;
        if (config.os && config.architecture) {
          platform = {
            os: config.os,
            architecture: config.architecture,
            ...(config.variant ? { variant: config.variant } : {}),
          };
        }
      } catch {
        // not an image config (an artifact)
      }
    } else {
      await configResponse.arrayBuffer();
    }
    return {
      ...base,
      configMediaType: json.config.mediaType ?? '',
      configSize: json.config.size,
      layersSize: (json.layers ?? []).reduce((sum, layer) => sum + layer.size, 0),
      platform,
      children: [],
    };
  }

  /** Forwards a request to the registry's `path`, streaming the answer back. */
  proxy(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const headers: Record<string, string> = {};
      for (const name of ['accept', 'range', 'content-type']) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      if (this.#authorization) headers['authorization'] = this.#authorization;
      const upstream = httpRequest(
        `${this.#registry.url}${path}`,
        { method: request.method, headers },
        (answer) => {
          const copied: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(answer.headers)) {
            if (value !== undefined && name !== 'connection' && name !== 'keep-alive') copied[name] = value;
          }
          response.writeHead(answer.statusCode ?? 502, copied);
          answer.pipe(response);
          answer.on('end', resolve);
          answer.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end();
    });
  }
}

export function platformText(platform: PlatformSpec): string {
  return [platform.os, platform.architecture, platform.variant].filter((part) => part).join('/');
}

// ---------------------------------------------------------------------------------------------
// Harbor

export interface FakeHarborOptions {
  /** The real registry holding the content (auth `none` or `basic`). */
  readonly registry: TestRegistry;
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

export class FakeHarbor {
  readonly #server: FakeServer;
  readonly #options: FakeHarborOptions;
  readonly #backing: BackingRegistry;
  readonly #tokens = new Map<string, Caller>();

  private constructor(server: FakeServer, options: FakeHarborOptions, backing: BackingRegistry) {
    this.#server = server;
    this.#options = options;
    this.#backing = backing;
  }

  static async start(options: FakeHarborOptions): Promise<FakeHarbor> {
    const backing = new BackingRegistry(options.registry);
    // Requests arrive only after `fake` exists: the server is not known to anyone before.
    const server = await serveFake((request, response, url) => fake.#handle(request, response, url));
    const fake = new FakeHarbor(server, options, backing);
    return fake;
  }

  get url(): string {
    return this.#server.url;
  }

  get host(): string {
    return this.#server.host;
  }

  get requests(): readonly RecordedRequest[] {
    return this.#server.requests;
  }

  count(predicate: (request: RecordedRequest) => boolean = () => true): number {
    return this.#server.requests.filter(predicate).length;
  }

  stop(): Promise<void> {
    return this.#server.close();
  }

  get #users(): readonly TestUser[] {
    return this.#options.users ?? [defaultTestUser];
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
    if (caller.user === null) return this.#options.publicProjects?.includes(project) ? undefined : 401;
    return this.#options.deniedProjects?.includes(project) ? 403 : undefined;
  }

  async #projects(caller: Caller): Promise<string[]> {
    const names = new Set<string>();
    for (const repository of await this.#backing.catalog()) {
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

  async #handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
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
        harbor_version: this.#options.version ?? 'v2.11.0-fake',
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
          metadata: { public: this.#options.publicProjects?.includes(name) ? 'true' : 'false' },
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
    const inProject = (await this.#backing.catalog()).filter((name) => name.startsWith(`${project}/`));
    if (inProject.length === 0)
      return this.#error(response, 404, 'NOT_FOUND', `project ${project} not found`);
    if (segments.length === 3) {
      const repositories = [];
      for (const [index, name] of inProject.entries()) {
        repositories.push({
          id: index + 1,
          project_id: 1,
          name,
          artifact_count: (await this.#backing.tags(name)).length,
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
    const pushTime = this.#options.pushTime ?? defaultHarborPushTime;
    const byDigest = new Map<string, string[]>();
    for (const tag of await this.#backing.tags(repository)) {
      const head = await this.#backing.head(repository, tag);
      if (!head) continue;
      byDigest.set(head.digest, [...(byDigest.get(head.digest) ?? []), tag]);
    }
    const artifacts = [];
    let id = 1;
    for (const [digest, tags] of byDigest) {
      const manifest = await this.#backing.describe(repository, digest);
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
    await this.#backing.proxy(request, response, `${url.pathname}${url.search}`);
  }
}
