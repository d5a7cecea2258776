import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { z } from 'zod';
import { imageScanStatuses, registryTypes, type Database } from '../store/schema.ts';
import { anyOf } from '../store/any-of.ts';

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

type ImageQuery = SelectQueryBuilder<Database, 'repositoryImage' | 'registryConnection', object>;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** Narrows an image query by a filter of the image list. */
export function applyImageFilter<Q extends ImageQuery>(query: Q, filter: ImageFilter): Q {
  let narrowed: ImageQuery = query;
  if (filter.name) {
    const pattern = `%${escapeLike(filter.name)}%`;
    narrowed = narrowed.where(
      sql<string>`repository_image.repository || ':' || repository_image.tag`,
      'ilike',
      pattern,
    );
  }
  if (filter.namespace !== undefined)
    narrowed = narrowed.where('repositoryImage.namespace', '=', filter.namespace);
  if (filter.tag !== undefined) narrowed = narrowed.where('repositoryImage.tag', '=', filter.tag);
  if (filter.status?.length) narrowed = narrowed.where('repositoryImage.scanStatus', 'in', filter.status);
  if (filter.connectionIds?.length)
    narrowed = narrowed.where('repositoryImage.connectionId', 'in', filter.connectionIds);
  if (filter.registryTypes?.length)
    narrowed = narrowed.where('registryConnection.type', 'in', filter.registryTypes);
  if (filter.updatedAfter) narrowed = narrowed.where('repositoryImage.pushedAt', '>=', filter.updatedAfter);
  if (filter.updatedBefore) narrowed = narrowed.where('repositoryImage.pushedAt', '<', filter.updatedBefore);
  return narrowed as Q;
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
