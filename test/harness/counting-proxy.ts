import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through HTTP proxy in front of a test registry that counts requests (so tests can assert
 * that nothing was pulled) and can answer the next requests with `429 Too Many Requests` and a
 * `Retry-After`, as a rate-limited registry does, or fail blob and manifest reads. Test code only.
 */
export class CountingProxy {
  readonly requests: { readonly method: string; readonly path: string }[] = [];
  #tooManyLeft = 0;
  #retryAfterSeconds = 0;
  #failLeft = 0;
  #stalled: (() => void)[] | undefined;
  readonly #brokenManifests = new Set<string>();

  private readonly server: Server;
  readonly url: string;

  private constructor(server: Server, url: string) {
    this.server = server;
    this.url = url;
  }

  static async start(target: string): Promise<CountingProxy> {
    const upstream = new URL(target);
    const state: { proxy?: CountingProxy } = {};
    const forward = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
      const forwarded = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: upstream.host },
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', () => outgoing.destroy());
      incoming.pipe(forwarded);
    };
    const server = createServer((incoming: IncomingMessage, outgoing) => {
      const proxy = state.proxy;
      if (!proxy) return outgoing.destroy();
      proxy.requests.push({ method: incoming.method ?? 'GET', path: incoming.url ?? '/' });
      if (proxy.#stalled && /\/blobs\//.test(incoming.url ?? '')) {
        // Held until `release()`: a registry that stops answering mid-pull.
        proxy.#stalled.push(() => forward(incoming, outgoing));
        return;
      }
      if (proxy.#failLeft > 0 && /\/blobs\//.test(incoming.url ?? '')) {
        proxy.#failLeft -= 1;
        incoming.resume();
        outgoing.writeHead(503, { 'content-type': 'text/plain' });
        outgoing.end('upstream unavailable');
        return;
      }
      if (proxy.#brokenManifests.has((incoming.url ?? '').split('?')[0] ?? '')) {
        incoming.resume();
        outgoing.writeHead(500, { 'content-type': 'text/plain' });
        outgoing.end('manifest store broken');
        return;
      }
      if (proxy.#tooManyLeft > 0 && incoming.url !== '/v2/') {
        proxy.#tooManyLeft -= 1;
        incoming.resume();
        outgoing.writeHead(429, {
          'content-type': 'application/json',
          'retry-after': String(proxy.#retryAfterSeconds),
        });
        outgoing.end(JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'pull rate limit' }] }));
        return;
      }
      forward(incoming, outgoing);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    state.proxy = new CountingProxy(server, `http://127.0.0.1:${port}`);
    return state.proxy;
  }

  /** Requests that fetched a manifest or a blob: what a pull is made of. */
  get pulls(): number {
    return this.requests.filter((entry) => entry.method === 'GET' && /\/(manifests|blobs)\//.test(entry.path))
      .length;
  }

  /** Answers the next `count` requests (other than the ping) with 429 and this Retry-After. */
  tooManyRequests(count: number, retryAfterSeconds: number): void {
    this.#tooManyLeft = count;
    this.#retryAfterSeconds = retryAfterSeconds;
  }

  /** Answers the next `count` blob requests with `503 Service Unavailable` (no Retry-After). */
  failBlobs(count: number): void {
    this.#failLeft = count;
  }

  /**
   * Answers every read of these tags' manifests (`repository:tag`) with `500` from now on (until
   * `mendManifests`): a registry that lists a tag but cannot serve it.
   */
  breakManifests(tags: readonly string[]): void {
    for (const entry of tags) {
      const colon = entry.lastIndexOf(':');
      this.#brokenManifests.add(`/v2/${entry.slice(0, colon)}/manifests/${entry.slice(colon + 1)}`);
    }
  }

  mendManifests(): void {
    this.#brokenManifests.clear();
  }

  /** Holds every blob request from now on until `release()`. */
  stallBlobs(): void {
    this.#stalled ??= [];
  }

  /** Lets the held blob requests (and later ones) through. */
  release(): void {
    const held = this.#stalled ?? [];
    this.#stalled = undefined;
    for (const resume of held) resume();
  }

  /** Blob requests held now. */
  get stalledRequests(): number {
    return this.#stalled?.length ?? 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
