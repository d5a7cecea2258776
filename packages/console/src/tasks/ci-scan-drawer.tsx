import { DownloadOutlined } from '@ant-design/icons';
import { Descriptions, Drawer, Flex, Tabs, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { GuardedButton } from '../access/guarded-button.tsx';
import { apiPrefix } from '../api/api-client.ts';
import type { CiScanWithReport } from '../api/ci-scan-types.ts';
import { formatCount, formatTime } from '../format/format-time.ts';
import { riskLevelColors, riskLevelLabels } from '../format/risk-level.ts';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { CiScanCountsCard } from './ci-scan-counts-card.tsx';
import { CiSecretTable, CiVulnerabilityTable } from './ci-scan-findings.tsx';
import { readCiReport } from './ci-scan-report.ts';
import { useCiScan } from './use-ci-scans.ts';

/**
 * The uploaded report as a file. A plain same-origin link: the session cookie goes with it, a GET
 * needs no CSRF token, and the service names the file (Content-Disposition).
 */
export function ciScanReportHref(projectId: string, ciScanId: string): string {
  return `${apiPrefix}/projects/${encodeURIComponent(projectId)}/ci-scans/${encodeURIComponent(ciScanId)}/report`;
}

function CiScanDetail({ scan }: { readonly scan: CiScanWithReport }) {
  const report = useMemo(() => readCiReport(scan.report), [scan.report]);
  const { scanner } = report;
  const several = scan.platforms.length > 1;
  return (
    <Flex vertical gap={16}>
      <Descriptions
        size="small"
        column={2}
        bordered
        data-testid="ci-scan-info"
        items={[
          {
            key: 'reference',
            label: 'Reference',
            span: 2,
            children: <Typography.Text copyable>{scan.reference}</Typography.Text>,
          },
          {
            key: 'digest',
            label: 'Digest',
            span: 2,
            children:
              scan.digest === null ? (
                'None (a local source)'
              ) : (
                <Typography.Text code>{scan.digest}</Typography.Text>
              ),
          },
          {
            key: 'risk',
            label: 'Risk level',
            children: (
              <Tag color={riskLevelColors[scan.riskLevel]} data-risk-level={scan.riskLevel}>
                {riskLevelLabels[scan.riskLevel]}
              </Tag>
            ),
          },
          {
            key: 'platforms',
            label: 'Platforms',
            children: scan.platforms.map((platform) => <Tag key={platform}>{platform}</Tag>),
          },
          { key: 'by', label: 'Uploaded by', children: scan.uploadedBy },
          { key: 'at', label: 'Uploaded', children: formatTime(scan.createdAt) },
          {
            key: 'tool',
            label: 'Scanner',
            children: scanner.toolVersion === undefined ? '—' : `drydock ${scanner.toolVersion}`,
          },
          { key: 'made', label: 'Scanned', children: formatTime(scanner.reportedAt) },
          {
            key: 'database',
            label: 'Vulnerability database',
            span: 2,
            children:
              scanner.databaseBuiltAt === undefined
                ? 'Not used (vulnerabilities were not scanned)'
                : [
                    `built ${formatTime(scanner.databaseBuiltAt)}`,
                    scanner.databaseRecords === undefined
                      ? undefined
                      : `${formatCount(scanner.databaseRecords)} records`,
                    scanner.databaseFeeds.length === 0 ? undefined : scanner.databaseFeeds.join(', '),
                  ]
                    .filter((part) => part !== undefined)
                    .join(' · '),
          },
          ...(scanner.malwareEngines.length === 0
            ? []
            : [
                {
                  key: 'malware',
                  label: 'Malware engines',
                  span: 2,
                  children: scanner.malwareEngines.join(', '),
                },
              ]),
        ]}
      />
      <CiScanCountsCard counts={scan.riskCounts} />
      <Tabs
        items={[
          {
            key: 'vulnerabilities',
            label: `Vulnerabilities (${formatCount(report.vulnerabilities.length)})`,
            children: <CiVulnerabilityTable rows={report.vulnerabilities} several={several} />,
          },
          {
            key: 'secrets',
            label: `Secrets (${formatCount(report.secrets.length)})`,
            children: <CiSecretTable rows={report.secrets} several={several} />,
          },
        ]}
      />
    </Flex>
  );
}

/**
 * A CI scan in full, beside the list: what was scanned and by whom, the scanner and its database,
 * the counts with a chart, the vulnerabilities and the (masked) secrets of the report, and the
 * report as a JSON download. Opened by `?tab=ci&ciScan=<id>` (the CLI prints that link after an
 * upload), so it reads the scan itself rather than from the list's page.
 */
export function CiScanDrawer({
  projectId,
  ciScanId,
  onClose,
}: {
  readonly projectId: string;
  readonly ciScanId: string | undefined;
  readonly onClose: () => void;
}) {
  const scan = useCiScan(projectId, ciScanId);
  return (
    <Drawer
      open={ciScanId !== undefined}
      onClose={onClose}
      size={880}
      destroyOnHidden
      title={scan.data ? `CI scan of ${scan.data.reference}` : 'CI scan'}
      extra={
        ciScanId === undefined ? undefined : (
          <GuardedButton
            permission="images:get"
            icon={<DownloadOutlined />}
            href={ciScanReportHref(projectId, ciScanId)}
            download
            data-testid="ci-scan-download"
          >
            Download JSON
          </GuardedButton>
        )
      }
    >
      {scan.isError ? (
        <ErrorState error={scan.error} onRetry={() => void scan.refetch()} />
      ) : !scan.data ? (
        <LoadingState label="Loading the CI scan…" />
      ) : (
        <CiScanDetail scan={scan.data} />
      )}
    </Drawer>
  );
}
