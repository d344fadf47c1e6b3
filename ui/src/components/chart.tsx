import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { PALETTE } from './palette.js';

export interface Series {
  label: string;
  /** x values (ascending) and their y values; null leaves a gap. */
  x: number[];
  y: (number | null)[];
}

/** Joins series with different x values onto one ascending x axis, as uPlot expects. */
export function alignSeries(series: Series[]): uPlot.AlignedData {
  const xs = Array.from(new Set(series.flatMap((s) => s.x))).sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = series.map((s) => {
    const column: (number | null)[] = new Array(xs.length).fill(null);
    s.x.forEach((x, i) => (column[index.get(x)!] = s.y[i]));
    return column;
  });
  return [xs, ...columns] as uPlot.AlignedData;
}

/** A y tick label that stays readable for tiny values (costs) as for large ones (prices). */
export function tick(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) < 0.01) return v.toExponential(1);
  return v.toLocaleString('en-US', { maximumSignificantDigits: 4 });
}

function yAxisSize(self: uPlot, values: string[] | null, axisIndex: number): number {
  const longest = Math.max(0, ...(values ?? []).map((v) => String(v).length));
  const labelled = self.axes[axisIndex].label ? 20 : 0;
  return Math.max(40, longest * 7 + 18 + labelled);
}

function sortedSingle(s: Series): uPlot.AlignedData {
  const order = s.x.map((_, i) => i).sort((a, b) => s.x[a] - s.x[b]);
  return [order.map((i) => s.x[i]), order.map((i) => s.y[i])] as uPlot.AlignedData;
}

/**
 * A line chart drawn by uPlot on a canvas: it stays responsive with hundreds of thousands of
 * points (the server downsamples long histories first anyway). `xTime` reads x as epoch ms.
 */
export function LineChart(props: {
  title: string;
  series: Series[];
  xLabel?: string;
  xTime?: boolean;
  height?: number;
  bars?: boolean;
  /** Dots instead of lines (a scatter of one series). */
  points?: boolean;
  yLabel?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const { series, xTime, height = 240 } = props;
  useEffect(() => {
    const element = host.current;
    if (!element || series.length === 0) return;
    const scaled = xTime ? series.map((s) => ({ ...s, x: s.x.map((v) => v / 1000) })) : series;
    // One series keeps every point (repeated x included), sorted; several share one x axis.
    const data = scaled.length === 1 ? sortedSingle(scaled[0]) : alignSeries(scaled);
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth || 640),
        height,
        scales: { x: { time: Boolean(xTime) } },
        // The y axis is sized to its widest tick label (uPlot's default clips large numbers).
        axes: [
          { label: props.xLabel },
          { label: props.yLabel, size: yAxisSize, values: (_u, splits) => splits.map(tick) },
        ],
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
        series: [
          { label: props.xLabel ?? 'x' },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: PALETTE[i % PALETTE.length],
            width: 1.5,
            spanGaps: true,
            ...(props.points
              ? {
                  paths: () => null,
                  points: { show: true, size: 4, fill: PALETTE[i % PALETTE.length] },
                }
              : {}),
            ...(props.bars
              ? {
                  paths: uPlot.paths.bars!({ size: [0.8, 64] }),
                  points: { show: false },
                  fill: `${PALETTE[i % PALETTE.length]}99`,
                }
              : {}),
          })),
        ],
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(320, element.clientWidth), height }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [series, xTime, height, props.xLabel, props.yLabel, props.bars, props.points]);
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={host} role="img" aria-label={`${props.title} chart`} />
    </figure>
  );
}
