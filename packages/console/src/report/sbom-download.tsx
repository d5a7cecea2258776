import { DownloadOutlined } from '@ant-design/icons';
import { Flex, Typography } from 'antd';
import { GuardedButton } from '../access/guarded-button.tsx';
import { apiPrefix } from '../api/api-client.ts';
import type { StoredResult } from '../api/report-types.ts';
import { platformLabel } from './platform-label.ts';

/** The API's SBOM formats (`format` of `GET images/{imageId}/sbom`), as the CLI names them. */
const sbomFormats = [
  { format: 'cyclonedx', label: 'CycloneDX', title: 'CycloneDX 1.6 JSON' },
  { format: 'spdx-json', label: 'SPDX', title: 'SPDX 2.3 JSON' },
] as const;

export type SbomFormat = (typeof sbomFormats)[number]['format'];

/**
 * The SBOM file of one platform's result. A plain same-origin link: the session cookie goes with
 * it, a GET needs no CSRF token, and the service names the file (Content-Disposition). A
 * single-platform image's result (platform '') needs no platform.
 */
export function sbomHref(projectId: string, imageId: string, format: SbomFormat, platform: string): string {
  const query = new URLSearchParams({ format, ...(platform === '' ? {} : { platform }) });
  return `${apiPrefix}/projects/${encodeURIComponent(projectId)}/images/${encodeURIComponent(imageId)}/sbom?${query.toString()}`;
}

/**
 * CycloneDX and SPDX downloads of the shown platform's inventory: the documents the CLI writes
 * with `--format cyclonedx|spdx-json`, with the packages only (no findings).
 */
export function SbomDownload({
  projectId,
  imageId,
  result,
}: {
  readonly projectId: string;
  readonly imageId: string;
  readonly result: StoredResult;
}) {
  return (
    <Flex gap={8} wrap align="center" data-testid="sbom-download">
      <Typography.Text type="secondary">
        SBOM of this platform ({platformLabel(result.platform)}):
      </Typography.Text>
      {sbomFormats.map(({ format, label, title }) => (
        <GuardedButton
          key={format}
          permission="images:get"
          icon={<DownloadOutlined />}
          href={sbomHref(projectId, imageId, format, result.platform)}
          download
          title={`Download ${title}`}
          data-testid={`sbom-${format}`}
        >
          {label}
        </GuardedButton>
      ))}
    </Flex>
  );
}
