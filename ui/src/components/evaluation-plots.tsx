import { useApi } from '../api.js';
import { pct } from '../format.js';
import { LineChart } from './chart.js';
import { Section } from './ui.js';

interface Plots {
  roc?: { fpr: number; tpr: number }[];
  pr?: { recall: number; precision: number }[];
  calibration?: { meanPredicted: number; fractionPositive: number; count: number }[];
  residuals?: { actual: number; predicted: number; residual: number }[];
  feature_importance?: { feature: string; gain: number }[];
}

/** The plots `ml/evaluate` logs (evaluation.json): ROC, PR, calibration, residuals, importance. */
export function EvaluationPlots({ runId }: { runId: string }) {
  const { data } = useApi(
    async (c) => {
      const listing = await c.tracking.listArtifacts(runId);
      if (!listing.files.some((f) => f.path === 'evaluation.json')) return undefined;
      const report = (await (await c.tracking.artifact(runId, 'evaluation.json')).json()) as {
        plots?: Plots;
        metrics?: Record<string, number>;
      };
      return report.plots;
    },
    [runId],
  );
  if (!data) return null;
  const importance = (data.feature_importance ?? [])
    .slice()
    .sort((a, b) => b.gain - a.gain)
    .slice(0, 15);
  const top = importance[0]?.gain || 1;
  const sum = (data.feature_importance ?? []).reduce((n, f) => n + f.gain, 0) || 1;
  return (
    <Section title="Evaluation">
      <div className="charts">
        {data.roc ? (
          <LineChart
            title="ROC curve"
            xLabel="false positive rate"
            yLabel="true positive rate"
            series={[
              { label: 'ROC', x: data.roc.map((p) => p.fpr), y: data.roc.map((p) => p.tpr) },
            ]}
          />
        ) : null}
        {data.pr ? (
          <LineChart
            title="Precision–recall curve"
            xLabel="recall"
            yLabel="precision"
            series={[
              { label: 'PR', x: data.pr.map((p) => p.recall), y: data.pr.map((p) => p.precision) },
            ]}
          />
        ) : null}
        {data.calibration ? (
          <LineChart
            title="Calibration"
            xLabel="mean predicted probability"
            yLabel="fraction positive"
            series={[
              {
                label: 'observed',
                x: data.calibration.map((b) => b.meanPredicted),
                y: data.calibration.map((b) => b.fractionPositive),
              },
            ]}
          />
        ) : null}
        {data.residuals ? (
          <LineChart
            title="Residuals against predictions"
            xLabel="predicted"
            yLabel="residual"
            points
            series={[
              {
                label: 'residual',
                x: data.residuals.map((r) => r.predicted),
                y: data.residuals.map((r) => r.residual),
              },
            ]}
          />
        ) : null}
        {importance.length > 0 ? (
          <figure className="chart">
            <figcaption>Feature importance (share of gain)</figcaption>
            <ul className="bars">
              {importance.map((f) => (
                <li key={f.feature}>
                  <span className="bar-label">{f.feature}</span>
                  <span className="bar" style={{ width: `${(f.gain / top) * 100}%` }} />
                  <span className="bar-value">{pct(f.gain / sum)}</span>
                </li>
              ))}
            </ul>
          </figure>
        ) : null}
      </div>
    </Section>
  );
}
