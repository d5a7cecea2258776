import type { ChartOption } from './echart.tsx';

/**
 * The frame of a horizontal bar chart, without its series: one bar (or stack) per category, top to
 * bottom in the order given, the category names read in full beside them, whole numbers along the
 * bars. `legendBelow` leaves room under the chart for a legend the caller adds.
 */
export function horizontalBarFrame(categories: readonly string[], { legendBelow = false } = {}): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: {
      left: 8,
      right: 16,
      top: 8,
      bottom: legendBelow ? 28 : 8,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    yAxis: { type: 'category', inverse: true, data: [...categories], axisLabel: { interval: 0 } },
    xAxis: { type: 'value', minInterval: 1 },
  };
}
