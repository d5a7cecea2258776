import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Agent, interceptors, request } from 'undici';
import { DrydockError } from '../util/errors.ts';
import { feedError } from './feed-error.ts';
import type { FeedLimits } from './feed-limits.ts';

/**
 * Downloads one feed over HTTP(S) (RFC 9110) into a file: conditional on the ETag seen last time
 * (`If-None-Match`, RFC 9110 section 13.1.2), hashed (sha256) while it is written so an unchanged
 * feed can be recognised even where the server sends no ETag. Timeouts: connect, response
 * headers, and the longest pause between two body pieces, so a server that sends its headers and
 * then nothing fails within `bodyIdleTimeoutMs`. Redirects are followed (at most 5).
 */
export interface DownloadOptions {
  readonly limits: FeedLimits;
  /** Where to write the downloaded file (the caller removes it; removed here on failure). */
  readonly path: string;
  readonly etag?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

export type DownloadResult =
  | { readonly status: 'not-modified' }
  | {
      readonly status: 'downloaded';
      readonly path: string;
      readonly fingerprint: string;
      readonly etag: string | undefined;
      readonly bytes: number;
    };

const timeoutCodes: ReadonlySet<string> = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function downloadError(url: string, error: unknown, signal: AbortSignal | undefined): DrydockError {
  if (error instanceof DrydockError) return error;
  if (signal?.aborted) return new DrydockError('aborted', `download of ${url} aborted`, { cause: error });
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && timeoutCodes.has(code)) {
    return feedError('stalled', `download of ${url} stalled: ${message}`, {
      cause: error,
      details: { url, code },
    });
  }
  return feedError('network', `download of ${url} failed: ${message}`, {
    cause: error,
    details: { url, code },
  });
}

export async function downloadFeed(url: string, options: DownloadOptions): Promise<DownloadResult> {
  const { limits, signal } = options;
  const agent = new Agent({
    connect: { timeout: limits.connectTimeoutMs },
    headersTimeout: limits.headersTimeoutMs,
    bodyTimeout: limits.bodyIdleTimeoutMs,
  });
  const dispatcher = agent.compose(interceptors.redirect({ maxRedirections: 5 }));
  const { path } = options;
  try {
    const response = await request(url, {
      method: 'GET',
      dispatcher,
      headers: {
        'user-agent': 'drydock-vulndb',
        accept: 'application/zip, application/json, application/x-ndjson, */*',
        ...(options.etag ? { 'if-none-match': options.etag } : {}),
      },
      ...(signal ? { signal } : {}),
    });
    if (response.statusCode === 304) {
      await response.body.dump();
      return { status: 'not-modified' };
    }
    if (response.statusCode !== 200) {
      await response.body.dump().catch(() => undefined);
      const reason = response.statusCode === 404 ? 'feed_not_found' : 'http_status';
      throw feedError(reason, `${url} answered HTTP ${response.statusCode}`, {
        details: { url, status: response.statusCode },
      });
    }
    const declared = Number(response.headers['content-length'] ?? Number.NaN);
    if (declared > limits.maxDownloadBytes) {
      response.body.destroy();
      throw feedError('feed_too_large', `${url} is ${declared} bytes, more than ${limits.maxDownloadBytes}`);
    }
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > limits.maxDownloadBytes) {
          done(feedError('feed_too_large', `${url} is larger than ${limits.maxDownloadBytes} bytes`));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(response.body, meter, createWriteStream(path), ...(signal ? [{ signal }] : []));
    const etagHeader = response.headers['etag'];
    return {
      status: 'downloaded',
      path,
      fingerprint: `sha256:${hash.digest('hex')}`,
      etag: Array.isArray(etagHeader) ? etagHeader[0] : etagHeader,
      bytes,
    };
  } catch (error) {
    await rm(path, { force: true });
    throw downloadError(url, error, signal);
  } finally {
    await agent.close().catch(() => undefined);
  }
}
