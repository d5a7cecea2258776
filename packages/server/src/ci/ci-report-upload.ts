import { formatPlatform, type ImageReport } from '@drydock/engine';
import { z } from 'zod';
import { combineRisks, riskCounts, riskLevel } from '../results/risk-summary.ts';
import type { RiskCounts, RiskLevel } from '../store/schema.ts';

/**
 * The scan report a CI job uploads: the JSON of `drydock image --format json` (the engine's
 * ScanReport, whose full JSON Schema is the engine's `reportJsonSchema()`). The service checks only
 * the fields it reads (the image, its platforms and the findings it counts) and keeps the rest as
 * sent, so a newer CLI's extra fields pass; ajv and the full schema are not a runtime dependency.
 *
 * Secrets: the CLI masks every secret (`maskSecret`: at most 4 leading characters, then 1 to 32
 * `*`). A report whose secret value is not in that form is refused rather than stored, since the
 * service cannot mask what it cannot recognise. Fingerprints (a hash of the raw secret, which a
 * short password could be guessed back from) are dropped before the report is stored.
 */

const severity = z.enum(['critical', 'high', 'medium', 'low', 'unknown']);
const knownSeverity = z.enum(['critical', 'high', 'medium', 'low']);

/** What `maskSecret` writes: a prefix of at most 4 characters, then 1 to 32 stars. */
const maskedSecret = /^[^\n]{0,4}\*{1,32}$/u;

const platformSchema = z.looseObject({
  os: z.string().min(1).max(64),
  architecture: z.string().min(1).max(64),
  variant: z.string().max(64).optional(),
});

const secretSchema = z.looseObject({
  ruleId: z.string().max(200),
  severity: knownSeverity,
  path: z.string().max(4096),
  secret: z
    .string()
    .regex(maskedSecret, 'a secret must be masked as drydock image masks it (up to 4 characters, then *)'),
  excerpt: z.string().max(1024),
});

const imageSchema = z.looseObject({
  platform: platformSchema,
  manifestDigest: z.string().max(200).optional(),
  vulnerabilities: z
    .array(
      z.looseObject({
        id: z.string().min(1).max(200),
        severity,
        package: z.looseObject({ name: z.string().max(1024) }),
      }),
    )
    .optional(),
  secrets: z.array(secretSchema).optional(),
  malware: z.array(z.looseObject({})).optional(),
  baseline: z
    .looseObject({
      checks: z.array(
        z.looseObject({ result: z.enum(['pass', 'fail', 'not_applicable']), severity: knownSeverity }),
      ),
    })
    .optional(),
  compliance: z.looseObject({ findings: z.array(z.looseObject({ severity: knownSeverity })) }).optional(),
});

/** The uploaded report: the fields the service reads are checked, the others kept as they are. */
export const uploadedReportSchema = z
  .looseObject({
    schemaVersion: z.literal(1),
    tool: z.looseObject({ name: z.literal('drydock'), version: z.string().max(100) }),
    createdAt: z.string().max(100),
    artifact: z.looseObject({
      name: z
        .string()
        .min(1)
        .max(1024)
        .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters'),
      digest: z
        .string()
        .regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{1,1024}$/, 'an OCI digest')
        .optional(),
    }),
    images: z.array(imageSchema).min(1).max(256),
  })
  .meta({
    id: 'CiScanReport',
    description:
      'The JSON report of `drydock image --format json` (ScanReport; its JSON Schema is packages/engine/src/report/report.schema.json). Secrets must be masked.',
  });

export type UploadedReport = z.output<typeof uploadedReportSchema>;
type UploadedImage = UploadedReport['images'][number];

/** What the service keeps of an upload besides the report itself. */
export interface UploadSummary {
  readonly reference: string;
  readonly digest: string | null;
  readonly platforms: readonly string[];
  readonly riskCounts: RiskCounts;
  readonly riskLevel: RiskLevel;
  /** The report to store: as sent, less the secrets' fingerprints. */
  readonly report: UploadedReport;
}

/**
 * The one conversion to the engine's type: the schema above checked every field `riskCounts` and
 * `riskLevel` read (vulnerability ids, package names and severities, secrets, malware, failed
 * baseline checks, compliance findings), which is all they need of an ImageReport.
 */
function countedImage(image: UploadedImage): ImageReport {
  return image as unknown as ImageReport;
}

function withoutFingerprints(image: UploadedImage): UploadedImage {
  if (image.secrets === undefined) return image;
  return {
    ...image,
    // The CLI's JSON carries a hash of each secret, which is not needed (nor kept) here.
    secrets: image.secrets.map((secret) => {
      const { fingerprint: _dropped, ...kept } = secret as typeof secret & { readonly fingerprint?: unknown };
      return kept;
    }),
  };
}

/**
 * The reference, digest, platforms and risk of an uploaded report, as the image list would show
 * them: counts summed over the platforms, the worst platform's level. Project handling (ignored
 * vulnerabilities, secret allowlists) is the CLI's own (`.drydockignore`, VEX), already applied.
 */
export function summarizeUpload(report: UploadedReport): UploadSummary {
  const images = report.images.map(countedImage);
  // The schema asks for at least one image, so there is always a sum.
  const combined = combineRisks(
    images.map((image) => ({ riskCounts: riskCounts(image), riskLevel: riskLevel(image) })),
  );
  if (combined === undefined) throw new Error('an uploaded report holds at least one image');
  return {
    reference: report.artifact.name,
    digest: report.artifact.digest ?? report.images[0]?.manifestDigest ?? null,
    platforms: images.map((image) => formatPlatform(image.platform)),
    riskCounts: combined.riskCounts,
    riskLevel: combined.riskLevel,
    report: { ...report, images: report.images.map(withoutFingerprints) },
  };
}
