import { z } from 'zod';
import { handlingStates } from '../../results/vulnerability-handling.ts';
import { severityLevels } from './image-schemas.ts';

/**
 * Schemas of the sections of an image report (the engine's ImageReport as stored, with the
 * project's handling attached). Replies are encoded through these schemas, which drop every field
 * they do not list: a secret's `fingerprint` (a hash of the raw secret that a short password could
 * be guessed back from) is left out on purpose, as the exports leave it out. Parts whose shape
 * belongs to the engine and matters to no client logic are passed as they are (`opaque`).
 */

function opaque(description: string) {
  return z.unknown().describe(description);
}

export const layerRefSchema = z
  .object({
    index: z.number(),
    digest: z.string(),
    diffId: z.string().optional(),
    createdBy: z.string().optional(),
  })
  .meta({ id: 'LayerRef', description: 'The layer (and build instruction) a finding came from' });

export const vulnerabilityFindingSchema = z
  .object({
    id: z.string().describe('Advisory id (GHSA, CVE, distribution advisory)'),
    aliases: z.array(z.string()),
    status: z.enum(['affected', 'unknown']),
    package: z.object({
      ecosystem: z.string(),
      name: z.string(),
      version: z.string(),
      purl: z.string(),
      path: z.string(),
      layer: layerRefSchema,
      source: z.object({ name: z.string(), version: z.string() }).optional(),
    }),
    installedVersion: z.string(),
    fixedVersions: z.array(z.string()),
    severity: z.enum(severityLevels),
    cvss: z.object({ version: z.string(), score: z.number(), vector: z.string() }).optional(),
    severitySource: z.string(),
    summary: z.string().optional(),
    description: z.string().optional(),
    references: z.array(z.string()),
    published: z.string().optional(),
    modified: z.string(),
    evidence: opaque('How the finding was matched: OSV ecosystem and package, version scheme, range'),
    handling: z.enum(handlingStates),
  })
  .meta({ id: 'VulnerabilityFinding' });

export const secretIgnoredBySchema = z
  .discriminatedUnion('by', [
    z.object({
      by: z.literal('ignore'),
      ignoreId: z.string(),
      reason: z.string(),
      userName: z.string(),
      at: z.date(),
    }),
    z.object({ by: z.literal('path_allowlist'), glob: z.string() }),
  ])
  .nullable()
  .describe('Why the finding does not count; null while it counts');

export const secretFindingSchema = z
  .object({
    ruleId: z.string(),
    title: z.string(),
    severity: z.string(),
    category: z.string(),
    path: z.string().describe('Image-relative path, or config:env/NAME, config:label/NAME, config:history/N'),
    line: z.number(),
    column: z.number().optional(),
    secret: z.string().describe('The secret, masked'),
    excerpt: z.string().describe('The line around the secret, every secret on it masked'),
    location: z.enum(['file', 'config']),
    layer: layerRefSchema.optional(),
    inFinalFilesystem: z.boolean(),
    ignoredBy: secretIgnoredBySchema,
  })
  .meta({ id: 'SecretFinding' });

export const malwareFindingSchema = z
  .object({
    path: z.string().describe('The file; members of archives after `!/`'),
    size: z.number(),
    sha256: z.string(),
    md5: z.string().optional(),
    engine: z.enum(['hash', 'clamav', 'yara']),
    signature: z.string(),
    source: z.string(),
    severity: z.literal('critical'),
    layer: layerRefSchema,
    inFinalFilesystem: z.boolean(),
  })
  .meta({ id: 'MalwareFinding' });

export const baselineCheckSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    area: z.string(),
    severity: z.string(),
    standard: z.string(),
    result: z.enum(['pass', 'fail', 'not_applicable']),
    current: z.string().optional(),
    suggested: z.string().optional(),
    remediation: z.string(),
    evidence: z.array(z.object({ location: z.string(), line: z.number().optional(), detail: z.string() })),
  })
  .meta({ id: 'BaselineCheck' });

export const complianceFindingSchema = z
  .object({
    type: z.enum(['license', 'prohibited', 'end-of-life']),
    severity: z.string(),
    software: z.string(),
    version: z.string().optional(),
    ecosystem: z.string().optional(),
    purl: z.string().optional(),
    path: z.string(),
    layerIndex: z.number().optional(),
    reason: z.string(),
    rule: z.string(),
  })
  .meta({ id: 'ComplianceFinding' });

export const packageSchema = z
  .object({
    ecosystem: z.string(),
    name: z.string(),
    version: z.string(),
    purl: z.string(),
    licenses: z.array(z.string()),
    source: z.object({ name: z.string(), version: z.string() }).optional(),
    arch: z.string().optional(),
    path: z.string(),
    origin: z.enum(['installed', 'lockfile', 'binary']),
    layer: layerRefSchema,
    dev: z.boolean().optional(),
  })
  .meta({ id: 'Package' });

const scanned = z.boolean().describe('Whether the scan looked for this risk type');

export const reportSections = {
  summary: z.object({
    manifestDigest: z.string().optional(),
    configDigest: z.string().optional(),
    created: z.string().optional(),
    os: opaque('The detected operating system (family, id, name, version), absent when none'),
    config: opaque(
      'The image configuration: user, env (credential values masked), entrypoint, cmd, ports, labels',
    ),
    counts: z.object({
      packages: z.number(),
      vulnerabilities: z.number().nullable(),
      secrets: z.number().nullable(),
      malware: z.number().nullable(),
      baselineFailed: z.number().nullable(),
      compliance: z.number().nullable(),
    }),
    diagnostics: z.array(
      z.object({
        layerIndex: z.number(),
        path: z.string(),
        source: z.string(),
        code: z.string(),
        reason: z.string().optional(),
        message: z.string(),
      }),
    ),
    durationMs: z.number(),
  }),
  vulnerabilities: z.object({
    scanned,
    findings: z.array(vulnerabilityFindingSchema),
    suppressed: opaque('Findings an ignore file or VEX document suppressed at scan time, with why'),
  }),
  baseline: z.object({
    scanned,
    checks: z.array(baselineCheckSchema),
    weakPasswords: opaque('How far the weak-password search went'),
  }),
  malware: z.object({
    scanned,
    findings: z.array(malwareFindingSchema),
    engines: opaque('Which malware engines ran and how they fared'),
  }),
  secrets: z.object({
    scanned,
    findings: z.array(secretFindingSchema),
    coverage: opaque('Rules applied and base layers skipped'),
  }),
  compliance: z.object({
    scanned,
    findings: z.array(complianceFindingSchema),
    licenses: opaque('Packages per licence category, undeclared and violating ones'),
  }),
  software: z.object({ packages: z.array(packageSchema) }),
  files: z.object({
    files: opaque(
      'The final filesystem: files, directories, symlinks, total bytes, the largest files, setuid, setgid and world-writable files',
    ),
  }),
  'base-image': z.object({
    baseImage: opaque(
      'The catalogued base image, its OS, and which findings come from its layers; absent when none matched',
    ),
  }),
  layers: z.object({
    layers: z.array(
      z.object({
        index: z.number(),
        digest: z.string(),
        diffId: z.string().optional(),
        mediaType: z.string(),
        size: z.number(),
        uncompressedSize: z.number(),
        createdBy: z.string().optional(),
        stats: opaque('File statistics of the layer'),
        fromCache: z.boolean().optional(),
      }),
    ),
  }),
} as const;

export type ReportSection = keyof typeof reportSections;
