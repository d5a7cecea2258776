import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import type { AuditPage } from '../api/audit-types.ts';
import { auditListQuery, type AuditListState } from './audit-list-params.ts';
import { auditQueryKeys } from './audit-query-keys.ts';

/**
 * One page of the audit log, newest first: the project's (`GET projects/{id}/audit-events`) or
 * the whole service's (`GET audit-events`); the previous page stays on screen while the next loads.
 */
export function useAuditPage(projectId: string, state: AuditListState) {
  const api = useApi();
  const query = auditListQuery(state);
  const service = state.scope === 'service';
  return useQuery({
    queryKey: service ? auditQueryKeys.service(query) : auditQueryKeys.project(projectId, query),
    queryFn: ({ signal }) =>
      api.get<AuditPage>(
        service ? '/audit-events' : `/projects/${encodeURIComponent(projectId)}/audit-events`,
        query,
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}
