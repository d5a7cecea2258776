import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { csrfHeaderName as csrfHeader, sessionCookieName } from '../access/request-credentials.ts';

/**
 * The OpenAPI 3 document, generated from the route schemas (fastify-type-provider-zod turns the
 * zod schemas into JSON Schema), and the interactive documentation page (Swagger UI) under
 * `docsPrefix`, whose routes are public.
 */

export const docsPrefix = '/api/v1/docs';

/** Security requirements: any one of the listed alternatives. Cookie writes also need the CSRF header. */
type SecurityRequirements = readonly Readonly<Record<string, readonly string[]>>[];
export const readSecurity: SecurityRequirements = [{ bearerToken: [] }, { sessionCookie: [] }];
/** Routes for a signed-in session only (`access: 'session'`): never an API token. */
export const sessionSecurity: SecurityRequirements = [{ sessionCookie: [], csrfToken: [] }];
export const writeSecurity: SecurityRequirements = [
  { bearerToken: [] },
  { sessionCookie: [], csrfToken: [] },
];

function referencesIn(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const entry of value) referencesIn(entry, found);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string') found.add(child.replace('#/components/schemas/', ''));
    else referencesIn(child, found);
  }
}

/**
 * The zod transform adds an input and an output variant of every named schema; only those the
 * paths reach (directly or through other schemas) are kept.
 */
function withoutUnusedSchemas<T extends object>(document: T): T {
  const components: unknown = 'components' in document ? document.components : undefined;
  const declared: unknown =
    typeof components === 'object' && components !== null && 'schemas' in components
      ? components.schemas
      : undefined;
  const schemas = new Map(Object.entries(typeof declared === 'object' && declared !== null ? declared : {}));
  const reached = new Set<string>();
  referencesIn(
    Object.entries(document).filter(([key]) => key !== 'components'),
    reached,
  );
  for (let size = -1; size !== reached.size;) {
    size = reached.size;
    for (const name of [...reached]) referencesIn(schemas.get(name), reached);
  }
  return Object.assign({}, document, {
    components: {
      ...(typeof components === 'object' ? components : {}),
      schemas: Object.fromEntries([...schemas].filter(([name]) => reached.has(name))),
    },
  });
}

/** The OpenAPI 3.0 way to say "null only" (3.0.3 lets `nullable` add null to a `type` beside it). */
const nullOnly = { type: 'string', nullable: true, enum: [null] } as const;

/**
 * In OpenAPI 3.0.3 `nullable: true` adds null only to a `type` beside it, but the zod transform
 * writes a nullable reference or union as `{ nullable, allOf | oneOf | anyOf }` without one, which
 * would refuse the nulls the API sends. Such a node becomes `anyOf: [the schema, null only]`.
 */
function withTypedNullables(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withTypedNullables);
  if (typeof value !== 'object' || value === null) return value;
  const node = Object.fromEntries(
    Object.entries(value).map(([key, child]) => [key, withTypedNullables(child)]),
  );
  if (node['nullable'] !== true || 'type' in node) return node;
  const { nullable: _nullable, description, ...schema } = node;
  return {
    ...(description === undefined ? {} : { description }),
    anyOf: [schema, nullOnly],
  };
}

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Drydock API',
        version: '1',
        description:
          'Container image security: registries, image inventory, scans, results and their handling, exports and usage. Every error answers `{ code, message, details? }`. Ids of other projects answer 404.',
      },
      components: {
        securitySchemes: {
          bearerToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API token (scripts, CI)',
          },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: sessionCookieName,
            description: 'The console session (after login)',
          },
          csrfToken: {
            type: 'apiKey',
            in: 'header',
            name: csrfHeader,
            description:
              "The session's CSRF token: required on every write authenticated by the session cookie",
          },
        },
      },
    },
    transform: createJsonSchemaTransform({ skipList: [] }),
    transformObject: (document) =>
      withTypedNullables(withoutUnusedSchemas(jsonSchemaTransformObject(document))) as ReturnType<
        typeof jsonSchemaTransformObject
      >,
  });
  await app.register(swaggerUi, { routePrefix: docsPrefix, staticCSP: true });
}
