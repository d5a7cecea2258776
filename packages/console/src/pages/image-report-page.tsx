import { ScanOutlined } from '@ant-design/icons';
import { Alert, Col, Flex, Row } from 'antd';
import { Link, useParams } from 'react-router';
import { GuardedButton } from '../access/guarded-button.tsx';
import type { ImageOverview } from '../api/report-types.ts';
import { scanStatusLabels } from '../format/scan-status.ts';
import { ImageInfoCard } from '../report/image-info-card.tsx';
import { PlatformPicker } from '../report/platform-picker.tsx';
import { isReportTab, ReportTabs } from '../report/report-tabs.tsx';
import { RiskSummaryCard } from '../report/risk-summary-card.tsx';
import { useImageOverview } from '../report/use-image-overview.ts';
import { ScanDialog } from '../scan/scan-dialog.tsx';
import { useAddressSearch } from '../shell/use-address-search.ts';
import { useCurrentProjectId } from '../shell/use-project-id.ts';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { PageFrame } from '../states/page-frame.tsx';
import { RefreshButton } from '../states/refresh-button.tsx';
import { useDialogState } from '../states/use-dialog-state.ts';

/** Why "Scan again" is unavailable right now, if it is. */
function scanUnavailable(overview: ImageOverview | undefined): string | undefined {
  if (!overview) return 'Loading the image…';
  const { image } = overview;
  if (image.deletedAt) return 'The registry no longer has this tag.';
  if (image.scanStatus === 'queued' || image.scanStatus === 'scanning')
    return `A scan of this image is already ${image.scanStatus === 'queued' ? 'queued' : 'running'}.`;
  return undefined;
}

function ReportBody({
  projectId,
  overview,
  onScan,
}: {
  readonly projectId: string;
  readonly overview: ImageOverview;
  readonly onScan: () => void;
}) {
  const [search, changeSearch] = useAddressSearch();
  const { image, platforms } = overview;
  const results = [...platforms].sort((a, b) => a.platform.localeCompare(b.platform));
  const wanted = search.get('platform');
  const result = results.find((candidate) => candidate.platform === wanted) ?? results[0];
  const requestedTab = search.get('tab');
  const tab = isReportTab(requestedTab) ? requestedTab : 'vulnerabilities';
  // Tab and platform live in the address, so a report view can be bookmarked and shared.
  const update = (key: 'tab' | 'platform', value: string) => {
    changeSearch(
      (current) => {
        const next = new URLSearchParams(current);
        next.set(key, value);
        return next;
      },
      { replace: true },
    );
  };
  const inProgress = image.scanStatus === 'queued' || image.scanStatus === 'scanning';
  return (
    <Flex vertical gap={16}>
      {inProgress ? (
        <Alert
          type="info"
          showIcon
          data-testid="scan-in-progress"
          title={`${scanStatusLabels[image.scanStatus]}: the report follows when the scan ends.`}
          description={
            <Link to={`/projects/${encodeURIComponent(projectId)}/tasks`}>Follow it in the task manager</Link>
          }
        />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xxl={14}>
          <ImageInfoCard overview={overview} />
        </Col>
        <Col xs={24} xxl={10}>
          <RiskSummaryCard overview={overview} />
        </Col>
      </Row>
      {result === undefined ? (
        <EmptyState
          title={inProgress ? 'No report yet' : 'Not scanned yet'}
          description={
            inProgress
              ? 'The first scan of this image is under way.'
              : 'The image has no successful scan; its report appears after one.'
          }
          action={
            inProgress ? null : (
              <GuardedButton
                permission="images:set"
                type="primary"
                onClick={onScan}
                unavailableReason={scanUnavailable(overview)}
              >
                Scan
              </GuardedButton>
            )
          }
        />
      ) : (
        <div>
          {results.length > 1 || image.platforms.length > 0 ? (
            <PlatformPicker
              indexPlatforms={image.platforms}
              results={results}
              selected={result.platform}
              onChange={(platform) => update('platform', platform)}
            />
          ) : null}
          <ReportTabs
            projectId={projectId}
            image={image}
            result={result}
            tab={tab}
            onTabChange={(next) => update('tab', next)}
          />
        </div>
      )}
    </Flex>
  );
}

/**
 * Image report (PRODUCT.md section 4): the image's basic information with "Scan again" (the scan
 * dialog with its fee confirmation, for this image), its open findings of all platforms, then one
 * tab per report section of the chosen platform, each as the API serves it.
 */
export function ImageReportPage() {
  const projectId = useCurrentProjectId();
  const imageId = useParams()['imageId'] ?? '';
  const overview = useImageOverview(projectId, imageId);
  const scanDialog = useDialogState<readonly string[]>();
  const image = overview.data?.image;
  const imagesPath = `/projects/${encodeURIComponent(projectId)}/images`;
  return (
    <PageFrame
      title={image ? `${image.repository}:${image.tag}` : 'Image report'}
      description={
        <>
          <Link to={imagesPath}>Repository images</Link> / image report
        </>
      }
      actions={
        <>
          <RefreshButton query={overview} />
          <GuardedButton
            permission="images:set"
            type="primary"
            icon={<ScanOutlined />}
            data-testid="scan-again"
            onClick={() => scanDialog.show([imageId])}
            unavailableReason={scanUnavailable(overview.data)}
          >
            Scan again
          </GuardedButton>
        </>
      }
    >
      {overview.isPending ? (
        <LoadingState label="Loading the image…" />
      ) : overview.isError ? (
        <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />
      ) : (
        <ReportBody
          projectId={projectId}
          overview={overview.data}
          onScan={() => scanDialog.show([imageId])}
        />
      )}
      <ScanDialog
        key={scanDialog.key}
        open={scanDialog.open}
        onClose={scanDialog.close}
        projectId={projectId}
        selectedImageIds={scanDialog.value ?? []}
        filter={{}}
        registries={undefined}
      />
    </PageFrame>
  );
}
