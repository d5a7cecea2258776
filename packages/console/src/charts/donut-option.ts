import type { ChartOption } from './echart.tsx';

export interface DonutSlice {
  readonly name: string;
  readonly value: number;
  readonly color: string;
}

/**
 * Parts of a whole as a donut: empty parts left out, each part's count and share on hover, no
 * labels on the slices (the counts stand beside the chart). `animate: false` for a chart redrawn on
 * every poll, so it does not keep spinning.
 */
export function donutOption(slices: readonly DonutSlice[], { animate = true } = {}): ChartOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    series: [
      {
        type: 'pie',
        radius: ['50%', '80%'],
        label: { show: false },
        ...(animate ? {} : { animation: false }),
        data: slices
          .filter((slice) => slice.value > 0)
          .map((slice) => ({ name: slice.name, value: slice.value, itemStyle: { color: slice.color } })),
      },
    ],
  };
}
