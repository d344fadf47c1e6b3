import { useId, useState } from 'react';
import { gyre, useApi } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { Dag } from '../components/dag.js';
import { Badge, ErrorBox, Loading, Section } from '../components/ui.js';
import { ago, duration, when } from '../format.js';
import { Link, navigate, path } from '../router.js';
import type { ApiPipelineRun } from '../sdk.js';

export interface PipelineSpec {
  name: string;
  description?: string;
  params?: Record<string, { type: string; default?: unknown }>;
  steps: Record<string, { needs?: string[]; uses?: string; run?: unknown }>;
}

export const needsOf = (spec: PipelineSpec) =>
  Object.fromEntries(Object.entries(spec.steps).map(([s, d]) => [s, d.needs ?? []]));

export function RunsTable({ runs }: { runs: ApiPipelineRun[] }) {
  return (
    <DataTable<ApiPipelineRun>
      caption="Pipeline runs"
      rows={runs}
      rowKey={(r) => r.id}
      empty="No runs yet."
      columns={[
        {
          key: 'id',
          header: 'Run',
          render: (r) => <Link to={path('pipeline-runs', r.id)}>{r.id.slice(0, 12)}</Link>,
        },
        {
          key: 'pipeline',
          header: 'Pipeline',
          render: (r) => <Link to={path('pipelines', r.pipelineName)}>{r.pipelineName}</Link>,
        },
        { key: 'status', header: 'Status', render: (r) => <Badge status={r.status} /> },
        { key: 'trigger', header: 'Trigger', render: (r) => r.trigger.kind },
        { key: 'created', header: 'Created', render: (r) => when(r.createdAt) },
        {
          key: 'took',
          header: 'Took',
          numeric: true,
          render: (r) => (r.startedAt && r.finishedAt ? duration(r.finishedAt - r.startedAt) : '—'),
        },
      ]}
    />
  );
}

/** Registered pipelines and the latest runs of all of them. */
export function PipelinesPage() {
  const list = useApi((c) => c.pipelines.list(), []);
  const runs = useApi((c) => c.pipelines.runs({ maxResults: 100 }), [], { pollMs: 3000 });
  return (
    <>
      <h1>Pipelines</h1>
      <Section title="Pipelines">
        <ErrorBox error={list.error} />
        {list.data && list.data.pipelines.length === 0 ? (
          <p className="muted">None registered: gyre pipelines register pipeline.yaml</p>
        ) : null}
        <ul className="list">
          {list.data?.pipelines.map((p) => (
            <li key={p.name}>
              <Link to={path('pipelines', p.name)}>{p.name}</Link>{' '}
              <span className="muted">v{p.latestVersion}</span>
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Recent runs">
        <ErrorBox error={runs.error} />
        {runs.data ? <RunsTable runs={runs.data.runs} /> : <Loading />}
      </Section>
    </>
  );
}

/** One pipeline: its graph, a form to trigger it with params, and its runs. */
export function PipelinePage({ params }: { params: Record<string, string> }) {
  const name = params.name;
  const definition = useApi(
    async (c) => (await c.pipelines.get(name)) as { version: number; spec: PipelineSpec },
    [name],
  );
  const runs = useApi((c) => c.pipelines.runs({ pipeline: name, maxResults: 100 }), [name], {
    pollMs: 3000,
  });
  if (definition.error) return <ErrorBox error={definition.error} />;
  if (!definition.data) return <Loading what="pipeline" />;
  const { spec, version } = definition.data;
  return (
    <>
      <p className="muted">
        <Link to="/pipelines">Pipelines</Link> /
      </p>
      <h1>
        {spec.name} <span className="muted">v{version}</span>
      </h1>
      {spec.description ? <p>{spec.description}</p> : null}
      <Section title="Steps">
        <Dag needs={needsOf(spec)} />
      </Section>
      <TriggerForm name={name} spec={spec} />
      <Section title="Runs">
        <ErrorBox error={runs.error} />
        {runs.data ? <RunsTable runs={runs.data.runs} /> : <Loading />}
        {runs.data?.runs[0] ? (
          <p className="muted">Latest {ago(runs.data.runs[0].createdAt)}.</p>
        ) : null}
      </Section>
    </>
  );
}

function TriggerForm({ name, spec }: { name: string; spec: PipelineSpec }) {
  const id = useId();
  const declared = Object.entries(spec.params ?? {});
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      declared.map(([k, p]) => [
        k,
        p.default === undefined || p.default === null
          ? ''
          : typeof p.default === 'string'
            ? p.default
            : JSON.stringify(p.default),
      ]),
    ),
  );
  const [noCache, setNoCache] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const params: Record<string, unknown> = {};
      for (const [k, p] of declared) {
        const raw = values[k];
        if (raw === '') continue;
        params[k] =
          p.type === 'integer' || p.type === 'number'
            ? Number(raw)
            : p.type === 'boolean'
              ? raw === 'true'
              : p.type === 'json'
                ? JSON.parse(raw)
                : raw;
      }
      const { run } = await gyre().pipelines.trigger(name, { params, noCache });
      navigate(path('pipeline-runs', run.id));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Section title="Trigger a run">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="form-grid">
          {declared.map(([k, p]) => (
            <div key={k}>
              <label htmlFor={`${id}-${k}`}>
                {k} <span className="muted">({p.type})</span>
              </label>
              <input
                id={`${id}-${k}`}
                value={values[k] ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [k]: e.target.value }))}
              />
            </div>
          ))}
        </div>
        <p className="inline">
          <input
            id={`${id}-nocache`}
            type="checkbox"
            checked={noCache}
            onChange={(e) => setNoCache(e.target.checked)}
          />{' '}
          <label htmlFor={`${id}-nocache`}>Ignore the step cache</label>
        </p>
        <ErrorBox error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Starting…' : `Trigger ${name}`}
        </button>
      </form>
    </Section>
  );
}
