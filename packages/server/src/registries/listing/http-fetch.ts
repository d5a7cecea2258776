import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';

/** One request of a registry's web API (Harbor, Artifactory, Docker Hub): small JSON exchanges. */
export interface WebRequest {
  readonly method: 'GET' | 'HEAD' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
  /** Redirects come back as 3xx answers: the caller decides whether credentials may follow them. */
  readonly redirect: 'manual';
}

/** The subset of `fetch` the listers use; the global `fetch` fits it. */
export type WebFetch = (url: URL, init: WebRequest) => Promise<Response>;

export interface HttpFetchOptions {
  readonly caPem?: string;
  readonly skipTlsVerify?: boolean;
  /** Longest silence on the socket, connecting included, before the request fails. */
  readonly idleTimeoutMs: number;
  /** Answers larger than this fail (API pages are small; this bounds memory). */
  readonly maxBodyBytes: number;
}

/** Error codes this module gives its own failures (mapped to typed failures by web-client.ts). */
export const httpFetchErrorCodes = {
  timeout: 'ERR_DRYDOCK_IDLE_TIMEOUT',
  tooLarge: 'ERR_DRYDOCK_BODY_TOO_LARGE',
} as const;

const nullBodyStatuses: ReadonlySet<number> = new Set([101, 204, 205, 304]);

function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

/**
 * A WebFetch on node:http/https, because the global fetch cannot take a per-connection CA or
 * skip verification without undici's Agent, which the server does not depend on. Keep-alive
 * sockets idle in the pool do not hold the process open (Node unrefs them).
 */
export function createHttpFetch(options: HttpFetchOptions): WebFetch {
  const ca = options.caPem ? [...rootCertificates, options.caPem] : undefined;
  const httpsAgent = new HttpsAgent({
    keepAlive: true,
    rejectUnauthorized: !(options.skipTlsVerify ?? false),
    ...(ca ? { ca } : {}),
  });
  const httpAgent = new HttpAgent({ keepAlive: true });
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const secure = url.protocol === 'https:';
      const send = secure ? httpsRequest : httpRequest;
      const request = send(
        url,
        {
          method: init.method,
          headers:
            init.body === undefined
              ? init.headers
              : { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
          agent: secure ? httpsAgent : httpAgent,
          signal: init.signal,
          timeout: options.idleTimeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let total = 0;
          response.on('data', (chunk: Buffer) => {
            total += chunk.length;
            if (total > options.maxBodyBytes) {
              response.destroy(
                codedError(
                  `the answer is larger than ${options.maxBodyBytes} bytes`,
                  httpFetchErrorCodes.tooLarge,
                ),
              );
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', reject);
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            const body =
              init.method === 'HEAD' || nullBodyStatuses.has(status)
                ? null
                : new Uint8Array(Buffer.concat(chunks));
            try {
              resolve(new Response(body, { status, headers: toHeaders(response.headers) }));
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          });
        },
      );
      request.on('timeout', () =>
        request.destroy(
          codedError(
            `no answer from ${url.host} in ${options.idleTimeoutMs} ms`,
            httpFetchErrorCodes.timeout,
          ),
        ),
      );
      request.on('error', reject);
      request.end(init.body);
    });
}
