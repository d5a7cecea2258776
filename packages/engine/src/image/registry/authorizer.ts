import type { IncomingHttpHeaders } from 'node:http';
import { DrydockError } from '../../util/errors.ts';
import {
  findBearerChallenge,
  hasBasicChallenge,
  parseAuthChallenges,
  type BearerChallenge,
} from './auth-challenge.ts';
import { basicAuthorization, type Credentials } from './credentials.ts';
import { registryError } from './registry-errors.ts';
import { TokenCache } from './token-cache.ts';
import { parseTokenResponse } from './token-response.ts';
import type { Transport } from './transport.ts';

/**
 * Decides the `Authorization` header of each registry request, following the registry's
 * challenges (distribution token auth, https://distribution.github.io/distribution/spec/auth/token/;
 * "Authentication" in https://github.com/opencontainers/distribution-spec/blob/main/spec.md):
 * nothing until the registry challenges; then HTTP Basic for `Basic`, or a bearer token from the
 * realm for `Bearer`, cached per (registry, service, scope) and fetched again when it expires or
 * the registry rejects it. Concurrent requests for the same scope share one token request.
 */
type KnownScheme =
  | { readonly kind: 'basic' }
  | { readonly kind: 'bearer'; readonly realm: string; readonly service: string | undefined };

const maxTokenResponseBytes = 1024 * 1024;

export class Authorizer {
  readonly #host: string;
  readonly #credentials: Credentials;
  readonly #transport: Transport;
  readonly #tokens: TokenCache;
  readonly #inFlight = new Map<string, Promise<string>>();
  #scheme: KnownScheme | undefined;
  #tokenRequests = 0;

  constructor(host: string, credentials: Credentials, transport: Transport) {
    this.#host = host;
    this.#credentials = credentials;
    this.#transport = transport;
    this.#tokens = new TokenCache(transport.options.clock);
  }

  /** Token requests sent so far (for tests and metrics). */
  get tokenRequests(): number {
    return this.#tokenRequests;
  }

  /** The scheme learned from the registry's challenges, if any. */
  get scheme(): 'none' | 'basic' | 'bearer' {
    return this.#scheme?.kind ?? 'none';
  }

  /** The header to send with a request in `scope` (`repository:foo:pull`; undefined for `/v2/`), if known yet. */
  async authorize(scope: string | undefined, signal: AbortSignal): Promise<string | undefined> {
    if (this.#credentials.kind === 'bearer') return `Bearer ${this.#credentials.token}`;
    const scheme = this.#scheme;
    if (scheme === undefined) return undefined;
    if (scheme.kind === 'basic') return this.#basic();
    return `Bearer ${await this.#token(scheme, scope, undefined, signal)}`;
  }

  /**
   * After a 401: learns the challenge and returns the header to try once more, or throws
   * `authentication_failed` when there is nothing new to try. `used` is the header that was refused.
   */
  async afterUnauthorized(
    headers: IncomingHttpHeaders,
    scope: string | undefined,
    used: string | undefined,
    signal: AbortSignal,
  ): Promise<string> {
    if (this.#credentials.kind === 'bearer') {
      throw this.#failure('the registry rejected the bearer token', 'token_rejected');
    }
    const challenges = parseAuthChallenges(headers['www-authenticate']);
    const bearer = findBearerChallenge(challenges);
    if (bearer !== undefined) {
      const scheme: KnownScheme = { kind: 'bearer', realm: bearer.realm, service: bearer.service };
      this.#scheme = scheme;
      if (used?.startsWith('Bearer '))
        this.#tokens.invalidate(TokenCache.key(this.#host, scheme.service, scope ?? ''), used.slice(7));
      if (
        used?.startsWith('Bearer ') &&
        bearer.error === 'insufficient_scope' &&
        bearer.scope === undefined
      ) {
        throw this.#failure('the registry denied access with the token it issued', 'insufficient_scope');
      }
      return `Bearer ${await this.#token(scheme, scope, bearer, signal)}`;
    }
    if (hasBasicChallenge(challenges)) {
      if (this.#credentials.kind !== 'basic')
        throw this.#failure('the registry requires credentials', 'credentials_required');
      const basic = this.#basic();
      if (used === basic)
        throw this.#failure('the registry rejected the credentials', 'credentials_rejected');
      this.#scheme = { kind: 'basic' };
      return basic;
    }
    throw this.#failure(
      'the registry asked for an authentication scheme Drydock does not support',
      'unsupported_challenge',
    );
  }

  /** The failure for a request refused again after the retry `afterUnauthorized` asked for. */
  rejected(): DrydockError {
    return this.#failure(
      this.#credentials.kind === 'anonymous'
        ? 'the registry requires credentials'
        : 'the registry rejected the credentials',
      this.#credentials.kind === 'anonymous' ? 'credentials_required' : 'credentials_rejected',
    );
  }

  #failure(message: string, reason: string): DrydockError {
    return new DrydockError('authentication_failed', `${message} (${this.#host})`, {
      reason,
      details: { host: this.#host },
    });
  }

  #basic(): string {
    if (this.#credentials.kind !== 'basic')
      throw this.#failure('the registry requires credentials', 'credentials_required');
    return basicAuthorization(this.#credentials.username, this.#credentials.password);
  }

  /** A valid token for `scope`: from the cache unless `challenge` forces a new one. */
  async #token(
    scheme: Extract<KnownScheme, { kind: 'bearer' }>,
    scope: string | undefined,
    challenge: BearerChallenge | undefined,
    signal: AbortSignal,
  ): Promise<string> {
    const key = TokenCache.key(this.#host, scheme.service, scope ?? '');
    if (challenge === undefined) {
      const cached = this.#tokens.get(key);
      if (cached !== undefined) return cached;
    }
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const scopes = [
      ...new Set(
        [scope, ...(challenge?.scope ?? '').split(' ')].filter(
          (s): s is string => s !== undefined && s !== '',
        ),
      ),
    ];
    const request = this.#fetchToken(scheme, scopes, signal).then((grant) => {
      this.#tokens.set(key, grant);
      return grant.token;
    });
    this.#inFlight.set(key, request);
    try {
      return await request;
    } finally {
      this.#inFlight.delete(key);
    }
  }

  async #fetchToken(
    scheme: Extract<KnownScheme, { kind: 'bearer' }>,
    scopes: readonly string[],
    signal: AbortSignal,
  ): Promise<{ token: string; expiresAt: number }> {
    let url: URL;
    try {
      url = new URL(scheme.realm);
    } catch {
      throw this.#failure('the registry named an invalid token realm', 'invalid_realm');
    }
    if (scheme.service !== undefined) url.searchParams.set('service', scheme.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#credentials.kind === 'basic') headers['authorization'] = this.#basic();
    this.#tokenRequests += 1;
    const what = `a token from ${url.host}`;
    const response = await this.#transport.send({ method: 'GET', url, headers, signal, what });
    if (response.status === 401 || response.status === 403) {
      await this.#transport.readErrorBody(response, signal);
      throw this.#failure(
        this.#credentials.kind === 'anonymous'
          ? 'the token server refused anonymous access'
          : 'the token server rejected the credentials',
        'token_denied',
      );
    }
    if (response.status !== 200) {
      const body = await this.#transport.readErrorBody(response, signal);
      const failure = registryError(response.status, body, what, url.host);
      throw new DrydockError(
        failure.code === 'not_found' ? 'authentication_failed' : failure.code,
        failure.message,
        {
          reason: 'token_server',
          details: failure.details,
        },
      );
    }
    const body = await this.#transport.readBody(response, maxTokenResponseBytes, signal, () =>
      this.#failure('the token server answered with a too large document', 'token_response'),
    );
    return parseTokenResponse(body, this.#transport.options.clock());
  }
}
