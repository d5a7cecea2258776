import { Card, Flex } from 'antd';
import type { RiskCounts } from '../api/image-types.ts';
import { EChart, type ChartOption } from '../charts/echart.tsx';
import { horizontalBarFrame } from '../charts/horizontal-bars.ts';
import { riskLevelColors, riskLevelLabels } from '../format/risk-level.ts';
import { riskTypeLabels } from '../format/risk-type.ts';
import { CountList, type CountItem } from '../overview/count-list.tsx';

const severities = ['critical', 'high', 'medium', 'low', 'unknown'] as const;
const otherTypes = ['secret', 'malware', 'baseline', 'compliance'] as const;
const otherColor = '#597ef7';

/** Every count of a scan: vulnerabilities by severity, then the other risk types. */
function itemsOf(counts: RiskCounts): readonly CountItem[] {
  return [
    ...severities.map((severity) => ({
      key: `vulnerability-${severity}`,
      label: `${riskLevelLabels[severity]} vulnerabilities`,
      color: riskLevelColors[severity],
      count: counts.vulnerability[severity],
    })),
    ...otherTypes.map((type) => ({
      key: type,
      label: riskTypeLabels[type],
      color: otherColor,
      count: counts[type],
    })),
  ];
}

function chartOf(items: readonly CountItem[]): ChartOption {
  return {
    ...horizontalBarFrame(items.map((item) => item.label)),
    series: [
      {
        type: 'bar',
        name: 'Findings',
        data: items.map((item) => ({ value: item.count, itemStyle: { color: item.color } })),
      },
    ],
  };
}

/**
 * A CI scan's findings by risk type and severity, summed over its platforms as the service counted
 * them: bars to compare at a glance, the exact numbers beside them.
 */
export function CiScanCountsCard({ counts }: { readonly counts: RiskCounts }) {
  const items = itemsOf(counts);
  const any = items.some((item) => item.count > 0);
  return (
    <Card size="small" title="Findings by risk type and severity" data-testid="ci-scan-counts">
      <Flex gap={24} align="center">
        <div style={{ flex: 1, minWidth: 0 }}>
          {any ? (
            <EChart option={chartOf(items)} height={240} label="Findings of the CI scan by risk type" />
          ) : null}
        </div>
        <CountList label="Findings by risk type and severity" items={items} />
      </Flex>
    </Card>
  );
}
