import { Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { ImageSummary, LayerRef, StoredResult, VulnerabilityFinding } from '../api/report-types.ts';
import { formatCount } from '../format/format-time.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { NoMatchState } from '../states/no-match-state.tsx';
import { useDialogState } from '../states/use-dialog-state.ts';
import { NotScannedState, SectionQuery } from './section-query.tsx';
import { useReportSection } from './use-report-section.ts';
import {
  compareVulnerabilities,
  vulnerabilityColumns,
  vulnerabilityRows,
  type VulnerabilityRow,
} from './vulnerability-columns.tsx';
import { VulnerabilityDetail } from './vulnerability-detail.tsx';
import { matchesVulnerabilityFilter, type VulnerabilityFilter } from './vulnerability-filter.ts';
import { VulnerabilityFilterBar } from './vulnerability-filter-bar.tsx';
import { VulnerabilityHandlingDialog } from './vulnerability-handling-dialog.tsx';
import { VulnerabilitySeverityChart } from './vulnerability-severity-chart.tsx';

function layersOf(findings: readonly VulnerabilityFinding[]): readonly LayerRef[] {
  const byIndex = new Map<number, LayerRef>();
  for (const finding of findings) byIndex.set(finding.package.layer.index, finding.package.layer);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

function VulnerabilityTable({
  projectId,
  image,
  findings,
  baseLayers,
}: {
  readonly projectId: string;
  readonly image: ImageSummary;
  readonly findings: readonly VulnerabilityFinding[];
  readonly baseLayers: number;
}) {
  const [filter, setFilter] = useState<VulnerabilityFilter>({});
  const dialog = useDialogState<VulnerabilityFinding>();
  const rows = useMemo(() => vulnerabilityRows([...findings].sort(compareVulnerabilities)), [findings]);
  const shown = rows.filter((row) => matchesVulnerabilityFilter(row, filter));
  const layers = useMemo(() => layersOf(findings), [findings]);
  return (
    <>
      <VulnerabilitySeverityChart findings={findings} />
      <VulnerabilityFilterBar filter={filter} layers={layers} onChange={setFilter} />
      <Table<VulnerabilityRow>
        rowKey="key"
        size="small"
        aria-label="Vulnerabilities"
        columns={vulnerabilityColumns({ baseLayers, onHandle: dialog.show })}
        dataSource={shown}
        expandable={{ expandedRowRender: (finding) => <VulnerabilityDetail finding={finding} /> }}
        scroll={{ x: 990 }}
        pagination={{
          defaultPageSize: 20,
          showSizeChanger: true,
          showTotal: (total) =>
            total === rows.length
              ? `${formatCount(total)} vulnerabilities`
              : `${formatCount(total)} of ${formatCount(rows.length)} vulnerabilities`,
        }}
        locale={{
          emptyText: <NoMatchState noun="vulnerability" />,
        }}
      />
      <VulnerabilityHandlingDialog
        key={dialog.key}
        open={dialog.open}
        onClose={dialog.close}
        projectId={projectId}
        image={image}
        finding={dialog.value}
      />
    </>
  );
}

/**
 * The vulnerabilities of one platform (PRODUCT.md section 4): a severity chart, filters, and a
 * table whose rows show their handling state and unfold into the advisory's details; "Handle"
 * records an ignore, allowlist or repair (needs `results:handle`).
 */
export function VulnerabilitiesTab({
  projectId,
  image,
  result,
  baseLayers,
}: {
  readonly projectId: string;
  readonly image: ImageSummary;
  readonly result: StoredResult;
  readonly baseLayers: number;
}) {
  const section = useReportSection(projectId, image.id, 'vulnerabilities', result);
  return (
    <SectionQuery query={section} label="vulnerabilities">
      {(data) =>
        !data.scanned ? (
          <NotScannedState riskType="vulnerabilities" />
        ) : data.findings.length === 0 ? (
          <EmptyState
            title="No known vulnerabilities"
            description={
              <Typography.Text type="secondary">
                No package of this platform matched an advisory of the vulnerability data.
              </Typography.Text>
            }
          />
        ) : (
          <VulnerabilityTable
            projectId={projectId}
            image={image}
            findings={data.findings}
            baseLayers={baseLayers}
          />
        )
      }
    </SectionQuery>
  );
}
