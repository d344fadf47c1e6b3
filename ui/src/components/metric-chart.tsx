import { useApi } from '../api.js';
import { LineChart } from './chart.js';
import { ErrorBox, Loading } from './ui.js';

// Points asked of the server per run and metric: a chart is ~1,000 px wide, so more would only
// cost transfer and drawing time (the server keeps each bucket's min and max).
const POINTS = 1000;

/** One metric of one or more runs, overlaid by step, from the server's downsampled history. */
export function MetricChart(props: { metric: string; runs: { id: string; label: string }[] }) {
  const ids = props.runs.map((r) => r.id).join(',');
  const { data, error, loading } = useApi(
    (c) => Promise.all(props.runs.map((r) => c.tracking.sampledMetric(r.id, props.metric, POINTS))),
    [ids, props.metric],
  );
  if (error) return <ErrorBox error={error} />;
  if (loading || !data) return <Loading what={props.metric} />;
  // A value logged once (a final score) has no history worth a chart.
  if (data.every((d) => d.total <= 1)) return null;
  const total = data.reduce((n, d) => n + d.total, 0);
  const drawn = data.reduce((n, d) => n + d.points.length, 0);
  return (
    <div>
      <LineChart
        title={props.metric}
        xLabel="step"
        series={data.map((d, i) => ({
          label: props.runs[i].label,
          x: d.points.map((p) => p.step),
          y: d.points.map((p) => p.value),
        }))}
      />
      <p className="muted small">
        {total.toLocaleString('en-US')} points logged
        {drawn < total ? `, ${drawn.toLocaleString('en-US')} drawn (min/max per bucket)` : ''}
      </p>
    </div>
  );
}
