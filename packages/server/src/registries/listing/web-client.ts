import { DrydockError, networkError, type FailureCode, type RegistryCredentials } from '@drydock/engine';
import type { z } from 'zod';
import { setTimeout as delay } from 'node:timers/promises';
import type { ConnectionConfig } from './connection-config.ts';
import { createHttpFetch, httpFetchErrorCodes, type WebFetch } from './http-fetch.ts';
import type { ListerOptions } from './lister-options.ts';

/**
 * Requests to a registry's web API (Harbor, Artifactory, Docker Hub) with the connection's
 * authentication, bounded retries of overload answers (429, 502-504, honouring `Retry-After`),
 * redirects that never carry credentials to another origin, and typed failures:
 * 401 → `authentication_failed` (reason `unauthorized`), 403 → `authentication_failed` (reason
 * `forbidden`), 404 → `not_found`, 429 after the retries → `registry_rate_limited`, network and TLS
 * errors and other statuses → `download_failed` (reasons `network`, `tls`, `headers_timeout`,
 * `server_error`, `unexpected_status`, `invalid_response`). Messages name the host and the object,
 * never a header.
 */

/**
 * The `Authorization` header for a request, or undefined for none. Called again with the value
 * the server rejected (401): an authenticator that can renew (a Docker Hub session token) returns
 * a fresh one; one that cannot returns the same value, and the 401 stands.
 */
export type Authenticator = (signal: AbortSignal, rejected?: string) => Promise<string | undefined>;

export interface WebClientOptions {
  readonly fetch: WebFetch;
  readonly authenticate: Authenticator;
  /** Waits between retries; must reject when `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly userAgent: string;
  /** Attempts for overload answers (429, 502, 503, 504); 1 = no retry. */
  readonly maxAttempts?: number;
  /** Backoff before retry n (1-based) is this·2ⁿ⁻¹ when the server sends no `Retry-After`. */
  readonly baseDelayMs?: number;
}

export interface WebResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The URL that answered (after redirects), to resolve relative links. */
  readonly url: URL;
  readonly body: Buffer;
}

export interface SendOptions {
  readonly method?: 'GET' | 'HEAD' | 'POST';
  readonly accept?: string;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** False for public endpoints (pings), so that a reachability test does not depend on credentials. */
  readonly authenticate?: boolean;
}

const retryStatuses: ReadonlySet<number> = new Set([429, 502, 503, 504]);
const redirectStatuses: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const maxRedirects = 5;
const maxRetryWaitMs = 60_000;
/**
 * A failed exchange (no HTTP answer) as a typed failure, as the engine's registry client types its
 * own; the web client's own timeout and page cap get their reasons here. The caller's abort stays
 * an abort.
 */
export function requestFailure(error: unknown, host: string, signal: AbortSignal): DrydockError {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  if (!signal.aborted && (code === httpFetchErrorCodes.timeout || code === httpFetchErrorCodes.tooLarge)) {
    return new DrydockError('download_failed', `request to ${host} failed (${code})`, {
      reason: code === httpFetchErrorCodes.timeout ? 'headers_timeout' : 'page_too_large',
      cause: error,
      details: { host, code },
    });
  }
  return networkError(error, host, signal);
}

/** The server's own words from an error body: distribution/Harbor/Artifactory `errors[0]`, Docker Hub `message`/`detail`. */
function serverMessage(body: Buffer): { readonly code?: string; readonly message?: string } {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return {};
  }
  if (typeof json !== 'object' || json === null) return {};
  const record = json as Record<string, unknown>;
  const first = Array.isArray(record['errors'])
    ? (record['errors'][0] as Record<string, unknown> | undefined)
    : undefined;
  const code = first?.['code'];
  const message = first?.['message'] ?? record['message'] ?? record['detail'];
  return {
    ...(typeof code === 'string' ? { code: code.slice(0, 64) } : {}),
    ...(typeof message === 'string' ? { message: message.slice(0, 300) } : {}),
  };
}

/** The typed failure of a non-success answer. */
export function statusFailure(response: WebResponse, what: string): DrydockError {
  const { status } = response;
  const host = response.url.host;
  const said = serverMessage(response.body);
  const failure: { readonly code: FailureCode; readonly reason: string; readonly lead: string } =
    status === 401
      ? {
          code: 'authentication_failed',
          reason: 'unauthorized',
          lead: `${host} rejected the credentials for ${what}`,
        }
      : status === 403
        ? { code: 'authentication_failed', reason: 'forbidden', lead: `${host} denied access to ${what}` }
        : status === 404
          ? { code: 'not_found', reason: 'not_found', lead: `${what} was not found on ${host}` }
          : status === 429
            ? {
                code: 'registry_rate_limited',
                reason: 'too_many_requests',
                lead: `${host} rate-limited ${what}`,
              }
            : status >= 500
              ? { code: 'download_failed', reason: 'server_error', lead: `${host} failed to answer ${what}` }
              : {
                  code: 'download_failed',
                  reason: 'unexpected_status',
                  lead: `${host} answered ${what} unexpectedly`,
                };
  const suffix = said.message ? `: ${said.message}` : '';
  const retryAfter = response.headers.get('retry-after');
  return new DrydockError(failure.code, `${failure.lead} (HTTP ${status}${suffix})`, {
    reason: failure.reason,
    details: {
      host,
      status,
      ...(said.code ? { registryCode: said.code } : {}),
      ...(said.message ? { registryMessage: said.message } : {}),
      ...(retryAfter ? { retryAfter } : {}),
    },
  });
}

export function invalidResponse(what: string, host: string, why: string): DrydockError {
  return new DrydockError('download_failed', `${host} answered ${what} with ${why}`, {
    reason: 'invalid_response',
    details: { host },
  });
}

/** Milliseconds a `Retry-After` (seconds or an HTTP date) asks for; undefined when absent or unreadable. */
function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The `rel="next"` target of a `Link` header (RFC 8288), resolved against the answering URL. */
export function nextLink(headers: Headers, base: URL): URL | undefined {
  const header = headers.get('link');
  if (header === null) return undefined;
  for (const match of header.matchAll(/<([^>]*)>([^<]*)/g)) {
    const relation = /;\s*rel\s*=\s*"?([^";,]*)"?/i.exec(match[2] ?? '')?.[1] ?? '';
    if (!relation.toLowerCase().split(/\s+/).includes('next')) continue;
    try {
      return new URL(match[1] ?? '', base);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export class WebClient {
  readonly #options: WebClientOptions;

  constructor(options: WebClientOptions) {
    this.#options = options;
  }

  /** One exchange, any status; network failures throw. */
  async send(url: URL, what: string, signal: AbortSignal, options: SendOptions = {}): Promise<WebResponse> {
    const method = options.method ?? 'GET';
    const attempts = Math.max(1, this.#options.maxAttempts ?? 4);
    let authorization = options.authenticate === false ? undefined : await this.#options.authenticate(signal);
    let renewed = false;
    let target = url;
    let redirects = 0;
    for (let attempt = 1; ;) {
      const sameOrigin = target.origin === url.origin;
      const headers: Record<string, string> = {
        'user-agent': this.#options.userAgent,
        accept: options.accept ?? 'application/json',
        ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(authorization && sameOrigin ? { authorization } : {}),
      };
      let raw: Response;
      try {
        raw = await this.#options.fetch(target, {
          method,
          headers,
          signal,
          redirect: 'manual',
          ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
        });
      } catch (error) {
        throw requestFailure(error, target.host, signal);
      }
      let body: Buffer;
      try {
        body = method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(await raw.arrayBuffer());
      } catch (error) {
        throw requestFailure(error, target.host, signal);
      }
      const response: WebResponse = { status: raw.status, headers: raw.headers, url: target, body };
      const location = raw.headers.get('location');
      if (
        redirectStatuses.has(raw.status) &&
        location !== null &&
        method !== 'POST' &&
        redirects < maxRedirects
      ) {
        redirects += 1;
        target = new URL(location, target);
        if (target.protocol !== 'https:' && url.protocol === 'https:') {
          throw invalidResponse(what, url.host, 'a redirect from https to plain http');
        }
        continue;
      }
      if (raw.status === 401 && authorization !== undefined && !renewed) {
        renewed = true;
        const fresh = await this.#options.authenticate(signal, authorization);
        if (fresh !== undefined && fresh !== authorization) {
          authorization = fresh;
          continue;
        }
      }
      if (retryStatuses.has(raw.status) && attempt < attempts) {
        const wait =
          retryAfterMs(raw.headers.get('retry-after'), Date.now()) ??
          (this.#options.baseDelayMs ?? 1000) * 2 ** (attempt - 1);
        if (wait <= maxRetryWaitMs) {
          attempt += 1;
          await this.#options.sleep(wait, signal);
          continue;
        }
      }
      return response;
    }
  }

  /** A 2xx answer (anything else throws its typed failure). */
  async expectOk(
    url: URL,
    what: string,
    signal: AbortSignal,
    options: SendOptions = {},
  ): Promise<WebResponse> {
    const response = await this.send(url, what, signal, options);
    if (response.status < 200 || response.status > 299) throw statusFailure(response, what);
    return response;
  }

  /** A 2xx JSON answer that fits `schema`. */
  async getJson<T>(
    url: URL,
    schema: z.ZodType<T>,
    what: string,
    signal: AbortSignal,
    options: SendOptions = {},
  ): Promise<{ readonly value: T; readonly response: WebResponse }> {
    const response = await this.expectOk(url, what, signal, options);
    let json: unknown;
    try {
      json = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw invalidResponse(what, response.url.host, 'a body that is not JSON');
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw invalidResponse(what, response.url.host, 'JSON of an unexpected shape');
    return { value: parsed.data, response };
  }
}

/** A fixed `Authorization` from the connection's credentials (HTTP Basic, or a bearer token as is). */
export function staticAuthenticator(credentials: RegistryCredentials): Authenticator {
  const header =
    credentials.kind === 'basic'
      ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`
      : credentials.kind === 'bearer'
        ? `Bearer ${credentials.token}`
        : undefined;
  return () => Promise.resolve(header);
}

const maxApiAnswerBytes = 32 * 1024 * 1024;

/** The web API client of a connection: its TLS settings, the lister's timeouts, retries and sleep. */
export function createWebClient(
  config: Pick<ConnectionConfig, 'caPem' | 'skipTlsVerify'>,
  options: ListerOptions,
  authenticate: Authenticator,
): WebClient {
  const registry = options.registryOptions ?? {};
  const fetch =
    options.fetch ??
    createHttpFetch({
      ...(config.caPem ? { caPem: config.caPem } : {}),
      skipTlsVerify: config.skipTlsVerify ?? false,
      idleTimeoutMs: registry.timeouts?.headersMs ?? 30_000,
      maxBodyBytes: maxApiAnswerBytes,
    });
  return new WebClient({
    fetch,
    authenticate,
    sleep: registry.sleep ?? ((ms, signal) => delay(ms, undefined, { signal })),
    userAgent: registry.userAgent ?? 'drydock/0.1',
    ...(registry.retries?.maxAttempts !== undefined ? { maxAttempts: registry.retries.maxAttempts } : {}),
    ...(registry.retries?.baseDelayMs !== undefined ? { baseDelayMs: registry.retries.baseDelayMs } : {}),
  });
}
