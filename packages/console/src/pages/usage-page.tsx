import { NotBuiltState } from '../states/not-built-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';

/** Usage: not built yet (the console foundation routes here so the menu is complete). */
export function UsagePage() {
  return (
    <PageFrame title="Usage">
      <NotBuiltState
        title="Usage"
        plannedContent={'Scans per month, the free quota used, and the cost.'}
        api="GET /api/v1/projects/{projectId}/usage"
      />
    </PageFrame>
  );
}
