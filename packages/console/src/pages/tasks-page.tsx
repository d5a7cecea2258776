import { NotBuiltState } from '../states/not-built-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';

/** Tasks: not built yet (the console foundation routes here so the menu is complete). */
export function TasksPage() {
  return (
    <PageFrame title="Tasks">
      <NotBuiltState
        title="Tasks"
        plannedContent={
          'Scan tasks and sync tasks on two tabs with live progress, counts, failed images with their reasons, and stop with confirmation.'
        }
        api="GET /api/v1/projects/{projectId}/scan-tasks and …/sync-tasks"
      />
    </PageFrame>
  );
}
