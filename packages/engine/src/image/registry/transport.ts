import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import { DrydockError } from '../../util/errors.ts';
import { isLoopbackRegistry } from '../reference.ts';
import { isRetryableNetworkFailure, networkError } from './network-error.ts';
import type { ResolvedRegistryOptions } from './options.ts';
import { registryError } from './registry-errors.ts';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retry-policy.ts';

/**
 * HTTP for registries and token servers, on undici: connect/headers/body-idle timeouts, TLS with
 * extra CAs or without verification, retries with backoff and jitter for idempotent requests
 * (network errors, 5xx), `429 Retry-After` obeyed within a bounded wait, redirects followed
 * without leaking `Authorization` to another origin, plain HTTP refused unless allowed.
 * Every request takes the caller's AbortSignal. Authentication is the client's job, not this one's.
 */

export interface TransportRequest {
  readonly method: 'GET' | 'HEAD';
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  /** Names the object for error messages, e.g. `manifest v1 of test/hand` (no secrets). */
  readonly what: string;
}

export interface TransportResponse {
  readonly status: number;
  /** The URL that answered, after redirects (to resolve relative `Link` targets). */
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  /** Must be consumed or destroyed by the caller. */
  readonly body: Readable;
}

const redirectStatuses: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const maxRedirects = 5;
/** Error bodies are read (to reuse the connection and to learn the registry's error code) up to this size. */
const maxErrorBodyBytes = 64 * 1024;

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Drops a body that will not be read, without letting its abort surface as an unhandled error. */
export function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

function hostOf(url: URL): string {
  return url.host;
}

export class Transport {
  readonly #options: ResolvedRegistryOptions;
  readonly #agent: Agent;

  constructor(options: ResolvedRegistryOptions) {
    this.#options = options;
    const ca = options.caPem.length > 0 ? [...rootCertificates, ...options.caPem] : undefined;
    this.#agent = new Agent({
      connect: {
        timeout: options.timeouts.connectMs,
        rejectUnauthorized: !options.skipTlsVerify,
        ...(ca ? { ca } : {}),
      },
      headersTimeout: options.timeouts.headersMs,
      bodyTimeout: options.timeouts.bodyIdleMs,
      keepAliveTimeout: 10_000,
    });
  }

  get options(): ResolvedRegistryOptions {
    return this.#options;
  }

  /** May `url` be fetched? HTTPS always; HTTP for loopback hosts and hosts marked insecure. */
  allows(url: URL): boolean {
    if (url.protocol === 'https:') return true;
    if (url.protocol !== 'http:') return false;
    return this.#options.insecure || isLoopbackRegistry(url.host);
  }

  #checkAllowed(url: URL, what: string): void {
    if (this.allows(url)) return;
    throw new DrydockError(
      'download_failed',
      `refusing to fetch ${what} from ${url.protocol}//${url.host}: plain HTTP is allowed only for insecure or loopback registries`,
      {
        reason: 'insecure_url',
        details: { host: url.host },
      },
    );
  }

  /**
   * Sends a request, retrying what is safe to retry. Returns every answer that is not retried
   * away (including 4xx); throws `registry_rate_limited` when 429s outlast the wait budget and
   * `download_failed` when 5xx or network errors outlast the attempts.
   */
  async send(request: TransportRequest): Promise<TransportResponse> {
    const { retries, clock, random } = this.#options;
    let retry = 0;
    let rateLimitWaited = 0;
    for (;;) {
      let response: TransportResponse;
      try {
        response = await this.#sendFollowingRedirects(request);
      } catch (error) {
        const failure = networkError(error, hostOf(request.url), request.signal);
        if (!isRetryableNetworkFailure(failure) || retry + 1 >= retries.maxAttempts) throw failure;
        await this.#sleep(backoffDelay(retry, retries, random), request);
        retry += 1;
        continue;
      }
      if (response.status === 429) {
        const retryAfter = parseRetryAfter(headerValue(response.headers, 'retry-after'), clock());
        const wait = retryAfter ?? backoffDelay(retry, retries, random);
        const body = await this.readErrorBody(response, request.signal);
        if (retry + 1 >= retries.maxAttempts || rateLimitWaited + wait > retries.maxRateLimitWaitMs) {
          const failure = registryError(429, body, request.what, hostOf(request.url));
          throw new DrydockError('registry_rate_limited', failure.message, {
            reason:
              retryAfter !== undefined && rateLimitWaited + wait > retries.maxRateLimitWaitMs
                ? 'retry_after_too_long'
                : 'too_many_requests',
            details: {
              ...failure.details,
              ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
              waitedMs: rateLimitWaited,
            },
          });
        }
        rateLimitWaited += wait;
        await this.#sleep(wait, request);
        retry += 1;
        continue;
      }
      if (isRetryableStatus(response.status)) {
        const body = await this.readErrorBody(response, request.signal);
        if (retry + 1 >= retries.maxAttempts) {
          const failure = registryError(response.status, body, request.what, hostOf(request.url));
          throw failure.code === 'download_failed'
            ? new DrydockError('download_failed', `${failure.message} after ${retry + 1} attempts`, {
                reason: failure.reason,
                details: { ...failure.details, attempts: retry + 1 },
              })
            : failure;
        }
        const retryAfter =
          response.status === 503
            ? parseRetryAfter(headerValue(response.headers, 'retry-after'), clock())
            : undefined;
        const wait = Math.min(retryAfter ?? backoffDelay(retry, retries, random), retries.maxDelayMs);
        await this.#sleep(wait, request);
        retry += 1;
        continue;
      }
      return response;
    }
  }

  async #sleep(ms: number, request: TransportRequest): Promise<void> {
    try {
      await this.#options.sleep(ms, request.signal);
    } catch (error) {
      throw networkError(error, hostOf(request.url), request.signal);
    }
  }

  async #sendFollowingRedirects(request: TransportRequest): Promise<TransportResponse> {
    let url = request.url;
    let headers: Record<string, string> = { 'user-agent': this.#options.userAgent, ...request.headers };
    for (let hop = 0; ; hop += 1) {
      this.#checkAllowed(url, request.what);
      const answer = await this.#agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers,
        signal: request.signal,
      });
      const location = headerValue(answer.headers, 'location');
      if (!redirectStatuses.has(answer.statusCode) || location === undefined) {
        return { status: answer.statusCode, url, headers: answer.headers, body: answer.body };
      }
      await answer.body.dump({ limit: maxErrorBodyBytes }).catch(() => undefined);
      if (hop >= maxRedirects) {
        throw new DrydockError('download_failed', `too many redirects fetching ${request.what}`, {
          reason: 'too_many_redirects',
          details: { host: request.url.host },
        });
      }
      const next = new URL(location, url);
      if (url.protocol === 'https:' && next.protocol === 'http:' && !this.allows(next)) {
        throw new DrydockError(
          'download_failed',
          `refusing a redirect from HTTPS to HTTP fetching ${request.what}`,
          { reason: 'insecure_redirect', details: { host: next.host } },
        );
      }
      if (next.origin !== url.origin) {
        // Credentials are for the registry only: a blob store or CDN gets a signed URL, not our token.
        const { authorization: _dropped, ...rest } = headers;
        headers = rest;
      }
      url = next;
    }
  }

  /** Reads a small error body (or nothing when it is large) so the connection can be reused. */
  async readErrorBody(response: TransportResponse, signal: AbortSignal): Promise<Buffer | undefined> {
    try {
      return await this.readBody(
        response,
        maxErrorBodyBytes,
        signal,
        () => new DrydockError('download_failed', 'error body too large', { reason: 'error_body' }),
      );
    } catch {
      return undefined;
    }
  }

  /**
   * Reads a whole body of at most `maxBytes` (checked against Content-Length first, then while
   * reading); `tooLarge` makes the failure for a larger body.
   */
  async readBody(
    response: TransportResponse,
    maxBytes: number,
    signal: AbortSignal,
    tooLarge: () => DrydockError,
  ): Promise<Buffer> {
    const declared = Number(headerValue(response.headers, 'content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      discard(response.body);
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let length = 0;
    try {
      for await (const chunk of response.body) {
        const buffer = chunk as Buffer;
        length += buffer.length;
        if (length > maxBytes) {
          discard(response.body);
          throw tooLarge();
        }
        chunks.push(buffer);
      }
    } catch (error) {
      throw networkError(error, hostOf(response.url), signal, 'body');
    }
    return Buffer.concat(chunks, length);
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}
