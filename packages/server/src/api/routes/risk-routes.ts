import { z } from 'zod';
import {
  riskViewKinds,
  type FindingOfView,
  type ImageSummary,
  type RiskRow,
  type RiskViewFilter,
  type RiskViewKind,
} from '../../results/current-results.ts';
import { handlingStates, type HandlingState } from '../../results/vulnerability-handling.ts';
import { defineRoute } from '../route.ts';
import { idSchema, pagingQuery, queryList } from '../schemas/common.ts';
import { imageSummarySchema, severityLevels } from '../schemas/image-schemas.ts';
import {
  baselineCheckSchema,
  complianceFindingSchema,
  malwareFindingSchema,
  packageSchema,
  secretFindingSchema,
  vulnerabilityFindingSchema,
} from '../schemas/report-schemas.ts';

/**
 * Risk views across images (PRODUCT.md 8): one per risk type (and the software inventory), each
 * finding once with the images (and platforms) it affects, most severe first, then the most
 * widespread. A finding's identity: the advisory in a package version; a secret's rule and path;
 * a malicious file's signature and content; a baseline check; a compliance rule on software; a
 * package version. `finding` is the finding as the first affected image has it; handling can differ
 * per image (an allowlist scoped to some images) and is given per image.
 */

interface Grouping<F> {
  readonly schema: z.ZodType;
  key(finding: F): string;
  severity(finding: F): string | undefined;
  handling(finding: F): HandlingState;
}

const groupings: { readonly [K in RiskViewKind]: Grouping<FindingOfView[K]> } = {
  vulnerability: {
    schema: vulnerabilityFindingSchema,
    key: (finding) =>
      [finding.id, finding.package.ecosystem, finding.package.name, finding.installedVersion].join(' '),
    severity: (finding) => finding.severity,
    handling: (finding) => finding.handling,
  },
  secret: {
    schema: secretFindingSchema,
    key: (finding) => `${finding.ruleId} ${finding.path}`,
    severity: (finding) => finding.severity,
    handling: (finding) => (finding.ignoredBy === null ? 'open' : 'ignored'),
  },
  malware: {
    schema: malwareFindingSchema,
    key: (finding) => `${finding.signature} ${finding.sha256}`,
    severity: (finding) => finding.severity,
    handling: () => 'open',
  },
  baseline: {
    schema: baselineCheckSchema,
    key: (finding) => finding.id,
    severity: (finding) => finding.severity,
    handling: () => 'open',
  },
  compliance: {
    schema: complianceFindingSchema,
    key: (finding) => [finding.rule, finding.software, finding.version ?? ''].join(' '),
    severity: (finding) => finding.severity,
    handling: () => 'open',
  },
  inventory: {
    schema: packageSchema,
    key: (finding) => finding.purl || [finding.ecosystem, finding.name, finding.version].join(' '),
    severity: () => undefined,
    handling: () => 'open',
  },
};

interface AffectedImage {
  readonly image: ImageSummary;
  readonly platform: string;
  readonly resultId: string;
  readonly handling: HandlingState;
}

interface FindingGroup<F> {
  readonly key: string;
  readonly severity: string | undefined;
  readonly finding: F;
  readonly images: AffectedImage[];
}

const severityRank: Readonly<Record<string, number>> = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
  unknown: 0,
};

/** One group per finding identity, most severe first, then the most widespread, then by key. */
function groupFindings<F>(
  rows: readonly {
    readonly image: ImageSummary;
    readonly platform: string;
    readonly resultId: string;
    readonly finding: F;
  }[],
  grouping: Grouping<F>,
): FindingGroup<F>[] {
  const groups = new Map<string, FindingGroup<F>>();
  for (const row of rows) {
    const key = grouping.key(row.finding);
    let group = groups.get(key);
    if (!group) {
      group = { key, severity: grouping.severity(row.finding), finding: row.finding, images: [] };
      groups.set(key, group);
    }
    group.images.push({
      image: row.image,
      platform: row.platform,
      resultId: row.resultId,
      handling: grouping.handling(row.finding),
    });
  }
  const rank = (group: FindingGroup<F>) =>
    group.severity === undefined ? -1 : (severityRank[group.severity] ?? -1);
  return [...groups.values()].sort(
    (a, b) => rank(b) - rank(a) || b.images.length - a.images.length || a.key.localeCompare(b.key),
  );
}

function riskRoute<K extends RiskViewKind>(kind: K) {
  const grouping: Grouping<FindingOfView[K]> = groupings[kind];
  return defineRoute({
    method: 'GET',
    url: `/api/v1/projects/:projectId/risks/${kind}`,
    operationId: `listRisks${kind.slice(0, 1).toUpperCase()}${kind.slice(1)}`,
    summary: `${kind === 'inventory' ? 'Packages' : `${kind} findings`} across the project's images, each with the images it affects`,
    tags: ['risks'],
    permission: 'images:get',
    params: z.strictObject({ projectId: idSchema }),
    querystring: z.strictObject({
      severity: queryList(z.enum(severityLevels)).optional().describe('Not for the inventory'),
      handling: queryList(z.enum(handlingStates)).optional(),
      imageId: queryList(idSchema).optional(),
      ...pagingQuery,
    }),
    reply: z.object({
      kind: z.enum(riskViewKinds),
      total: z.number().describe('Distinct findings matching the filter'),
      offset: z.number(),
      limit: z.number(),
      findings: z.array(
        z.object({
          key: z.string(),
          severity: z.string().optional(),
          finding: grouping.schema,
          images: z.array(
            z.object({
              image: imageSummarySchema,
              platform: z.string(),
              resultId: z.string(),
              handling: z.enum(handlingStates),
            }),
          ),
        }),
      ),
    }),
    handler: async ({ service, params, query }) => {
      const filter: RiskViewFilter = {
        ...(query.severity ? { severities: query.severity } : {}),
        ...(query.handling ? { handling: query.handling } : {}),
        ...(query.imageId ? { imageIds: query.imageId } : {}),
      };
      const rows: RiskRow<K>[] = await service.results.view(params.projectId, kind, filter);
      const groups = groupFindings<FindingOfView[K]>(rows, grouping);
      return {
        kind,
        total: groups.length,
        offset: query.offset,
        limit: query.limit,
        findings: groups.slice(query.offset, query.offset + query.limit),
      };
    },
  });
}

export const riskRoutes = riskViewKinds.map((kind) => riskRoute(kind));
