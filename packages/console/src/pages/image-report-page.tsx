import { NotBuiltState } from '../states/not-built-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';

/** Image report: not built yet (the console foundation routes here so the menu is complete). */
export function ImageReportPage() {
  return (
    <PageFrame title="Image report">
      <NotBuiltState
        title="Image report"
        plannedContent={
          'Basic information with "Scan again", then one tab per section: vulnerabilities, baseline, malicious files, sensitive information, software compliance, software information (SBOM), file information, base image and layers; each platform of a multi-architecture image and the aggregate.'
        }
        api="GET /api/v1/projects/{projectId}/images/{imageId} and …/images/{imageId}/report/{section}"
      />
    </PageFrame>
  );
}
