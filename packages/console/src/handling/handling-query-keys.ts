import type { QueryParams } from '../api/api-client.ts';

/**
 * Query keys of the handling page, under `['project', projectId]` so project-wide invalidation
 * (after a handling event, which changes risk counts everywhere) reaches them too.
 */
export const handlingQueryKeys = {
  all: (projectId: string) => ['project', projectId, 'handling'] as const,
  history: (projectId: string, advisoryId: string) =>
    ['project', projectId, 'handling', 'history', advisoryId] as const,
  vulnerabilityFindings: (projectId: string, query: QueryParams) =>
    ['project', projectId, 'handling', 'vulnerability-findings', query] as const,
  stateCount: (projectId: string, state: string) =>
    ['project', projectId, 'handling', 'state-count', state] as const,
  secretIgnores: (projectId: string, includeRemoved: boolean) =>
    ['project', projectId, 'handling', 'secret-ignores', includeRemoved] as const,
  secretFindings: (projectId: string) => ['project', projectId, 'handling', 'secret-findings'] as const,
  scanSettings: (projectId: string) => ['project', projectId, 'handling', 'scan-settings'] as const,
  imageSearch: (projectId: string, text: string) =>
    ['project', projectId, 'handling', 'image-search', text] as const,
};
