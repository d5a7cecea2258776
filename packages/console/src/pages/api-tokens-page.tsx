import { NotBuiltState } from '../states/not-built-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';

/** API tokens: not built yet (the console foundation routes here so the menu is complete). */
export function ApiTokensPage() {
  return (
    <PageFrame title="API tokens">
      <NotBuiltState
        title="API tokens"
        plannedContent={
          'Your API tokens for scripts and CI: create (the secret is shown once), restrict to permissions or a project, revoke.'
        }
        api="/api/v1/me/tokens"
      />
    </PageFrame>
  );
}
