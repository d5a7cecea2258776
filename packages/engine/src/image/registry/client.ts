import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { DrydockError } from '../../util/errors.ts';
import { defaultLimits } from '../../util/limits.ts';
import { DigestVerifier, parseDigest, verifyBytes } from '../digest.ts';
import { manifestAcceptTypes, schema1MediaTypes } from '../media-types.ts';
import { isLoopbackRegistry, isValidRepository, isValidTag, registryApiHost } from '../reference.ts';
import { Authorizer } from './authorizer.ts';
import { watchIdle } from './idle-watchdog.ts';
import { nextLink } from './link-header.ts';
import { networkError } from './network-error.ts';
import { resolveRegistryOptions, type RegistryOptions } from './options.ts';
import { registryError } from './registry-errors.ts';
import { discard, headerValue, Transport, type TransportResponse } from './transport.ts';

/**
 * A client for one registry's distribution API
 * (https://github.com/opencontainers/distribution-spec/blob/main/spec.md): ping, manifests,
 * blobs, catalog and tag listing. It authenticates as the registry asks (see Authorizer),
 * verifies every manifest and blob against its digest, and maps answers to typed failures:
 * 401/403 after authenticating → `authentication_failed`; 404 and `*_UNKNOWN` → `not_found`;
 * 429 after the allowed waits → `registry_rate_limited`; 5xx after retries, TLS and network
 * errors → `download_failed`.
 */

export interface ManifestResponse {
  readonly bytes: Buffer;
  /** `Content-Type` without parameters; empty when the registry sent none. */
  readonly mediaType: string;
  /** The manifest's digest, verified against the bytes. */
  readonly digest: string;
}

export interface ManifestHead {
  readonly digest: string | undefined;
  readonly mediaType: string;
  readonly size: number | undefined;
}

export interface RegistryPing {
  /** How the registry asked to authenticate: `none` when `/v2/` answered without a challenge. */
  readonly authScheme: 'none' | 'basic' | 'bearer';
  /** `Docker-Distribution-API-Version`, when sent. */
  readonly apiVersion: string | undefined;
}

export interface BlobRef {
  readonly digest: string;
  /** Bytes the descriptor promises; -1 when unknown. */
  readonly size: number;
}

export interface ListOptions {
  /** Entries per page (`n`); the registry's default when absent. */
  readonly pageSize?: number;
}

interface SendOptions {
  readonly method: 'GET' | 'HEAD';
  readonly url: URL;
  readonly scope: string | undefined;
  readonly accept?: string;
  readonly what: string;
  readonly signal: AbortSignal;
}

const catalogSchema = z.object({ repositories: z.array(z.string()).nullish() });
const tagListSchema = z.object({ name: z.string().optional(), tags: z.array(z.string()).nullish() });
const maxListPageBytes = 16 * 1024 * 1024;
const maxPages = 100_000;

function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

function schema1Error(what: string): DrydockError {
  return new DrydockError(
    'schema_v1_not_supported',
    `${what} is a Docker image manifest schema 1, which is deprecated and not supported`,
    { reason: 'schema_v1' },
  );
}

/** A schema 1 manifest served under a generic media type (its digest covers the payload without signatures). */
function looksLikeSchema1(bytes: Buffer): boolean {
  try {
    const json: unknown = JSON.parse(bytes.toString('utf8'));
    return (
      typeof json === 'object' && json !== null && (json as { schemaVersion?: unknown }).schemaVersion === 1
    );
  } catch {
    return false;
  }
}

function mediaTypeOf(response: TransportResponse): string {
  return (headerValue(response.headers, 'content-type') ?? '').split(';')[0]?.trim() ?? '';
}

export class RegistryClient {
  /** The registry as written in references (`docker.io`, `localhost:5000`). */
  readonly registry: string;
  /** Scheme and host of the registry API. */
  readonly baseUrl: URL;
  readonly #transport: Transport;
  readonly #authorizer: Authorizer;

  constructor(registry: string, options: RegistryOptions = {}) {
    const resolved = resolveRegistryOptions(options);
    const apiHost = registryApiHost(registry);
    const scheme = resolved.scheme ?? (resolved.insecure || isLoopbackRegistry(apiHost) ? 'http' : 'https');
    this.registry = registry;
    this.baseUrl = new URL(`${scheme}://${apiHost}`);
    this.#transport = new Transport(resolved);
    this.#authorizer = new Authorizer(apiHost, resolved.credentials, this.#transport);
  }

  /** Token requests sent so far. */
  get tokenRequests(): number {
    return this.#authorizer.tokenRequests;
  }

  /** Checks that the registry answers the v2 API and accepts the credentials (`GET /v2/`). */
  async ping(signal: AbortSignal): Promise<RegistryPing> {
    const response = await this.#send({
      method: 'GET',
      url: new URL('/v2/', this.baseUrl),
      scope: undefined,
      what: 'the API root',
      signal,
    });
    const body = await this.#transport.readErrorBody(response, signal);
    if (response.status === 404) {
      throw new DrydockError('not_found', `${this.baseUrl.host} does not serve the registry API v2`, {
        reason: 'not_a_registry',
        details: { host: this.baseUrl.host },
      });
    }
    if (response.status !== 200)
      throw registryError(response.status, body, 'the API root', this.baseUrl.host);
    return {
      authScheme: this.#authorizer.scheme,
      apiVersion: headerValue(response.headers, 'docker-distribution-api-version'),
    };
  }

  /**
   * Fetches a manifest or index by tag or digest, asking for every supported media type. The bytes
   * are checked against `Docker-Content-Digest` and, when pulled by digest, against that digest.
   */
  async getManifest(
    repository: string,
    reference: string,
    signal: AbortSignal,
    maxBytes = defaultLimits.maxDocumentBytes,
  ): Promise<ManifestResponse> {
    const what = this.#checkManifestRequest(repository, reference);
    const response = await this.#send({
      method: 'GET',
      url: this.#manifestUrl(repository, reference),
      scope: pullScope(repository),
      accept: manifestAcceptTypes.join(', '),
      what,
      signal,
    });
    await this.#expectSuccess(response, what, signal);
    const bytes = await this.#transport.readBody(
      response,
      maxBytes,
      signal,
      () =>
        new DrydockError('malformed_image', `${what} is larger than ${maxBytes} bytes`, {
          reason: 'document_too_large',
        }),
    );
    if (schema1MediaTypes.has(mediaTypeOf(response))) {
      // Signed schema 1 manifests are digested without their signatures, so the bytes cannot be
      // verified as sent; Drydock does not read them anyway.
      throw schema1Error(what);
    }
    const headerDigest = headerValue(response.headers, 'docker-content-digest')?.trim();
    try {
      if (headerDigest !== undefined && /^sha(256|512):/.test(headerDigest))
        verifyBytes(bytes, headerDigest, what);
      if (reference.includes(':')) verifyBytes(bytes, reference, what);
    } catch (error) {
      if (looksLikeSchema1(bytes)) throw schema1Error(what);
      throw error;
    }
    const digest = reference.includes(':')
      ? reference
      : headerDigest !== undefined && /^sha(256|512):/.test(headerDigest)
        ? headerDigest
        : `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    return { bytes, mediaType: mediaTypeOf(response), digest };
  }

  /** `HEAD` of a manifest: its digest and media type without downloading it (no pull is counted on Docker Hub). */
  async headManifest(repository: string, reference: string, signal: AbortSignal): Promise<ManifestHead> {
    const what = this.#checkManifestRequest(repository, reference);
    const response = await this.#send({
      method: 'HEAD',
      url: this.#manifestUrl(repository, reference),
      scope: pullScope(repository),
      accept: manifestAcceptTypes.join(', '),
      what,
      signal,
    });
    await this.#expectSuccess(response, what, signal);
    discard(response.body);
    const size = Number(headerValue(response.headers, 'content-length'));
    return {
      digest:
        headerValue(response.headers, 'docker-content-digest')?.trim() ??
        (reference.includes(':') ? reference : undefined),
      mediaType: mediaTypeOf(response),
      size: Number.isFinite(size) ? size : undefined,
    };
  }

  /** A small blob (an image configuration) read whole and verified. */
  async getBlobBytes(
    repository: string,
    blob: BlobRef,
    maxBytes: number,
    signal: AbortSignal,
  ): Promise<Buffer> {
    const { response, what } = await this.#getBlob(repository, blob, signal);
    const bytes = await this.#transport.readBody(
      response,
      maxBytes,
      signal,
      () =>
        new DrydockError('malformed_image', `${what} is larger than ${maxBytes} bytes`, {
          reason: 'document_too_large',
        }),
    );
    if (blob.size >= 0 && bytes.length !== blob.size) {
      throw new DrydockError(
        'download_failed',
        `${what} is ${bytes.length} bytes, its descriptor says ${blob.size}`,
        { reason: 'size_mismatch', details: { digest: blob.digest } },
      );
    }
    verifyBytes(bytes, blob.digest, what);
    return bytes;
  }

  /**
   * Streams a blob through a DigestVerifier: the stream fails with `download_failed` (reasons
   * `digest_mismatch`, `size_mismatch`, `truncated`, `stalled`, …) or `aborted`, never ends
   * successfully with bytes that are not the blob. `onBytes` sees each chunk's length.
   */
  async openBlob(
    repository: string,
    blob: BlobRef,
    signal: AbortSignal,
    onBytes?: (bytes: number) => void,
  ): Promise<Readable> {
    const { response, what } = await this.#getBlob(repository, blob, signal);
    const declared = Number(headerValue(response.headers, 'content-length'));
    if (
      blob.size >= 0 &&
      Number.isFinite(declared) &&
      headerValue(response.headers, 'content-length') !== undefined &&
      declared !== blob.size
    ) {
      discard(response.body);
      throw new DrydockError(
        'download_failed',
        `${what} is ${declared} bytes, its descriptor says ${blob.size}`,
        { reason: 'size_mismatch', details: { digest: blob.digest } },
      );
    }
    const body = response.body;
    const verifier = new DigestVerifier(blob.digest, blob.size);
    const host = response.url.host;
    body.on('error', (error) => verifier.destroy(networkError(error, host, signal, 'body')));
    verifier.on('close', () => {
      if (!body.destroyed) body.destroy();
    });
    body.pipe(verifier);
    watchIdle(body, verifier, this.#transport.options.timeouts.bodyIdleMs, what);
    if (onBytes) body.on('data', (chunk: Buffer) => onBytes(chunk.length));
    return verifier;
  }

  /** Repository names (`GET /v2/_catalog`), following `Link: rel="next"` pages. */
  catalog(signal: AbortSignal, options: ListOptions = {}): AsyncIterable<string> {
    const url = new URL('/v2/_catalog', this.baseUrl);
    return this.#paginate(url, 'registry:catalog:*', 'the catalog', signal, options, (json) => {
      const parsed = catalogSchema.safeParse(json);
      if (!parsed.success) return undefined;
      return parsed.data.repositories ?? [];
    });
  }

  /** Tags of a repository (`GET /v2/<name>/tags/list`), following `Link: rel="next"` pages. */
  tags(repository: string, signal: AbortSignal, options: ListOptions = {}): AsyncIterable<string> {
    this.#checkRepository(repository);
    const url = new URL(`/v2/${repository}/tags/list`, this.baseUrl);
    return this.#paginate(
      url,
      pullScope(repository),
      `the tags of ${repository}`,
      signal,
      options,
      (json) => {
        const parsed = tagListSchema.safeParse(json);
        if (!parsed.success) return undefined;
        return parsed.data.tags ?? [];
      },
    );
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }

  async *#paginate(
    first: URL,
    scope: string,
    what: string,
    signal: AbortSignal,
    options: ListOptions,
    entries: (json: unknown) => readonly string[] | undefined,
  ): AsyncGenerator<string> {
    if (options.pageSize !== undefined) first.searchParams.set('n', String(options.pageSize));
    const seen = new Set<string>();
    let url: URL | undefined = first;
    while (url !== undefined) {
      if (seen.has(url.href) || seen.size >= maxPages) {
        throw new DrydockError('download_failed', `the registry's pages of ${what} loop`, {
          reason: 'pagination_loop',
          details: { host: this.baseUrl.host },
        });
      }
      seen.add(url.href);
      const response = await this.#send({
        method: 'GET',
        url,
        scope,
        accept: 'application/json',
        what,
        signal,
      });
      await this.#expectSuccess(response, what, signal);
      const body = await this.#transport.readBody(
        response,
        maxListPageBytes,
        signal,
        () =>
          new DrydockError('download_failed', `a page of ${what} is larger than ${maxListPageBytes} bytes`, {
            reason: 'page_too_large',
          }),
      );
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = undefined;
      }
      const page = entries(json);
      if (page === undefined) {
        throw new DrydockError('download_failed', `the registry answered ${what} with an invalid document`, {
          reason: 'invalid_list',
          details: { host: this.baseUrl.host },
        });
      }
      yield* page;
      const next = nextLink(response.headers['link'], response.url);
      if (next !== undefined && next.origin !== this.baseUrl.origin) {
        throw new DrydockError('download_failed', `the registry's next page of ${what} is on another host`, {
          reason: 'foreign_link',
          details: { host: this.baseUrl.host },
        });
      }
      url = next;
    }
  }

  #checkRepository(repository: string): void {
    if (!isValidRepository(repository)) {
      throw new DrydockError(
        'invalid_reference',
        `invalid repository name ${JSON.stringify(repository.slice(0, 300))}`,
        { reason: 'invalid_name' },
      );
    }
  }

  #checkManifestRequest(repository: string, reference: string): string {
    this.#checkRepository(repository);
    if (reference.includes(':')) {
      try {
        parseDigest(reference);
      } catch {
        throw new DrydockError(
          'invalid_reference',
          `invalid digest ${JSON.stringify(reference.slice(0, 200))}`,
          { reason: 'invalid_digest' },
        );
      }
    } else if (!isValidTag(reference)) {
      throw new DrydockError('invalid_reference', `invalid tag ${JSON.stringify(reference.slice(0, 200))}`, {
        reason: 'invalid_tag',
      });
    }
    return `manifest ${reference} of ${repository}`;
  }

  #manifestUrl(repository: string, reference: string): URL {
    return new URL(`/v2/${repository}/manifests/${reference}`, this.baseUrl);
  }

  async #getBlob(
    repository: string,
    blob: BlobRef,
    signal: AbortSignal,
  ): Promise<{ response: TransportResponse; what: string }> {
    this.#checkRepository(repository);
    parseDigest(blob.digest);
    const what = `blob ${blob.digest} of ${repository}`;
    const url = new URL(`/v2/${repository}/blobs/${blob.digest}`, this.baseUrl);
    const response = await this.#send({ method: 'GET', url, scope: pullScope(repository), what, signal });
    await this.#expectSuccess(response, what, signal);
    return { response, what };
  }

  async #expectSuccess(response: TransportResponse, what: string, signal: AbortSignal): Promise<void> {
    if (response.status >= 200 && response.status < 300) return;
    const body = await this.#transport.readErrorBody(response, signal);
    throw registryError(response.status, body, what, response.url.host);
  }

  /** One request with authentication: the known header first, and once more after a 401 challenge. */
  async #send(options: SendOptions): Promise<TransportResponse> {
    const headers = (authorization: string | undefined): Record<string, string> => ({
      ...(options.accept ? { accept: options.accept } : {}),
      ...(authorization ? { authorization } : {}),
    });
    const request = { method: options.method, url: options.url, signal: options.signal, what: options.what };
    const used = await this.#authorizer.authorize(options.scope, options.signal);
    const first = await this.#transport.send({ ...request, headers: headers(used) });
    if (first.status !== 401) return first;
    await this.#transport.readErrorBody(first, options.signal);
    const next = await this.#authorizer.afterUnauthorized(first.headers, options.scope, used, options.signal);
    const second = await this.#transport.send({ ...request, headers: headers(next) });
    if (second.status !== 401) return second;
    await this.#transport.readErrorBody(second, options.signal);
    throw this.#authorizer.rejected();
  }
}
