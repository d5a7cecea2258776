import type { QueryParams } from '../api/api-client.ts';
import type { RiskViewKind } from '../api/risk-types.ts';

/**
 * Query keys of the risk views, under `['project', projectId]` so project-wide invalidation (a
 * sync, a scan, a handling event, which all change the views) reaches them too.
 */
export const riskQueryKeys = {
  all: (projectId: string) => ['project', projectId, 'risks'] as const,
  view: (projectId: string, kind: RiskViewKind, query: QueryParams) =>
    ['project', projectId, 'risks', kind, 'view', query] as const,
  severityCount: (projectId: string, kind: RiskViewKind, severity: string, query: QueryParams) =>
    ['project', projectId, 'risks', kind, 'severity-count', severity, query] as const,
  affectedImages: (projectId: string, kind: RiskViewKind, key: string, query: QueryParams) =>
    ['project', projectId, 'risks', kind, 'images', key, query] as const,
};
