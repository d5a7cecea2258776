/**
 * A fake JFrog Artifactory for tests, since Artifactory cannot run here. Each Docker repository key
 * maps to a path prefix of a real test registry (test/harness/registry.ts): key `docker-local`
 * with prefix `jf/local` serves the registry's `jf/local/app` as image `app`.
 *
 * Implemented, after Artifactory's REST API and Docker registry docs:
 * - `GET /artifactory/api/system/ping` → `OK` (no authentication);
 * - `GET /artifactory/api/repositories?packageType=docker` → `[{key, type, description, url, packageType}]`;
 * - `GET /artifactory/api/docker/{key}/v2/_catalog` and `/v2/{image}/tags/list` with `n`/`last`
 *   and `Link: <…>; rel="next"` (omitted with `linkHeaders: false`), manifests (HEAD/GET) proxied;
 * - `GET /artifactory/api/storage/{key}/{image}/{tag}` → folder info with `lastModified`;
 * - the "repository path" Docker API on the host: `/v2/{key}/{image}/…`, challenging with
 *   `Bearer realm="{url}/v2/token"` and also taking Basic directly, as Artifactory does.
 * Authentication: HTTP Basic (users) or `Authorization: Bearer` access tokens; errors are
 * `{"errors":[{"status":401,"message":"…"}]}`. Anonymous access only when `anonymousAccess`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basicUser, bearerToken, FakeApi, sendJson, type FakeApiOptions } from './fake-server.ts';
import { defaultTestUser, type TestUser } from './registry.ts';

export interface FakeJfrogRepository {
  readonly key: string;
  readonly type: 'LOCAL' | 'REMOTE' | 'VIRTUAL' | 'FEDERATED';
  /** Path prefix in the backing registry (without a trailing slash). */
  readonly prefix: string;
}

export interface FakeJfrogOptions extends FakeApiOptions {
  readonly repositories: readonly FakeJfrogRepository[];
  readonly users?: readonly TestUser[];
  /** Identity or access tokens accepted as `Authorization: Bearer`. */
  readonly accessTokens?: readonly string[];
  readonly anonymousAccess?: boolean;
  /** Repository keys the users may not read: left out of the list, 403 on their API. */
  readonly deniedRepositories?: readonly string[];
  /** Send `Link` headers on catalog and tag pages (default true). */
  readonly linkHeaders?: boolean;
  readonly lastModified?: string;
}

export const defaultJfrogLastModified = '2024-04-02T08:30:00.000Z';

type Caller = { readonly kind: 'user'; readonly name: string } | { readonly kind: 'anonymous' };

export class FakeJfrog extends FakeApi<FakeJfrogOptions> {
  readonly #tokens = new Set<string>();

  static start(options: FakeJfrogOptions): Promise<FakeJfrog> {
    return FakeApi.serve((server) => new FakeJfrog(server, options), options.tls);
  }

  #error(
    response: ServerResponse,
    status: number,
    message: string,
    headers: Record<string, string> = {},
  ): void {
    sendJson(response, status, { errors: [{ status, message }] }, headers);
  }

  /** The caller, or the status to answer (401 for bad or missing credentials). */
  #caller(request: IncomingMessage): Caller | 401 {
    const token = bearerToken(request);
    if (token !== undefined) {
      return this.options.accessTokens?.includes(token) || this.#tokens.has(token)
        ? { kind: 'user', name: 'token' }
        : 401;
    }
    const who = basicUser(request, this.options.users ?? [defaultTestUser]);
    if (who === 'invalid') return 401;
    if (who === null) return this.options.anonymousAccess ? { kind: 'anonymous' } : 401;
    return { kind: 'user', name: who.username };
  }

  #readable(key: string): FakeJfrogRepository | 403 | 404 {
    const repository = this.options.repositories.find((candidate) => candidate.key === key);
    if (!repository) return 404;
    return this.options.deniedRepositories?.includes(key) ? 403 : repository;
  }

  async #images(repository: FakeJfrogRepository): Promise<string[]> {
    const prefix = `${repository.prefix}/`;
    return (await this.backing.catalog())
      .filter((name) => name.startsWith(prefix))
      .map((name) => name.slice(prefix.length));
  }

  /** A `n`/`last` page of sorted names, with a Link to the next one when more remain. */
  #page(
    response: ServerResponse,
    url: URL,
    field: 'repositories' | 'tags',
    names: readonly string[],
    extra: Record<string, unknown>,
  ): void {
    const n = Number(url.searchParams.get('n') ?? '0');
    const last = url.searchParams.get('last');
    const after = last === null ? names : names.filter((name) => name > last);
    const page = n > 0 ? after.slice(0, n) : after;
    const more = n > 0 && after.length > n;
    const headers: Record<string, string> = {};
    if (more && this.options.linkHeaders !== false) {
      const next = new URL(url);
      next.searchParams.set('last', page.at(-1) ?? '');
      next.searchParams.set('n', String(n));
      headers['link'] = `<${next.pathname}${next.search}>; rel="next"`;
    }
    sendJson(response, 200, { ...extra, [field]: page }, headers);
  }

  protected override async handle(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ): Promise<void> {
    const path = url.pathname;
    if (path === '/artifactory/api/system/ping') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('OK');
      return;
    }
    if (path === '/v2/token') return this.#token(request, response);
    if (path === '/v2' || path.startsWith('/v2/')) return this.#repositoryPath(request, response, url);
    const caller = this.#caller(request);
    if (caller === 401)
      return this.#error(
        response,
        401,
        request.headers.authorization ? 'Bad credentials' : 'Authentication is required',
      );
    if (path === '/artifactory/api/repositories') {
      const type = url.searchParams.get('packageType');
      const visible = type !== null && type.toLowerCase() !== 'docker' ? [] : this.options.repositories;
      return sendJson(
        response,
        200,
        visible
          .filter((repository) => !this.options.deniedRepositories?.includes(repository.key))
          .map((repository) => ({
            key: repository.key,
            type: repository.type,
            description: `fake ${repository.type.toLowerCase()} Docker repository`,
            url: `${this.url}/artifactory/${repository.key}`,
            packageType: 'Docker',
          })),
      );
    }
    const docker = /^\/artifactory\/api\/docker\/([^/]+)\/v2\/(.*)$/.exec(path);
    if (docker?.[1] !== undefined && docker[2] !== undefined) {
      const found = this.#readable(decodeURIComponent(docker[1]));
      if (found === 404) return this.#error(response, 404, `repository ${docker[1]} not found`);
      if (found === 403) return this.#error(response, 403, 'Forbidden');
      const rest = docker[2];
      if (rest === '_catalog')
        return this.#page(response, url, 'repositories', await this.#images(found), {});
      const tags = /^(.+)\/tags\/list$/.exec(rest);
      if (tags?.[1] !== undefined) {
        const names = await this.backing.tags(`${found.prefix}/${tags[1]}`);
        if (names.length === 0) return this.#error(response, 404, `image ${tags[1]} not found`);
        return this.#page(response, url, 'tags', names, { name: tags[1] });
      }
      if (/^.+\/manifests\/[^/]+$/.test(rest)) {
        return this.backing.proxy(request, response, `/v2/${found.prefix}/${rest}`);
      }
      return this.#error(response, 404, 'not found');
    }
    const storage = /^\/artifactory\/api\/storage\/([^/]+)\/(.+)\/([^/]+)$/.exec(path);
    if (storage?.[1] !== undefined && storage[2] !== undefined && storage[3] !== undefined) {
      const found = this.#readable(decodeURIComponent(storage[1]));
      if (found === 404) return this.#error(response, 404, 'Unable to find item');
      if (found === 403) return this.#error(response, 403, 'Forbidden');
      const [image, tag] = [storage[2], storage[3]];
      if (!(await this.backing.tags(`${found.prefix}/${image}`)).includes(tag)) {
        return this.#error(response, 404, 'Unable to find item');
      }
      const lastModified = this.options.lastModified ?? defaultJfrogLastModified;
      return sendJson(response, 200, {
        repo: found.key,
        path: `/${image}/${tag}`,
        created: lastModified,
        createdBy: 'alice',
        lastModified,
        modifiedBy: 'alice',
        lastUpdated: lastModified,
        children: [{ uri: '/manifest.json', folder: false }],
        uri: `${this.url}/artifactory/api/storage/${found.key}/${image}/${tag}`,
      });
    }
    return this.#error(response, 404, 'not found');
  }

  async #token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const caller = this.#caller(request);
    if (caller === 401) return this.#error(response, 401, 'Bad credentials');
    const token = randomUUID();
    this.#tokens.add(token);
    sendJson(response, 200, { token, expires_in: 3600 });
  }

  async #repositoryPath(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const challenge = {
      'www-authenticate': `Bearer realm="${this.url}/v2/token",service="${this.host}"`,
      'docker-distribution-api-version': 'registry/2.0',
    };
    const caller = this.#caller(request);
    if (caller === 401) return this.#error(response, 401, 'Authentication is required', challenge);
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      return sendJson(response, 200, {}, { 'docker-distribution-api-version': 'registry/2.0' });
    }
    const match = /^\/v2\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!match?.[1] || !match[2]) return this.#error(response, 404, 'not found');
    const found = this.#readable(match[1]);
    if (found === 404) return this.#error(response, 404, `repository ${match[1]} not found`);
    if (found === 403) return this.#error(response, 403, 'Forbidden');
    await this.backing.proxy(request, response, `/v2/${found.prefix}/${match[2]}${url.search}`);
  }
}
