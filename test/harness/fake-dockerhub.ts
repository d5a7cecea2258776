/**
 * A fake Docker Hub web API (https://docs.docker.com/reference/api/hub/latest/) for tests. Its
 * namespaces and repositories are a real test registry's two-segment repositories
 * (`acme/app` → namespace `acme`, repository `app`); pulls go to that registry directly (the
 * lister's `pullRegistry` option), as they go to registry-1.docker.io in production.
 *
 * Implemented:
 * - `POST /v2/auth/token` `{identifier, secret}` → `{access_token}`; 401 `{"message","errinfo"}`;
 * - `GET /v2/namespaces/{ns}/repositories` and `…/repositories/{repo}/tags`, paged by `page` and
 *   `page_size` (capped at 100) with `count` and absolute `next`/`previous` URLs; tags carry
 *   `digest`, `media_type`, `full_size`, `tag_last_pushed` and `images[]` per platform.
 * Repositories in `privateNamespaces` are visible only with a valid bearer token (anonymous: not
 * listed, their tags 404); an invalid or revoked token answers 401. `rateLimitNext(n, seconds)`
 * answers the next n API reads with 429, `Retry-After` and the `X-RateLimit-*` headers.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  bearerToken,
  FakeApi,
  pageOf,
  sendJson,
  type BackingManifest,
  type FakeApiOptions,
} from './fake-server.ts';
import { defaultTestUser, type TestUser } from './registry.ts';

export interface FakeDockerHubOptions extends FakeApiOptions {
  readonly users?: readonly TestUser[];
  readonly privateNamespaces?: readonly string[];
  readonly pushTime?: string;
}

export const defaultDockerHubPushTime = '2024-05-03T12:00:00.000000Z';

export class FakeDockerHub extends FakeApi<FakeDockerHubOptions> {
  readonly #tokens = new Map<string, string>();
  #rateLimited = 0;
  #retryAfterSeconds = 1;

  static start(options: FakeDockerHubOptions): Promise<FakeDockerHub> {
    return FakeApi.serve((server) => new FakeDockerHub(server, options), options.tls);
  }

  /** Invalidates every issued token (as their expiry would): clients must sign in again. */
  revokeTokens(): void {
    this.#tokens.clear();
  }

  /** The next `count` reads (not sign-ins) answer 429 asking to retry after `seconds`. */
  rateLimitNext(count: number, seconds = 1): void {
    this.#rateLimited = count;
    this.#retryAfterSeconds = seconds;
  }

  #error(response: ServerResponse, status: number, message: string): void {
    sendJson(response, status, { message, errinfo: {} });
  }

  #paged(response: ServerResponse, url: URL, items: readonly unknown[]): void {
    const page = Math.max(1, Number(url.searchParams.get('page') ?? '1') || 1);
    const pageSize = Math.min(100, Math.max(1, Number(url.searchParams.get('page_size') ?? '10') || 10));
    const link = (to: number): string | null => {
      if (to < 1 || (to - 1) * pageSize >= items.length) return null;
      const target = new URL(`${url.pathname}${url.search}`, this.url);
      target.searchParams.set('page', String(to));
      target.searchParams.set('page_size', String(pageSize));
      return target.href;
    };
    sendJson(response, 200, {
      count: items.length,
      next: link(page + 1),
      previous: link(page - 1),
      results: pageOf(items, page, pageSize),
    });
  }

  protected override async handle(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    body: Buffer,
  ): Promise<void> {
    if (url.pathname === '/v2/auth/token' && request.method === 'POST') return this.#signIn(response, body);
    if (this.#rateLimited > 0) {
      this.#rateLimited -= 1;
      return sendJson(
        response,
        429,
        { message: 'Too Many Requests', errinfo: {} },
        {
          'retry-after': String(this.#retryAfterSeconds),
          'x-ratelimit-limit': '180',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + this.#retryAfterSeconds),
        },
      );
    }
    const token = bearerToken(request);
    const user = token === undefined ? null : this.#tokens.get(token);
    if (user === undefined) return this.#error(response, 401, 'invalid or expired token');
    const match = /^\/v2\/namespaces\/([^/]+)\/repositories(?:\/([^/]+)\/tags)?\/?$/.exec(url.pathname);
    if (!match?.[1]) return this.#error(response, 404, 'object not found');
    const namespace = decodeURIComponent(match[1]);
    const hidden = user === null && (this.options.privateNamespaces?.includes(namespace) ?? false);
    const names = (await this.backing.catalog())
      .filter((name) => name.startsWith(`${namespace}/`) && name.split('/').length === 2)
      .map((name) => name.slice(namespace.length + 1));
    if (match[2] === undefined) {
      if (names.length === 0) return this.#error(response, 404, 'object not found');
      return this.#paged(
        response,
        url,
        (hidden ? [] : names).map((name) => ({
          name,
          namespace,
          repository_type: 'image',
          status: 1,
          status_description: 'active',
          description: '',
          is_private: this.options.privateNamespaces?.includes(namespace) ?? false,
          star_count: 0,
          pull_count: 0,
          last_updated: this.options.pushTime ?? defaultDockerHubPushTime,
          date_registered: '2023-01-01T00:00:00.000000Z',
          affiliation: '',
          media_types: [],
          content_types: ['image'],
        })),
      );
    }
    const repository = decodeURIComponent(match[2]);
    if (hidden || !names.includes(repository)) return this.#error(response, 404, 'object not found');
    const tags = [];
    for (const [index, name] of (await this.backing.tags(`${namespace}/${repository}`)).entries()) {
      const manifest = await this.backing.describe(`${namespace}/${repository}`, name);
      if (manifest) tags.push(this.#tag(index + 1, name, manifest));
    }
    return this.#paged(response, url, tags);
  }

  #tag(id: number, name: string, manifest: BackingManifest): unknown {
    const pushed = this.options.pushTime ?? defaultDockerHubPushTime;
    const image = (entry: BackingManifest, platform = entry.platform) => ({
      architecture: platform?.architecture ?? 'unknown',
      features: '',
      variant: platform?.variant ?? null,
      digest: entry.digest,
      os: platform?.os ?? 'unknown',
      os_features: '',
      os_version: null,
      size: entry.layersSize,
      status: 'active',
      last_pulled: null,
      last_pushed: pushed,
    });
    const images =
      manifest.children.length > 0
        ? manifest.children.map((child) => image(child, child.indexPlatform))
        : manifest.configSize > 0
          ? [image(manifest)]
          : [];
    return {
      creator: 1,
      id,
      images,
      last_updated: pushed,
      last_updater: 1,
      last_updater_username: 'alice',
      name,
      repository: 1,
      full_size:
        manifest.children.length > 0
          ? Math.max(0, ...manifest.children.map((child) => child.layersSize))
          : manifest.layersSize,
      v2: true,
      tag_status: 'active',
      tag_last_pulled: null,
      tag_last_pushed: pushed,
      media_type: manifest.mediaType,
      content_type: 'image',
      digest: manifest.digest,
    };
  }

  #signIn(response: ServerResponse, body: Buffer): void {
    let credentials: { identifier?: unknown; secret?: unknown } = {};
    try {
      credentials = JSON.parse(body.toString('utf8')) as typeof credentials;
    } catch {
      return this.#error(response, 400, 'invalid JSON');
    }
    const user = (this.options.users ?? [defaultTestUser]).find(
      (candidate) =>
        candidate.username === credentials.identifier && candidate.password === credentials.secret,
    );
    if (!user) return this.#error(response, 401, 'Incorrect authentication credentials');
    const token = randomUUID();
    this.#tokens.set(token, user.username);
    sendJson(response, 200, { access_token: token });
  }
}
