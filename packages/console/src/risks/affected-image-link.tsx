import { Flex, Tag, Tooltip, Typography } from 'antd';
import { Link } from 'react-router';
import type { AffectedImage } from '../api/risk-types.ts';
import { platformLabel } from '../report/platform-label.ts';

/**
 * The image report of an affected image, opened on the tab of the finding's kind and, when the
 * finding is in one platform only, on that platform (a multi-platform image opens on its first
 * platform otherwise, which may not hold the finding).
 */
export function reportPathOf(projectId: string, affected: AffectedImage, reportTab: string): string {
  const search = new URLSearchParams({ tab: reportTab });
  const [only, ...others] = affected.platforms;
  if (only && others.length === 0 && only.platform !== '') search.set('platform', only.platform);
  return `/projects/${encodeURIComponent(projectId)}/images/${encodeURIComponent(affected.image.id)}?${search.toString()}`;
}

export function imageName(affected: AffectedImage): string {
  return `${affected.image.repository}:${affected.image.tag}`;
}

/** `repository:tag`, linked to its report, with the registry it is in on hover. */
export function AffectedImageLink({
  projectId,
  affected,
  reportTab,
}: {
  readonly projectId: string;
  readonly affected: AffectedImage;
  readonly reportTab: string;
}) {
  return (
    <Tooltip title={`${affected.image.connectionName} · ${affected.image.digest}`}>
      <Link to={reportPathOf(projectId, affected, reportTab)} data-image-id={affected.image.id}>
        {imageName(affected)}
      </Link>
    </Tooltip>
  );
}

/** The platforms of an image holding the finding (a single-platform image says so). */
export function PlatformTags({ affected }: { readonly affected: AffectedImage }) {
  if (affected.platforms.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Flex gap={4} wrap>
      {affected.platforms.map((entry) => (
        <Tag key={entry.resultId} style={{ marginInlineEnd: 0 }}>
          {platformLabel(entry.platform)}
        </Tag>
      ))}
    </Flex>
  );
}
