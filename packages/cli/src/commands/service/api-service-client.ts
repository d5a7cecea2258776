import { setTimeout as delay } from 'node:timers/promises';
import type {
  ConnectionInput,
  ConnectivityResult,
  Estimate,
  MonthlyUsage,
  Project,
  RegistryConnection,
  ScanPolicy,
  ScanRequest,
  SyncTask,
  TaskImage,
} from '@drydock/server';
import { isRemoteError, RemoteError } from './remote-error.ts';
import type { ServerConnection } from './server-options.ts';
import type {
  ImageList,
  ImageQuery,
  PolicySettings,
  ServiceClient,
  TaskQuery,
  TaskView,
} from './service-client.ts';

/** The project the commands use when none is named, as the local service's `ensureDefault` names it. */
const defaultProjectName = 'default';

/** Long enough for a connection test (the server gives it 60 s) and a sync that answers when done. */
const requestTimeoutMs = 10 * 60_000;

/** The most the API lists at once; task prefixes are looked up among this many of the newest. */
const listLimit = 1000;

const fullTaskId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** RFC 3339 instants as the API writes dates (`Date.toJSON`, or with an offset). */
const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Every date the API returns is in a field named `…At` (`createdAt`, `checkedAt`, `pushedAt`, ...);
 * they become `Date` again so a command formats them as it does the local service's values.
 */
function reviveDates(key: string, value: unknown): unknown {
  return key.endsWith('At') && typeof value === 'string' && instant.test(value) ? new Date(value) : value;
}

type Query = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

interface Call {
  readonly query?: Query;
  readonly body?: unknown;
  /** A body already in JSON (a report as the CLI prints it), sent as is instead of `body`. */
  readonly json?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(name, value.join(','));
    } else params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** Why fetch failed, from its cause (`connect ECONNREFUSED 127.0.0.1:8080`, a TLS error, ...). */
function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError')
    return `no answer within ${requestTimeoutMs / 1000} s`;
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error && cause.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function isErrorBody(value: unknown): value is { code: string; message: string; details?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'code' in value &&
    typeof value.code === 'string' &&
    'message' in value &&
    typeof value.message === 'string'
  );
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The API wants RFC 3339 instants; the CLI takes any date `Date` reads (`2031-12-31`). */
function connectionBody(input: ConnectionInput): ConnectionInput {
  const expires = input.credentialExpiresAt;
  if (expires === undefined) return input;
  const at = expires instanceof Date ? expires : new Date(String(expires));
  return Number.isNaN(at.getTime()) ? input : { ...input, credentialExpiresAt: at.toISOString() };
}

/**
 * The service commands over a running service's HTTP API (`/api/v1`, bearer token, JSON). Replies
 * are the API's documented schemas with dates revived; failures are `RemoteError`s carrying the
 * API's `{ code, message, details }`, or the client's own code when the server was not reached or
 * did not answer in that shape. No message names the token.
 */
export class ApiServiceClient implements ServiceClient {
  readonly #baseUrl: string;
  readonly #token: string;
  readonly #pollMs: number;

  constructor(connection: ServerConnection, options: { readonly pollMs?: number } = {}) {
    this.#baseUrl = connection.baseUrl;
    this.#token = connection.token;
    this.#pollMs = options.pollMs ?? 500;
  }

  /**
   * One request. The reply's type is the API's reply schema for the route (the contract this
   * client is written against), so it is taken as is once it parses as JSON.
   */
  async #call<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    call: Call = {},
  ): Promise<T> {
    const url = `${this.#baseUrl}/api/v1${path}${queryString(call.query)}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          accept: 'application/json',
          ...(call.body === undefined && call.json === undefined
            ? {}
            : { 'content-type': 'application/json' }),
          ...call.headers,
        },
        ...(call.json !== undefined
          ? { body: call.json }
          : call.body === undefined
            ? {}
            : { body: JSON.stringify(call.body) }),
        signal: AbortSignal.timeout(requestTimeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      throw new RemoteError(
        'server_unreachable',
        `cannot reach the Drydock server at ${this.#baseUrl}: ${networkReason(error)}`,
        { cause: error },
      );
    }
    const text = await response.text();
    let value: unknown;
    try {
      value = text === '' ? undefined : JSON.parse(text, reviveDates);
    } catch {
      throw new RemoteError(
        'bad_response',
        `the server at ${this.#baseUrl} answered ${method} ${path} with ${response.status} and a body that is not JSON (is it a Drydock service?)`,
        { status: response.status },
      );
    }
    if (response.ok) return value as T;
    if (isErrorBody(value))
      throw new RemoteError(value.code, value.message, {
        status: response.status,
        ...(isRecord(value.details) ? { details: value.details } : {}),
      });
    throw new RemoteError(
      'bad_response',
      `the server at ${this.#baseUrl} answered ${method} ${path} with ${response.status} without the API's error body`,
      { status: response.status },
    );
  }

  #project(projectId: string): string {
    return `/projects/${encodeURIComponent(projectId)}`;
  }

  /**
   * Stores a CI scan's report (`reportJson`, the CLI's JSON output) in the project; the same
   * `idempotencyKey` again answers the first upload, so a retried upload is stored and billed once.
   */
  async uploadCiScan(
    projectId: string,
    reportJson: string,
    idempotencyKey: string,
  ): Promise<{ id: unknown }> {
    return this.#call('POST', `${this.#project(projectId)}/ci-scans`, {
      json: `{"report":${reportJson}}`,
      headers: { 'idempotency-key': idempotencyKey },
    });
  }

  async project(name: string | undefined): Promise<Project> {
    const { projects } = await this.#call<{ projects: Project[] }>('GET', '/projects');
    const wanted = name ?? defaultProjectName;
    const found = projects.find((project) => project.name === wanted);
    if (found) return found;
    // A token of a single project works without naming it.
    const only = projects.length === 1 ? projects[0] : undefined;
    if (name === undefined && only) return only;
    const seen = projects.map((project) => project.name).join(', ') || 'none';
    throw new RemoteError(
      'not_found',
      `project ${wanted} does not exist (projects this token sees: ${seen})`,
      {
        details: { what: 'project', id: wanted },
      },
    );
  }

  async listRegistries(projectId: string): Promise<readonly RegistryConnection[]> {
    const { registries } = await this.#call<{ registries: RegistryConnection[] }>(
      'GET',
      `${this.#project(projectId)}/registries`,
    );
    return registries;
  }

  async findRegistry(projectId: string, nameOrId: string): Promise<RegistryConnection> {
    const found = (await this.listRegistries(projectId)).find(
      (connection) => connection.id === nameOrId || connection.name === nameOrId,
    );
    if (found) return found;
    throw new RemoteError('not_found', `registry connection ${nameOrId} does not exist`, {
      details: { what: 'registry connection', id: nameOrId },
    });
  }

  getRegistry(projectId: string, registryId: string): Promise<RegistryConnection> {
    return this.#call('GET', `${this.#project(projectId)}/registries/${encodeURIComponent(registryId)}`);
  }

  addRegistry(projectId: string, input: ConnectionInput): Promise<RegistryConnection> {
    return this.#call('POST', `${this.#project(projectId)}/registries`, { body: connectionBody(input) });
  }

  testRegistry(projectId: string, registryId: string): Promise<ConnectivityResult> {
    return this.#call(
      'POST',
      `${this.#project(projectId)}/registries/${encodeURIComponent(registryId)}/test`,
    );
  }

  async removeRegistry(projectId: string, registryId: string): Promise<void> {
    await this.#call('DELETE', `${this.#project(projectId)}/registries/${encodeURIComponent(registryId)}`);
  }

  /**
   * Starts the sync and waits for its end: the API may answer when the sync has ended, or at once
   * (202) with the task still running, which is then read again until it is not.
   */
  async sync(projectId: string, registryIds: readonly string[]): Promise<SyncTask> {
    const path = `${this.#project(projectId)}/sync-tasks`;
    let task = await this.#call<SyncTask>('POST', path, {
      body: registryIds.length > 0 ? { registryIds } : {},
    });
    while (task.status === 'running') {
      await delay(this.#pollMs);
      task = await this.#call<SyncTask>('GET', `${path}/${encodeURIComponent(task.id)}`);
    }
    return task;
  }

  async listSyncs(projectId: string): Promise<readonly SyncTask[]> {
    const { syncTasks } = await this.#call<{ syncTasks: SyncTask[] }>(
      'GET',
      `${this.#project(projectId)}/sync-tasks`,
    );
    return syncTasks;
  }

  async images(projectId: string, query: ImageQuery): Promise<ImageList> {
    const page = await this.#call<ImageList>('GET', `${this.#project(projectId)}/images`, {
      query: {
        name: query.name,
        registryId: query.registryIds,
        status: query.status,
        limit: query.limit,
      },
    });
    // The same fields as the local list: the page's offset and limit are the request's own.
    return { total: page.total, images: page.images };
  }

  estimate(projectId: string, request: ScanRequest): Promise<Estimate> {
    return this.#call('POST', `${this.#project(projectId)}/estimates`, { body: request });
  }

  startScan(projectId: string, request: ScanRequest): Promise<TaskView> {
    return this.#call('POST', `${this.#project(projectId)}/scan-tasks`, { body: request });
  }

  async listTasks(projectId: string, filter: TaskQuery): Promise<readonly TaskView[]> {
    const { scanTasks } = await this.#call<{ scanTasks: TaskView[] }>(
      'GET',
      `${this.#project(projectId)}/scan-tasks`,
      { query: { type: filter.type, status: filter.status, name: filter.name, limit: filter.limit } },
    );
    return scanTasks;
  }

  getTask(projectId: string, taskId: string): Promise<TaskView> {
    return this.#call('GET', `${this.#project(projectId)}/scan-tasks/${encodeURIComponent(taskId)}`);
  }

  async findTask(projectId: string, idOrPrefix: string): Promise<TaskView> {
    if (fullTaskId.test(idOrPrefix)) {
      try {
        return await this.getTask(projectId, idOrPrefix.toLowerCase());
      } catch (error) {
        if (!(isRemoteError(error) && error.code === 'not_found')) throw error;
      }
    }
    const matching = (await this.listTasks(projectId, { limit: listLimit })).filter((task) =>
      task.id.startsWith(idOrPrefix.toLowerCase()),
    );
    const only = matching.length === 1 ? matching[0] : undefined;
    if (only) return only;
    throw new RemoteError('not_found', `scan task ${idOrPrefix} does not exist`, {
      details: { what: 'scan task', id: idOrPrefix },
    });
  }

  async taskImages(projectId: string, taskId: string, failedOnly: boolean): Promise<readonly TaskImage[]> {
    const { images } = await this.#call<{ images: TaskImage[] }>(
      'GET',
      `${this.#project(projectId)}/scan-tasks/${encodeURIComponent(taskId)}/images`,
      { query: { failedOnly } },
    );
    return images;
  }

  stopTask(projectId: string, taskId: string): Promise<TaskView> {
    return this.#call('POST', `${this.#project(projectId)}/scan-tasks/${encodeURIComponent(taskId)}/stop`);
  }

  async getPolicy(projectId: string): Promise<ScanPolicy | undefined> {
    try {
      return await this.#call<ScanPolicy>('GET', `${this.#project(projectId)}/policy`);
    } catch (error) {
      // The project was found a moment ago: its policy is what is missing.
      if (isRemoteError(error) && error.code === 'not_found') return undefined;
      throw error;
    }
  }

  setPolicy(projectId: string, input: PolicySettings): Promise<ScanPolicy> {
    return this.#call('PUT', `${this.#project(projectId)}/policy`, { body: input });
  }

  async disablePolicy(projectId: string): Promise<void> {
    await this.#call('DELETE', `${this.#project(projectId)}/policy`);
  }

  async setTimeZone(projectId: string, timeZone: string): Promise<void> {
    await this.#call('PATCH', this.#project(projectId), { body: { timeZone } });
  }

  usage(projectId: string, month: string | undefined): Promise<MonthlyUsage> {
    return this.#call('GET', `${this.#project(projectId)}/usage`, { query: { month } });
  }

  async advance(): Promise<void> {
    // The service's own dispatcher moves the queue.
  }

  async close(): Promise<void> {
    // Nothing held open between requests.
  }
}
