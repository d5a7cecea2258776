import { NotBuiltState } from '../states/not-built-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';

/** Risk views: not built yet (the console foundation routes here so the menu is complete). */
export function RiskViewsPage() {
  return (
    <PageFrame title="Risk views">
      <NotBuiltState
        title="Risk views"
        plannedContent={
          'Each risk type across all images (vulnerabilities, baseline, malicious files, sensitive information, software compliance, packages), with the images each finding affects.'
        }
        api="GET /api/v1/projects/{projectId}/risks/{kind}"
      />
    </PageFrame>
  );
}
