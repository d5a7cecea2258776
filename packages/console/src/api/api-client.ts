import { ConsoleApiError } from './api-error.ts';
import type { CsrfStore } from './csrf-store.ts';
import type { SignInReply } from './identity-types.ts';

/**
 * The console's only way to the service: `fetch` to the HTTP API on the same origin, with the
 * session cookie (same-origin credentials) and the CSRF token on every write. Replies are the
 * API's JSON as documented in its OpenAPI document (the service encodes every reply through its
 * schema); failures become `ConsoleApiError`s. A 401, or a write refused for a missing CSRF token,
 * means the session is gone: `onSessionEnded` sends the user to the sign-in page.
 */

export const apiPrefix = '/api/v1';
const csrfHeader = 'x-csrf-token';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Query values: absent, empty strings and empty lists are left out; lists are sent comma-separated. */
export type QueryValue = string | number | boolean | readonly string[] | undefined;
export type QueryParams = Readonly<Record<string, QueryValue>>;

export interface RequestOptions {
  readonly query?: QueryParams;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

export interface ApiClientOptions {
  readonly csrf: CsrfStore;
  /** The session ended (401 or `csrf_required`); `hadSession` says whether the console thought it had one. */
  readonly onSessionEnded: (error: ConsoleApiError, hadSession: boolean) => void;
}

export function queryString(query: QueryParams | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (typeof value === 'object') {
      if (value.length > 0) search.set(key, value.join(','));
    } else search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function failureOf(response: Response): Promise<ConsoleApiError> {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (isRecord(body) && typeof body['code'] === 'string' && typeof body['message'] === 'string')
    return new ConsoleApiError({
      code: body['code'],
      message: body['message'],
      status: response.status,
      details: isRecord(body['details']) ? body['details'] : undefined,
      requestId,
    });
  return new ConsoleApiError({
    code: 'unexpected_response',
    message: `the service answered ${response.status} ${response.statusText}`.trim(),
    status: response.status,
    requestId,
  });
}

export class ApiClient {
  readonly #options: ApiClientOptions;

  constructor(options: ApiClientOptions) {
    this.#options = options;
  }

  /** Whether a sign-in of this tab is remembered (a write without it would be refused). */
  hasSession(): boolean {
    return this.#options.csrf.get() !== undefined;
  }

  /** A call whose reply is JSON (the API's documented reply type `T`). */
  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.#send(method, path, options, true);
    // The service encodes every reply through its schema; the OpenAPI document is the contract.
    const reply: T = await response.json();
    return reply;
  }

  /** A call answered with 204 No Content. */
  async command(method: Exclude<HttpMethod, 'GET'>, path: string, body?: unknown): Promise<void> {
    await this.#send(method, path, { body }, true);
  }

  get<T>(path: string, query?: QueryParams, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) });
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }

  /** Signs in; a wrong password is an error for the form, not an ended session. */
  async signIn(name: string, password: string): Promise<SignInReply> {
    const response = await this.#send('POST', '/session', { body: { name, password } }, false);
    const reply: SignInReply = await response.json();
    this.#options.csrf.set(reply.csrfToken);
    return reply;
  }

  /** Ends the session on the service (if it still exists) and forgets the token either way. */
  async signOut(): Promise<void> {
    try {
      await this.#send('DELETE', '/session', {}, false);
    } catch (error) {
      if (!(error instanceof ConsoleApiError) || error.status !== 401) throw error;
    } finally {
      this.#options.csrf.clear();
    }
  }

  async #send(
    method: HttpMethod,
    path: string,
    options: RequestOptions,
    watchSession: boolean,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.#options.csrf.get();
    if (method !== 'GET' && token !== undefined) headers[csrfHeader] = token;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${apiPrefix}${path}${queryString(options.query)}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ConsoleApiError({
        code: 'network_failed',
        message: 'the service cannot be reached; check the network and try again',
        status: 0,
      });
    }
    if (!response.ok) {
      const failure = await failureOf(response);
      if (watchSession && (failure.status === 401 || failure.code === 'csrf_required')) {
        const hadSession = token !== undefined;
        this.#options.csrf.clear();
        this.#options.onSessionEnded(failure, hadSession);
      }
      throw failure;
    }
    return response;
  }
}
