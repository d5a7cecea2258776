import { Card, Flex, Typography } from 'antd';
import { useMemo } from 'react';
import { handlingStates, type HandlingState } from '../api/handling-types.ts';
import { donutOption } from '../charts/donut-option.ts';
import { EChart, type ChartOption } from '../charts/echart.tsx';
import { CountList } from '../overview/count-list.tsx';
import { EmptyState } from '../states/empty-state.tsx';
import { ErrorState } from '../states/error-state.tsx';
import { LoadingState } from '../states/loading-state.tsx';
import { handlingStateChartColors, handlingStateLabels } from './handling-labels.ts';
import type { HandlingStateCounts } from './use-handling-state-counts.ts';

function chartOf(counts: Readonly<Record<HandlingState, number>>): ChartOption {
  return donutOption(
    handlingStates.map((state) => ({
      name: handlingStateLabels[state],
      value: counts[state],
      color: handlingStateChartColors[state],
    })),
  );
}

/**
 * Vulnerability findings by handling state: how much of what the scans found is open and how much
 * was ignored, repaired or allowlisted; each count lists those findings below.
 */
export function HandlingStateCard({
  status,
  onPick,
}: {
  readonly status: HandlingStateCounts;
  readonly onPick: (state: HandlingState) => void;
}) {
  const { counts } = status;
  const option = useMemo(() => (counts ? chartOf(counts) : undefined), [counts]);
  const total = counts ? handlingStates.reduce((sum, state) => sum + counts[state], 0) : 0;
  return (
    <Card title="Vulnerability findings by handling state" data-testid="handling-state-card">
      {status.error !== undefined ? (
        <ErrorState error={status.error} onRetry={status.refetch} />
      ) : !counts || !option ? (
        <LoadingState minHeight={160} />
      ) : total === 0 ? (
        <EmptyState
          title="No vulnerability findings"
          description="Scanned images have no vulnerabilities yet; advisories can still be handled ahead of time."
        />
      ) : (
        <Flex gap={24} align="center">
          <div style={{ flex: 1, minWidth: 0 }}>
            <EChart option={option} height={180} label="Vulnerability findings by handling state" />
          </div>
          <CountList
            label="Vulnerability findings by handling state"
            items={handlingStates.map((state) => ({
              key: state,
              label: handlingStateLabels[state],
              color: handlingStateChartColors[state],
              count: counts[state],
              link: (content) => (
                <Typography.Link onClick={() => onPick(state)} style={{ color: 'inherit', display: 'block' }}>
                  {content}
                </Typography.Link>
              ),
            }))}
          />
        </Flex>
      )}
    </Card>
  );
}
