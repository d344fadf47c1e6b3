import { useState } from 'react';
import { gyre, useApi } from '../api.js';
import { ConfirmDialog, ErrorBox, Loading, Section } from '../components/ui.js';
import { DataTable } from '../components/data-table.js';
import { TrafficSplit } from '../components/traffic.js';
import { LineChart } from '../components/chart.js';
import { Badge } from '../components/ui.js';
import { num, when } from '../format.js';
import { useLiveInference } from '../live-metrics.js';
import { Link } from '../router.js';
import type { ApiDeploymentRevision } from '../sdk.js';
import { TryIt } from './try-it.js';

/**
 * A deployment: routes and weights, live requests/s, latency and errors, the canary analysis
 * of its rollout, its revision history (promote / roll back), and a form to try the model.
 */
export function DeploymentPage({ params }: { params: Record<string, string> }) {
  const name = params.name;
  const deployment = useApi((c) => c.deployments.get(name), [name], { pollMs: 3000 });
  const history = useApi(
    (c) => c.deployments.history(name),
    [name, deployment.data?.current.revision],
  );
  const rollout = useApi(
    (c) =>
      c.monitoring
        .getRollout(name)
        .catch((e: { code?: string }) => (e.code === 'NOT_FOUND' ? undefined : Promise.reject(e))),
    [name, deployment.data?.current.revision],
    { pollMs: 3000 },
  );
  const [confirm, setConfirm] = useState<'promote' | 'rollback'>();
  if (deployment.error && !deployment.data) return <ErrorBox error={deployment.error} />;
  if (!deployment.data) return <Loading what="deployment" />;
  const current = deployment.data.current;
  const primary = current.routes.find((r) => r.role === 'primary') ?? current.routes[0];
  return (
    <>
      <p className="muted">
        <Link to="/deployments">Deployments</Link> /
      </p>
      <h1>{name}</h1>
      <Section
        title={`Routes · revision ${current.revision} (${current.spec.mode})`}
        actions={
          <>
            {current.spec.mode === 'canary' ? (
              <button type="button" className="primary" onClick={() => setConfirm('promote')}>
                Promote candidate
              </button>
            ) : null}
            <button type="button" onClick={() => setConfirm('rollback')}>
              Roll back
            </button>
          </>
        }
      >
        <TrafficSplit revision={current} />
        <p className="muted">
          {current.action} by {current.createdBy} at {when(current.createdAt)}
          {current.reason ? ` — ${current.reason}` : ''}
        </p>
      </Section>
      <LiveTraffic name={name} />
      <Section title="Canary analysis">
        <ErrorBox error={rollout.error} />
        {rollout.data ? (
          <>
            <p>
              Rollout <Badge status={rollout.data.rollout.state} /> step{' '}
              {rollout.data.rollout.step + 1} of {rollout.data.rollout.plan.steps.length} (
              {rollout.data.rollout.plan.steps.map((s) => `${s.weight}%`).join(' → ')})
              {rollout.data.rollout.outcome ? ` — ${rollout.data.rollout.outcome}` : ''}
            </p>
            <ul className="list">
              {rollout.data.analyses.map((a) => (
                <li key={a.id}>
                  step {a.step + 1} · revision {a.revision} · <Badge status={a.decision} />{' '}
                  <span className="muted">{when(a.createdAt)}</span>
                  <details>
                    <summary>Evidence</summary>
                    <pre className="preview" tabIndex={0}>
                      {JSON.stringify(a.evidence, null, 2)}
                    </pre>
                  </details>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="muted">No driven rollout on this deployment.</p>
        )}
      </Section>
      <Section title="Revisions">
        <ErrorBox error={history.error} />
        <DataTable<ApiDeploymentRevision>
          caption="Revisions"
          rows={(history.data ?? []).slice().sort((a, b) => b.revision - a.revision)}
          rowKey={(r) => String(r.revision)}
          columns={[
            { key: 'rev', header: 'Revision', render: (r) => r.revision },
            { key: 'action', header: 'Action', render: (r) => r.action },
            { key: 'mode', header: 'Mode', render: (r) => r.spec.mode },
            {
              key: 'routes',
              header: 'Routes',
              render: (r) => r.routes.map((x) => `${x.key} ${x.role} ${x.weight}%`).join(', '),
            },
            { key: 'by', header: 'By', render: (r) => r.createdBy },
            { key: 'reason', header: 'Reason', render: (r) => r.reason ?? '' },
            { key: 'at', header: 'At', render: (r) => when(r.createdAt) },
          ]}
        />
      </Section>
      {primary ? (
        <TryIt
          deployment={name}
          model={
            primary.name && primary.version
              ? { name: primary.name, version: primary.version }
              : undefined
          }
        />
      ) : null}
      {confirm ? (
        <ConfirmDialog
          title={confirm === 'promote' ? 'Promote the candidate?' : 'Roll back?'}
          description={
            confirm === 'promote' ? (
              <p>The candidate takes all of {name}'s traffic.</p>
            ) : (
              <p>
                {name} returns to the revision before {current.revision}.
              </p>
            )
          }
          confirmLabel={confirm === 'promote' ? 'Promote' : 'Roll back'}
          askReason
          onConfirm={async (reason) => {
            if (confirm === 'promote') await gyre().deployments.promote(name, { reason });
            else await gyre().deployments.rollback(name, { reason });
            deployment.reload();
          }}
          onClose={() => setConfirm(undefined)}
        />
      ) : null}
    </>
  );
}

function LiveTraffic({ name }: { name: string }) {
  const { points, error } = useLiveInference(name);
  const last = points.at(-1);
  const x = points.map((p) => p.at);
  return (
    <Section title="Live traffic">
      <ErrorBox error={error} />
      <p>
        <strong>{num(last?.rps ?? 0, 3)}</strong> requests/s · mean latency{' '}
        <strong>{last?.latencyMs == null ? '—' : `${num(last.latencyMs, 3)} ms`}</strong> ·{' '}
        <strong>{num(last?.errorsPerSecond ?? 0, 3)}</strong> errors/s
      </p>
      {points.length > 1 ? (
        <div className="charts">
          <LineChart
            title="Requests per second"
            xTime
            series={[{ label: 'requests/s', x, y: points.map((p) => p.rps) }]}
            height={160}
          />
          <LineChart
            title="Mean latency (ms)"
            xTime
            series={[{ label: 'ms', x, y: points.map((p) => p.latencyMs) }]}
            height={160}
          />
          <LineChart
            title="Errors per second"
            xTime
            series={[{ label: 'errors/s', x, y: points.map((p) => p.errorsPerSecond) }]}
            height={160}
          />
        </div>
      ) : (
        <p className="muted">Measuring…</p>
      )}
    </Section>
  );
}
