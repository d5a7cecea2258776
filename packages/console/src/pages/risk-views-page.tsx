import { ExportOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Tabs } from 'antd';
import { useNavigate } from 'react-router';
import { riskViewKinds } from '../api/risk-types.ts';
import { riskKindInfo } from '../risks/risk-kinds.ts';
import { riskQueryKeys } from '../risks/risk-query-keys.ts';
import { readRiskViewState, writeRiskViewState } from '../risks/risk-view-params.ts';
import { RiskViewTab } from '../risks/risk-view-tab.tsx';
import { useAddressState } from '../shell/use-address-search.ts';
import { useCurrentProjectId } from '../shell/use-project-id.ts';
import { PageFrame } from '../states/page-frame.tsx';

/**
 * Risk views (PRODUCT.md 8, issue 9): each risk type across all of the project's images, one tab
 * per kind, each finding once with the images it affects. The tab, the filters and the page live
 * in the address; switching tabs starts the new one unfiltered (the kinds take different filters).
 */
export function RiskViewsPage() {
  const projectId = useCurrentProjectId();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [state, update] = useAddressState(readRiskViewState, writeRiskViewState);

  return (
    <PageFrame
      title="Risk views"
      description="Each finding once across the project's images, most severe and most widespread first, with the images it affects."
      actions={
        <>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => void queryClient.invalidateQueries({ queryKey: riskQueryKeys.all(projectId) })}
          >
            Refresh
          </Button>
          <Button
            icon={<ExportOutlined />}
            onClick={() => void navigate(`/projects/${encodeURIComponent(projectId)}/exports`)}
          >
            Export…
          </Button>
        </>
      }
    >
      <Tabs
        activeKey={state.kind}
        onChange={(key) => {
          const kind = riskViewKinds.find((candidate) => candidate === key);
          if (kind) update({ kind, filter: {}, page: 1 });
        }}
        items={riskViewKinds.map((kind) => ({
          key: kind,
          label: <span data-tab={kind}>{riskKindInfo[kind].label}</span>,
          // Only the tab on screen asks the API; a tab's state is in the address, not in its panel.
          children:
            kind === state.kind ? (
              <RiskViewTab projectId={projectId} kind={kind} state={state} onChange={update} />
            ) : null,
        }))}
      />
    </PageFrame>
  );
}
