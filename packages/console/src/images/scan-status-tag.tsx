import { Tag, Tooltip } from 'antd';
import type { RepositoryImage } from '../api/image-types.ts';
import { failureRemedies, scanStatusColors, scanStatusLabels } from '../format/scan-status.ts';

/** An image's scan status; a failure shows its code, the stored message and what to do about it. */
export function ScanStatusTag({
  image,
}: {
  readonly image: Pick<RepositoryImage, 'scanStatus' | 'failureCode' | 'failureMessage'>;
}) {
  const tag = <Tag color={scanStatusColors[image.scanStatus]}>{scanStatusLabels[image.scanStatus]}</Tag>;
  if (image.scanStatus !== 'failed') return tag;
  const remedy = image.failureCode ? failureRemedies[image.failureCode] : undefined;
  return (
    <Tooltip
      title={
        <>
          <div>
            <strong>{image.failureCode ?? 'failed'}</strong>
            {image.failureMessage ? `: ${image.failureMessage}` : ''}
          </div>
          {remedy ? <div>{remedy}</div> : null}
        </>
      }
    >
      <span className="scan-failure" data-failure-code={image.failureCode ?? ''}>
        {tag}
      </span>
    </Tooltip>
  );
}
