import {
  expressionBuilder,
  sql,
  type Expression,
  type Kysely,
  type SelectQueryBuilder,
  type SqlBool,
} from 'kysely';
import { z } from 'zod';
import { imageScanStatuses, registryTypes, type Database } from '../store/schema.ts';
import { anyOf } from '../store/any-of.ts';
import { containsPattern } from '../store/like-pattern.ts';

/** A filter of the repository image list, usable as a scan scope. */
export const imageFilterSchema = z.object({
  /** Substring of `repository:tag`. */
  name: z.string().max(512).optional(),
  namespace: z.string().max(255).optional(),
  tag: z.string().max(128).optional(),
  status: z.array(z.enum(imageScanStatuses)).optional(),
  connectionIds: z.array(z.string()).optional(),
  registryTypes: z.array(z.enum(registryTypes)).optional(),
  updatedAfter: z.coerce.date().optional(),
  updatedBefore: z.coerce.date().optional(),
});
export type ImageFilter = z.infer<typeof imageFilterSchema>;

/** Which images a scan task covers (PRODUCT.md 3.1). */
export const scanScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('registry_types'), types: z.array(z.enum(registryTypes)).min(1) }),
  z.object({ kind: z.literal('registries'), connectionIds: z.array(z.string()).min(1) }),
  z.object({ kind: z.literal('images'), imageIds: z.array(z.string()).min(1).max(100_000) }),
  z.object({ kind: z.literal('filter'), filter: imageFilterSchema }),
]);
export type ScanScope = z.infer<typeof scanScopeSchema>;

export interface ScopedImage {
  readonly id: string;
  readonly connectionId: string;
  readonly platforms: readonly { readonly platform: string }[];
}

/**
 * The conditions of a filter on `repository_image`, none for an empty filter. Built apart from any
 * query so the same conditions narrow the plain table, a join with `registry_connection` (scan
 * scopes) and the image list's own statements. Registry types become a subquery on the project's
 * connections here; the image list turns them into connection ids first (`resolveRegistryTypes`),
 * which gives the planner values it has statistics for.
 */
function imageFilterConditions(filter: ImageFilter): Expression<SqlBool>[] {
  const eb = expressionBuilder<Database, 'repositoryImage'>();
  const conditions: Expression<SqlBool>[] = [];
  if (filter.name) {
    // The expression matches the trigram index of migration 0005 word for word: keep them equal.
    const pattern = containsPattern(filter.name);
    conditions.push(
      eb(sql<string>`repository_image.repository || ':' || repository_image.tag`, 'ilike', pattern),
    );
  }
  if (filter.namespace !== undefined) conditions.push(eb('repositoryImage.namespace', '=', filter.namespace));
  if (filter.tag !== undefined) conditions.push(eb('repositoryImage.tag', '=', filter.tag));
  if (filter.status?.length) conditions.push(eb('repositoryImage.scanStatus', 'in', filter.status));
  if (filter.connectionIds?.length)
    conditions.push(eb('repositoryImage.connectionId', '=', anyOf(filter.connectionIds)));
  if (filter.registryTypes?.length) {
    const types = filter.registryTypes;
    conditions.push(
      eb(
        'repositoryImage.connectionId',
        'in',
        eb
          .selectFrom('registryConnection')
          .select('registryConnection.id')
          .where('registryConnection.type', 'in', types),
      ),
    );
  }
  if (filter.updatedAfter) conditions.push(eb('repositoryImage.pushedAt', '>=', filter.updatedAfter));
  if (filter.updatedBefore) conditions.push(eb('repositoryImage.pushedAt', '<', filter.updatedBefore));
  return conditions;
}

/** Narrows an image query (of `repository_image`, joined or not) by a filter of the image list. */
export function applyImageFilter<Q extends SelectQueryBuilder<Database, 'repositoryImage', object>>(
  query: Q,
  filter: ImageFilter,
): Q {
  let narrowed: SelectQueryBuilder<Database, 'repositoryImage', object> = query;
  for (const condition of imageFilterConditions(filter)) narrowed = narrowed.where(condition);
  return narrowed as Q;
}

/**
 * The filter with its registry types replaced by the ids of the project's connections of those
 * types (kept within `connectionIds` when both are given); `undefined` when no connection of the
 * project can match, so no image can. A filter without registry types comes back as it is.
 */
export async function resolveRegistryTypes(
  db: Kysely<Database>,
  projectId: string,
  filter: ImageFilter,
): Promise<ImageFilter | undefined> {
  const { registryTypes: types, ...rest } = filter;
  if (!types?.length) return filter;
  let query = db
    .selectFrom('registryConnection')
    .select('registryConnection.id')
    .where('registryConnection.projectId', '=', projectId)
    .where('registryConnection.type', 'in', types);
  if (rest.connectionIds?.length)
    query = query.where('registryConnection.id', '=', anyOf(rest.connectionIds));
  const ids = (await query.execute()).map((row) => row.id);
  return ids.length === 0 ? undefined : { ...rest, connectionIds: ids };
}

/**
 * The live (not deleted) images of the project that the scope covers; with `updatedAfter`, only
 * those pushed at or after it (a scheduled policy's update range).
 */
export async function resolveScope(
  db: Kysely<Database>,
  projectId: string,
  scope: ScanScope,
  updatedAfter?: Date,
): Promise<ScopedImage[]> {
  let query = db
    .selectFrom('repositoryImage')
    .innerJoin('registryConnection', 'registryConnection.id', 'repositoryImage.connectionId')
    .where('repositoryImage.projectId', '=', projectId)
    .where('repositoryImage.deletedAt', 'is', null);
  if (updatedAfter) query = query.where('repositoryImage.pushedAt', '>=', updatedAfter);
  switch (scope.kind) {
    case 'all':
      break;
    case 'registry_types':
      query = query.where('registryConnection.type', 'in', scope.types);
      break;
    case 'registries':
      query = query.where('repositoryImage.connectionId', 'in', scope.connectionIds);
      break;
    case 'images':
      query = query.where('repositoryImage.id', '=', anyOf(scope.imageIds));
      break;
    case 'filter':
      query = applyImageFilter(query, scope.filter);
      break;
  }
  return query
    .select(['repositoryImage.id', 'repositoryImage.connectionId', 'repositoryImage.platforms'])
    .orderBy('repositoryImage.repository')
    .orderBy('repositoryImage.tag')
    .execute();
}

/** One scan per platform of a multi-architecture image, one for a single manifest (platform ''). */
export function platformsOf(image: ScopedImage): string[] {
  return image.platforms.length === 0 ? [''] : image.platforms.map((entry) => entry.platform);
}
