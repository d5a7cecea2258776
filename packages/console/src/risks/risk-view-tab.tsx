import { Button, Typography } from 'antd';
import { Link } from 'react-router';
import type { RiskViewKind } from '../api/risk-types.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { RiskFilterBar } from './risk-filter-bar.tsx';
import { RiskFindingsTable } from './risk-findings-table.tsx';
import { riskKindInfo } from './risk-kinds.ts';
import { RiskSeverityChart } from './risk-severity-chart.tsx';
import { hasRiskFilter, type RiskViewFilter, type RiskViewState } from './risk-view-params.ts';
import { useRiskView } from './use-risk-view.ts';
import { useSeverityCounts } from './use-severity-counts.ts';

/**
 * One risk view: its filters, its findings per severity (when it has several severities), and the
 * findings, paged by the API, each with the images it affects.
 */
export function RiskViewTab<K extends RiskViewKind>({
  projectId,
  kind,
  state,
  onChange,
}: {
  readonly projectId: string;
  readonly kind: K;
  readonly state: RiskViewState;
  readonly onChange: (next: Partial<RiskViewState>) => void;
}) {
  const info = riskKindInfo[kind];
  const view = useRiskView(projectId, kind, state);
  const chartSeverities = info.severities.length > 1 ? info.severities : [];
  const severities = useSeverityCounts(projectId, kind, chartSeverities, state.filter);
  const setFilter = (filter: RiskViewFilter) => onChange({ filter, page: 1 });
  const filtered = hasRiskFilter(state.filter);
  const imagesPath = `/projects/${encodeURIComponent(projectId)}/images`;

  const empty = view.isPending ? (
    ' '
  ) : (
    <EmptyState
      title={filtered ? 'No finding matches these filters' : `No ${info.plural} in any scanned image`}
      description={
        filtered ? (
          'Change or reset the filters.'
        ) : (
          <>
            Findings appear here once images are scanned: start a scan on{' '}
            <Link to={imagesPath}>Repository images</Link>.
          </>
        )
      }
      action={filtered ? <Button onClick={() => setFilter({})}>Reset filters</Button> : undefined}
    />
  );

  return (
    <>
      <RiskFilterBar info={info} filter={state.filter} onChange={setFilter} />
      {chartSeverities.length === 0 ? null : severities.error ? (
        <Typography.Paragraph type="secondary">
          The counts per severity could not be loaded.
        </Typography.Paragraph>
      ) : severities.counts ? (
        <RiskSeverityChart
          label={info.label}
          severities={chartSeverities}
          counts={severities.counts}
          onPick={(severity) => setFilter({ ...state.filter, severity: [severity] })}
        />
      ) : null}
      {view.isError ? (
        <ErrorState error={view.error} onRetry={() => void view.refetch()} />
      ) : (
        <RiskFindingsTable
          projectId={projectId}
          kind={kind}
          findings={view.data?.findings ?? []}
          total={view.data?.total ?? 0}
          page={state.page}
          pageSize={state.pageSize}
          // A new page or filter shows it is loading; the previous rows stay meanwhile.
          loading={view.isPending || view.isPlaceholderData}
          handling={state.filter.handling}
          onPage={(page, pageSize) => onChange({ page: pageSize === state.pageSize ? page : 1, pageSize })}
          empty={empty}
        />
      )}
    </>
  );
}
