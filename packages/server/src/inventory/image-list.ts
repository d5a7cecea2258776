import type { Kysely } from 'kysely';
import type {
  Database,
  PlatformEntry,
  RiskCounts,
  RiskLevel,
  ImageScanStatus,
  RegistryType,
} from '../store/schema.ts';
import { applyImageFilter, type ImageFilter } from '../tasks/scan-scope.ts';

export interface RepositoryImage {
  readonly id: string;
  readonly connectionId: string;
  readonly connectionName: string;
  readonly registryType: RegistryType;
  readonly namespace: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  readonly platforms: readonly PlatformEntry[];
  readonly pushedAt: Date | null;
  readonly syncedAt: Date;
  readonly scanStatus: ImageScanStatus;
  readonly failureCode: string | null;
  readonly failureMessage: string | null;
  readonly lastScanAt: Date | null;
  readonly riskCounts: RiskCounts | null;
  readonly riskLevel: RiskLevel | null;
}

export interface ImagePage {
  readonly total: number;
  readonly images: readonly RepositoryImage[];
}

/** The repository image list: live images of a project, filtered and paged. */
export async function listImages(
  db: Kysely<Database>,
  projectId: string,
  filter: ImageFilter = {},
  page: { readonly offset?: number; readonly limit?: number } = {},
): Promise<ImagePage> {
  const base = applyImageFilter(
    db
      .selectFrom('repositoryImage')
      .innerJoin('registryConnection', 'registryConnection.id', 'repositoryImage.connectionId')
      .where('repositoryImage.projectId', '=', projectId)
      .where('repositoryImage.deletedAt', 'is', null),
    filter,
  );
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const images = await base
    .select([
      'repositoryImage.id',
      'repositoryImage.connectionId',
      'registryConnection.name as connectionName',
      'registryConnection.type as registryType',
      'repositoryImage.namespace',
      'repositoryImage.repository',
      'repositoryImage.tag',
      'repositoryImage.digest',
      'repositoryImage.mediaType',
      'repositoryImage.size',
      'repositoryImage.platforms',
      'repositoryImage.pushedAt',
      'repositoryImage.syncedAt',
      'repositoryImage.scanStatus',
      'repositoryImage.failureCode',
      'repositoryImage.failureMessage',
      'repositoryImage.lastScanAt',
      'repositoryImage.riskCounts',
      'repositoryImage.riskLevel',
    ])
    .orderBy('registryConnection.name')
    .orderBy('repositoryImage.repository')
    .orderBy('repositoryImage.tag')
    .offset(page.offset ?? 0)
    .limit(Math.min(page.limit ?? 100, 1000))
    .execute();
  return { total: Number(total.n), images };
}
