import { useApi } from '../api.js';
import { LineChart } from '../components/chart.js';
import { DataTable } from '../components/data-table.js';
import { Badge, ErrorBox, KeyValues, Loading, Section } from '../components/ui.js';
import { num, pct, when } from '../format.js';
import { Link, path } from '../router.js';
import type { ApiAlert, ApiMonitor } from '../sdk.js';

/** Every monitor with drift over time, realized performance and cost, and the alert timeline. */
export function MonitoringPage() {
  const monitors = useApi((c) => c.monitoring.listMonitors(), [], { pollMs: 10_000 });
  const alerts = useApi((c) => c.monitoring.listAlerts(), [], { pollMs: 5000 });
  return (
    <>
      <h1>Monitoring</h1>
      <ErrorBox error={monitors.error} />
      {monitors.loading && !monitors.data ? <Loading /> : null}
      {monitors.data && monitors.data.length === 0 ? (
        <p className="muted">No monitors yet: gyre monitors create … (see docs/monitoring.md)</p>
      ) : null}
      {monitors.data?.map((m) => (
        <MonitorView key={m.name} monitor={m} />
      ))}
      <Section title="Alert timeline">
        <ErrorBox error={alerts.error} />
        {alerts.data ? <AlertTable alerts={alerts.data} /> : <Loading />}
      </Section>
    </>
  );
}

function AlertTable({ alerts }: { alerts: ApiAlert[] }) {
  return (
    <DataTable<ApiAlert>
      caption="Alerts"
      rows={alerts.slice().sort((a, b) => b.since - a.since)}
      rowKey={(a) => a.id}
      empty="No alert has fired."
      columns={[
        {
          key: 'rule',
          header: 'Rule',
          render: (a) => <Link to={path('alerts', a.id)}>{a.rule}</Link>,
        },
        {
          key: 'deployment',
          header: 'Deployment',
          render: (a) => <Link to={path('deployments', a.deployment)}>{a.deployment}</Link>,
        },
        { key: 'state', header: 'State', render: (a) => <Badge status={a.state} /> },
        { key: 'severity', header: 'Severity', render: (a) => a.severity },
        { key: 'since', header: 'Since', render: (a) => when(a.since) },
        { key: 'fired', header: 'Fired', render: (a) => when(a.firedAt) },
        { key: 'resolved', header: 'Resolved', render: (a) => when(a.resolvedAt) },
      ]}
    />
  );
}

function MonitorView({ monitor }: { monitor: ApiMonitor }) {
  const results = useApi(
    (c) => c.monitoring.results(monitor.name, 200),
    [monitor.name, monitor.latest?.seq],
    { pollMs: 10_000 },
  );
  const list = (results.data ?? []).slice().sort((a, b) => a.windowEnd - b.windowEnd);
  const x = list.map((r) => r.windowEnd);
  const features = [...new Set(list.flatMap((r) => r.features.map((f) => f.feature)))].sort();
  const realizedKeys = [...new Set(list.flatMap((r) => Object.keys(r.realized.metrics)))].sort();
  return (
    <Section title={`${monitor.name} → ${monitor.spec.deployment}`}>
      <ErrorBox error={results.error} />
      {monitor.latest ? (
        <KeyValues
          entries={[
            [
              'Latest window',
              `${when(monitor.latest.windowStart)} – ${when(monitor.latest.windowEnd)} (${num(monitor.latest.rows)} rows)`,
            ],
            [
              'Drift share',
              `${pct(monitor.latest.driftShare)}${monitor.latest.datasetDrift ? ' — dataset drift' : ''}`,
            ],
            [
              'Drifted features',
              monitor.latest.features
                .filter((f) => f.drifted)
                .map((f) => f.feature)
                .join(', ') || 'none',
            ],
            [
              'Cost per 1,000 predictions',
              monitor.latest.resources ? `$${num(monitor.latest.resources.costPer1kUsd, 3)}` : '—',
            ],
          ]}
        />
      ) : (
        <p className="muted">No window checked yet.</p>
      )}
      {list.length > 0 ? (
        <div className="charts">
          <LineChart
            title="Drift score per feature"
            xTime
            series={features.map((f) => ({
              label: f,
              x,
              y: list.map((r) => r.features.find((g) => g.feature === f)?.score ?? null),
            }))}
          />
          <LineChart
            title="Drift share"
            xTime
            series={[{ label: 'drift share', x, y: list.map((r) => r.driftShare) }]}
          />
          {realizedKeys.length > 0 ? (
            <LineChart
              title="Realized performance"
              xTime
              series={realizedKeys.map((k) => ({
                label: k,
                x,
                y: list.map((r) => r.realized.metrics[k] ?? null),
              }))}
            />
          ) : null}
          <LineChart
            title="Cost per 1,000 predictions (USD)"
            xTime
            series={[
              { label: 'USD / 1k', x, y: list.map((r) => r.resources?.costPer1kUsd ?? null) },
            ]}
          />
        </div>
      ) : null}
    </Section>
  );
}

/** One alert: its rule, state history and the windows (evidence) that made it fire. */
export function AlertPage({ params }: { params: Record<string, string> }) {
  const { data: alert, error } = useApi((c) => c.monitoring.getAlert(params.id), [params.id], {
    pollMs: 5000,
  });
  if (error) return <ErrorBox error={error} />;
  if (!alert) return <Loading what="alert" />;
  return (
    <>
      <p className="muted">
        <Link to="/monitoring">Monitoring</Link> /
      </p>
      <h1>
        {alert.rule} <Badge status={alert.state} />
      </h1>
      <Section title="Alert">
        <KeyValues
          entries={[
            ['Monitor', alert.monitor],
            [
              'Deployment',
              <Link key="d" to={path('deployments', alert.deployment)}>
                {alert.deployment}
              </Link>,
            ],
            ['Severity', alert.severity],
            ['Since', when(alert.since)],
            ['Fired', when(alert.firedAt)],
            ['Resolved', when(alert.resolvedAt)],
            ['Acknowledged', alert.ackedBy ? `${alert.ackedBy} at ${when(alert.ackedAt)}` : '—'],
          ]}
        />
      </Section>
      <Section title="Evidence">
        <DataTable
          caption="Windows behind the alert"
          rows={alert.evidence}
          rowKey={(e) => e.resultId}
          columns={[
            { key: 'seq', header: 'Window', numeric: true, render: (e) => e.seq },
            { key: 'end', header: 'Window end', render: (e) => when(e.windowEnd) },
            {
              key: 'value',
              header: 'Value',
              render: (e) => (typeof e.value === 'number' ? num(e.value) : String(e.value)),
            },
            { key: 'held', header: 'Rule held', render: (e) => (e.held ? 'yes' : 'no') },
          ]}
        />
      </Section>
      <Section title="Actions taken">
        {(alert.actions ?? []).length === 0 ? <p className="muted">None.</p> : null}
        <ul className="list">
          {(alert.actions ?? []).map((a) => (
            <li key={a.id}>
              {a.kind} <Badge status={a.outcome} />{' '}
              <span className="muted">{when(a.createdAt)}</span>
              <details>
                <summary>Detail</summary>
                <pre className="preview" tabIndex={0}>
                  {JSON.stringify(a.detail, null, 2)}
                </pre>
              </details>
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}
