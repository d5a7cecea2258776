import { Flex, Segmented, Tooltip, Typography } from 'antd';
import type { PlatformEntry } from '../api/image-types.ts';
import type { StoredResult } from '../api/report-types.ts';
import { riskLevelColors, riskLevelLabels } from '../format/risk-level.ts';
import { platformLabel } from './platform-label.ts';

/**
 * Which platform of a multi-architecture image the sections show. Each scanned platform is an
 * option with its risk level; the index's other platforms are listed disabled, as not scanned.
 */
export function PlatformPicker({
  indexPlatforms,
  results,
  selected,
  onChange,
}: {
  readonly indexPlatforms: readonly PlatformEntry[];
  readonly results: readonly StoredResult[];
  readonly selected: string;
  readonly onChange: (platform: string) => void;
}) {
  const scanned = new Set(results.map((result) => result.platform));
  const unscanned = indexPlatforms.filter((entry) => !scanned.has(entry.platform));
  const options = [
    ...results.map((result) => ({
      value: result.platform,
      label: (
        <Tooltip title={`Risk: ${riskLevelLabels[result.riskLevel]}`}>
          <Flex gap={6} align="center" data-platform={result.platform}>
            <span
              aria-hidden
              style={{
                display: 'inline-block',
                width: 8,
                height: 8,
                borderRadius: 4,
                background: riskLevelColors[result.riskLevel],
              }}
            />
            {platformLabel(result.platform)}
          </Flex>
        </Tooltip>
      ),
    })),
    ...unscanned.map((entry) => ({
      value: `unscanned:${entry.platform}`,
      disabled: true,
      label: <Tooltip title="This platform has no scan result.">{`${entry.platform} (not scanned)`}</Tooltip>,
    })),
  ];
  return (
    <Flex gap={12} align="center" wrap role="group" aria-label="Platform">
      <Typography.Text strong>Platform</Typography.Text>
      <Segmented
        options={options}
        value={selected}
        onChange={(value) => {
          if (typeof value === 'string' && scanned.has(value)) onChange(value);
        }}
      />
    </Flex>
  );
}
