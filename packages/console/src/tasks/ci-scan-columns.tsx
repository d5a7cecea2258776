import { Button, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import type { CiScan } from '../api/ci-scan-types.ts';
import { TimeCell } from '../format/time-cell.tsx';
import { RiskCell } from '../images/risk-cell.tsx';

/** Fits beside the side menu at 1280 pixels, as the other task lists do. */
export const ciScanTableWidth = 1010;

/** `sha256:` and the first 12 hex digits, the length image tools show. */
export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.split(':', 2);
  return hex === undefined ? digest.slice(0, 19) : `${algorithm}:${hex.slice(0, 12)}`;
}

/**
 * The columns of the CI scan list: the image as the pipeline named it (which opens the detail),
 * its digest, platforms, the risk level with the counts by risk type, who uploaded it and when.
 */
export function ciScanColumns(onOpen: (scan: CiScan) => void): TableColumnsType<CiScan> {
  return [
    {
      title: 'Reference',
      key: 'reference',
      width: 280,
      render: (_value, scan) => (
        <Button
          type="link"
          style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'start' }}
          aria-label={`Details of CI scan ${scan.reference}`}
          onClick={() => onOpen(scan)}
        >
          <span style={{ wordBreak: 'break-all' }}>{scan.reference}</span>
        </Button>
      ),
    },
    {
      title: 'Digest',
      key: 'digest',
      width: 170,
      render: (_value, scan) =>
        scan.digest === null ? (
          <Typography.Text type="secondary">None</Typography.Text>
        ) : (
          <Tooltip title={scan.digest}>
            <Typography.Text code data-digest={scan.digest}>
              {shortDigest(scan.digest)}
            </Typography.Text>
          </Tooltip>
        ),
    },
    {
      title: 'Platforms',
      key: 'platforms',
      width: 130,
      render: (_value, scan) =>
        scan.platforms.map((platform) => (
          <Tag key={platform} style={{ marginBottom: 2 }}>
            {platform}
          </Tag>
        )),
    },
    {
      title: 'Risk',
      key: 'risk',
      width: 190,
      render: (_value, scan) => <RiskCell image={scan} />,
    },
    {
      title: 'Uploaded by',
      key: 'uploadedBy',
      width: 130,
      ellipsis: { showTitle: true },
      render: (_value, scan) => scan.uploadedBy,
    },
    {
      title: 'Uploaded',
      key: 'createdAt',
      width: 110,
      render: (_value, scan) => <TimeCell value={scan.createdAt} />,
    },
  ];
}
