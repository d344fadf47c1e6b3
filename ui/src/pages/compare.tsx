import { useState } from 'react';
import { useApi } from '../api.js';
import { MetricChart } from '../components/metric-chart.js';
import { ErrorBox, Loading, Section } from '../components/ui.js';
import { num } from '../format.js';
import { Link, path, useLocation } from '../router.js';
import { metricValue } from './runs.js';

/** Runs side by side: which params differ, latest metrics, and every metric's history overlaid. */
export function ComparePage() {
  const { query } = useLocation();
  const ids = (query.get('runs') ?? '').split(',').filter(Boolean);
  const [onlyDiff, setOnlyDiff] = useState(true);
  const { data, error, loading } = useApi(
    (c) => Promise.all(ids.map((id) => c.tracking.getRun(id))),
    [ids.join(',')],
  );
  if (ids.length === 0)
    return (
      <>
        <h1>Compare runs</h1>
        <p>Select runs in an experiment's table, then “Compare selected”.</p>
      </>
    );
  if (error) return <ErrorBox error={error} />;
  if (loading || !data) return <Loading what="runs" />;
  const label = (i: number) => data[i].info.runName || data[i].info.runId.slice(0, 8);
  const paramKeys = [...new Set(data.flatMap((r) => Object.keys(r.params)))].sort();
  const differs = (key: string) => new Set(data.map((r) => r.params[key])).size > 1;
  const shown = onlyDiff ? paramKeys.filter(differs) : paramKeys;
  const metricKeys = [...new Set(data.flatMap((r) => r.metrics.map((m) => m.key)))].sort();
  const runs = data.map((r, i) => ({ id: r.info.runId, label: label(i) }));
  return (
    <>
      <h1>Compare {data.length} runs</h1>
      <Section
        title="Params"
        actions={
          <label className="inline">
            <input
              type="checkbox"
              checked={onlyDiff}
              onChange={(e) => setOnlyDiff(e.target.checked)}
            />{' '}
            Only differences
          </label>
        }
      >
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Params of the compared runs</caption>
            <thead>
              <tr>
                <th scope="col">Param</th>
                {data.map((r, i) => (
                  <th scope="col" key={r.info.runId}>
                    <Link to={path('runs', r.info.runId)}>{label(i)}</Link>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.length === 0 ? (
                <tr>
                  <td colSpan={data.length + 1} className="muted">
                    {onlyDiff ? 'All params are the same.' : 'No params.'}
                  </td>
                </tr>
              ) : null}
              {shown.map((key) => (
                <tr key={key} className={differs(key) ? 'diff-changed' : undefined}>
                  <th scope="row">{key}</th>
                  {data.map((r) => (
                    <td key={r.info.runId}>{r.params[key] ?? '—'}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title="Latest metrics">
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Latest metric values of the compared runs</caption>
            <thead>
              <tr>
                <th scope="col">Metric</th>
                {data.map((r, i) => (
                  <th scope="col" key={r.info.runId}>
                    {label(i)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {metricKeys.map((key) => (
                <tr key={key}>
                  <th scope="row">{key}</th>
                  {data.map((r) => (
                    <td key={r.info.runId} className="num">
                      {num(metricValue(r, key))}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title="Metric history">
        <div className="charts">
          {metricKeys.map((key) => (
            <MetricChart key={key} metric={key} runs={runs} />
          ))}
        </div>
      </Section>
    </>
  );
}
