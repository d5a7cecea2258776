import { z } from 'zod';
import type { HandledReport } from '../../results/current-results.ts';
import { defineRoute, type Reply } from '../route.ts';
import { idSchema, text } from '../schemas/common.ts';
import { imageSummarySchema } from '../schemas/image-schemas.ts';
import { reportSections, type ReportSection } from '../schemas/report-schemas.ts';

/**
 * An image's report, one sub-resource per section of PRODUCT.md section 4
 * (`/images/:imageId/report/vulnerabilities`, ...). Each answers the section of every scanned
 * platform's current result (or of the one `platform`), with the project's handling attached.
 */

type SectionOf<S extends ReportSection> = Reply<z.output<(typeof reportSections)[S]>>;

const extractors: { readonly [S in ReportSection]: (report: HandledReport) => SectionOf<S> } = {
  summary: (report) => ({
    manifestDigest: report.manifestDigest,
    configDigest: report.configDigest,
    created: report.created,
    os: report.os,
    config: report.config,
    counts: {
      packages: report.packages.length,
      vulnerabilities: report.vulnerabilities?.length ?? null,
      secrets: report.secrets?.length ?? null,
      malware: report.malware?.length ?? null,
      baselineFailed: report.baseline?.checks.filter((check) => check.result === 'fail').length ?? null,
      compliance: report.compliance?.findings.length ?? null,
    },
    diagnostics: report.diagnostics,
    durationMs: report.durationMs,
  }),
  vulnerabilities: (report) => ({
    scanned: report.vulnerabilities !== undefined,
    findings: report.vulnerabilities ?? [],
    suppressed: report.suppressedVulnerabilities ?? [],
  }),
  baseline: (report) => ({
    scanned: report.baseline !== undefined,
    checks: report.baseline?.checks ?? [],
    weakPasswords: report.baseline?.weakPasswords ?? null,
  }),
  malware: (report) => ({
    scanned: report.malware !== undefined,
    findings: report.malware ?? [],
    engines: report.malwareScan?.engines ?? [],
  }),
  secrets: (report) => ({
    scanned: report.secrets !== undefined,
    findings: report.secrets ?? [],
    coverage: report.secretScan ?? null,
  }),
  compliance: (report) => ({
    scanned: report.compliance !== undefined,
    findings: report.compliance?.findings ?? [],
    licenses: report.compliance?.licenses ?? null,
  }),
  software: (report) => ({ packages: report.packages }),
  files: (report) => ({ files: report.files }),
  'base-image': (report) => ({ baseImage: report.baseImage ?? null }),
  layers: (report) => ({ layers: report.layers }),
};

const summaries: Readonly<Record<ReportSection, string>> = {
  summary: 'Report summary: digests, OS, configuration, finding counts, diagnostics',
  vulnerabilities: 'Vulnerabilities, each with its handling state',
  baseline: 'Baseline checks (configuration, accounts, weak passwords, SSH), passed and failed',
  malware: 'Malicious files',
  secrets: 'Sensitive information, masked, each with why it is ignored (if it is)',
  compliance: 'Software compliance: licences, prohibited software, end of life',
  software: 'The software inventory (SBOM)',
  files: 'File information of the final filesystem',
  'base-image': 'The base image the image was built on',
  layers: 'The layers with their build instructions and file statistics',
};

function operationIdOf(section: ReportSection): string {
  const words = section.split('-').map((word) => `${word.slice(0, 1).toUpperCase()}${word.slice(1)}`);
  return `getImageReport${words.join('')}`;
}

/**
 * One section's route. The section's schema and extractor come in erased: the table above checks
 * each extractor against its own schema, which a generic over the section could not express.
 */
function sectionRoute(
  section: ReportSection,
  schema: z.ZodType,
  extract: (report: HandledReport) => unknown,
) {
  return defineRoute({
    method: 'GET',
    url: `/api/v1/projects/:projectId/images/:imageId/report/${section}`,
    operationId: operationIdOf(section),
    summary: summaries[section],
    tags: ['image reports'],
    permission: 'images:get',
    params: z.strictObject({ projectId: idSchema, imageId: idSchema }),
    querystring: z.strictObject({
      platform: text(128)
        .optional()
        .describe("Only this platform (os/arch[/variant]; '' for single-platform images)"),
    }),
    reply: z.object({
      image: imageSummarySchema,
      platforms: z.array(z.object({ platform: z.string(), resultId: z.string(), section: schema })),
    }),
    handler: async ({ service, params, query }) => {
      const results = await service.results.image(params.projectId, params.imageId);
      return {
        image: results.image,
        platforms: results.platforms
          .filter((entry) => query.platform === undefined || entry.result.platform === query.platform)
          .map((entry) => ({
            platform: entry.result.platform,
            resultId: entry.result.id,
            section: extract(entry.report),
          })),
      };
    },
  });
}

function isReportSection(name: string): name is ReportSection {
  return name in reportSections;
}

export const reportRoutes = Object.keys(reportSections)
  .filter(isReportSection)
  .map((section) => sectionRoute(section, reportSections[section], extractors[section]));
