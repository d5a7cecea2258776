/**
 * What the fakes of registry web APIs (fake-harbor.ts, fake-jfrog.ts, fake-dockerhub.ts) share:
 * `serveFake` (a loopback server with a request log), `FakeApi` (the part of a fake a test sees:
 * url, host, requests, stop), the JSON, authentication and paging helpers, and `BackingRegistry`,
 * which reads a real test registry (test/harness/registry.ts) that holds the fakes' content and
 * proxies pulls to it.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { TestRegistry, TestUser } from './registry.ts';
import type { TlsIdentity } from './tls.ts';

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

/** What every fake's options hold: its backing registry and, to serve HTTPS, a TLS identity. */
export interface FakeApiOptions {
  /** The real registry holding the fake's content (auth `none` or `basic`). */
  readonly registry: TestRegistry;
  /** Serve HTTPS with this key and certificate (plain HTTP when absent). */
  readonly tls?: TlsIdentity;
}

/**
 * Starts a loopback server (HTTPS with `tls`) that records every request and answers 500 when the
 * handler throws.
 */
export async function serveFake(handler: FakeHandler, tls?: TlsIdentity): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const listener: RequestListener = (request, response) => {
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
  };
  const server = tls
    ? createTlsServer({ key: tls.keyPem, cert: tls.certPem }, listener)
    : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The part of a fake that tests see: where it listens, the requests it got, and how to stop it. A
 * fake answers requests in `handle`, with `options` and the `backing` registry they name.
 */
export abstract class FakeApi<Options extends FakeApiOptions> {
  readonly #server: FakeServer;
  protected readonly options: Options;
  protected readonly backing: BackingRegistry;

  protected constructor(server: FakeServer, options: Options) {
    this.#server = server;
    this.options = options;
    this.backing = new BackingRegistry(options.registry);
  }

  /** Starts a server and the fake `create` makes on it; requests reach the fake's `handle`. */
  protected static async serve<Fake extends FakeApi<FakeApiOptions>>(
    create: (server: FakeServer) => Fake,
    tls?: TlsIdentity,
  ): Promise<Fake> {
    // Requests arrive only after `fake` exists: the server is not known to anyone before.
    const server = await serveFake(
      (request, response, url, body) => fake.handle(request, response, url, body),
      tls,
    );
    let fake: Fake;
    try {
      fake = create(server);
    } catch (error) {
      // A fake that cannot start (a registry it cannot read) leaves no server listening.
      await server.close();
      throw error;
    }
    return fake;
  }

  protected abstract handle(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    body: Buffer,
  ): Promise<void>;

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
