import { NotBuiltState } from '../states/not-built-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';

/** Scheduled policy: not built yet (the console foundation routes here so the menu is complete). */
export function ScheduledPolicyPage() {
  return (
    <PageFrame title="Scheduled policy">
      <NotBuiltState
        title="Scheduled policy"
        plannedContent={
          "The project's scheduled scan policy: when, what and how fast, and stopping scheduled scans."
        }
        api="GET/PUT/DELETE /api/v1/projects/{projectId}/policy"
      />
    </PageFrame>
  );
}
