import { NotBuiltState } from '../states/not-built-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';

/** Handling: not built yet (the console foundation routes here so the menu is complete). */
export function HandlingPage() {
  return (
    <PageFrame title="Handling">
      <NotBuiltState
        title="Handling"
        plannedContent={
          'Allowlists with expiry, ignore lists, weak passwords, sensitive paths, licence policy and prohibited software.'
        }
        api="/api/v1/projects/{projectId}/handling/… and …/scan-settings"
      />
    </PageFrame>
  );
}
