import { NotBuiltState } from '../states/not-built-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';

/** Exports: not built yet (the console foundation routes here so the menu is complete). */
export function ExportsPage() {
  return (
    <PageFrame title="Exports">
      <NotBuiltState
        title="Exports"
        plannedContent={'Start exports of results and download the finished files.'}
        api="/api/v1/projects/{projectId}/exports"
      />
    </PageFrame>
  );
}
