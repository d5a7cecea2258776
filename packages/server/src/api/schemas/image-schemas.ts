import { z } from 'zod';
import { imageScanStatuses, registryTypes, riskLevels, riskTypes } from '../../store/schema.ts';

/** Schemas of repository images and their stored results, shared by the image, report and risk routes. */

export const severityLevels = ['critical', 'high', 'medium', 'low', 'unknown'] as const;

export const riskCountsSchema = z
  .object({
    vulnerability: z.object({
      critical: z.number(),
      high: z.number(),
      medium: z.number(),
      low: z.number(),
      unknown: z.number(),
    }),
    secret: z.number(),
    malware: z.number(),
    baseline: z.number(),
    compliance: z.number(),
  })
  .meta({ id: 'RiskCounts', description: 'Open findings per risk type (handled ones left out)' });

export const platformEntrySchema = z.object({
  platform: z.string().describe('os/architecture[/variant]'),
  digest: z.string(),
  size: z.number(),
});

/** A row of the repository image list. */
export const repositoryImageSchema = z
  .object({
    id: z.string(),
    connectionId: z.string(),
    connectionName: z.string(),
    registryType: z.enum(registryTypes),
    namespace: z.string(),
    repository: z.string(),
    tag: z.string(),
    digest: z.string(),
    mediaType: z.string(),
    size: z.coerce.number(),
    platforms: z.array(platformEntrySchema).describe('The child manifests of a multi-architecture index'),
    pushedAt: z.date().nullable(),
    syncedAt: z.date(),
    deletedAt: z
      .date()
      .nullable()
      .describe('When a sync stopped finding the tag; always null in the list, which holds live images only'),
    scanStatus: z.enum(imageScanStatuses),
    failureCode: z.string().nullable(),
    failureMessage: z.string().nullable(),
    lastScanAt: z.date().nullable(),
    riskCounts: riskCountsSchema.nullable(),
    riskLevel: z.enum(riskLevels).nullable(),
  })
  .meta({ id: 'RepositoryImage' });

/** The image a result or finding belongs to. */
export const imageSummarySchema = repositoryImageSchema
  .pick({
    id: true,
    connectionId: true,
    connectionName: true,
    registryType: true,
    namespace: true,
    repository: true,
    tag: true,
    digest: true,
  })
  .meta({ id: 'ImageSummary' });

/** One platform's current result, without the report. */
export const storedResultSchema = z
  .object({
    id: z.string(),
    taskId: z.string().nullable(),
    digest: z.string().describe("The platform's manifest digest"),
    platform: z.string().describe("os/arch[/variant]; '' for a single-platform image"),
    riskTypes: z.array(z.enum(riskTypes)),
    riskCounts: riskCountsSchema,
    riskLevel: z.enum(riskLevels),
    matchedAt: z.date().describe('When the findings were last matched against vulnerability data'),
    databaseBuiltAt: z.string().nullable(),
    createdAt: z.date(),
  })
  .meta({ id: 'StoredResult' });
