import { NotBuiltState } from '../states/not-built-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';

/** Audit log: not built yet (the console foundation routes here so the menu is complete). */
export function AuditLogPage() {
  return (
    <PageFrame title="Audit log">
      <NotBuiltState
        title="Audit log"
        plannedContent={'Who changed what, when and from where, with filters and CSV or JSON export.'}
        api="GET /api/v1/projects/{projectId}/audit-events"
      />
    </PageFrame>
  );
}
