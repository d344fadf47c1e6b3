import type { ReactNode } from 'react';
import { useApi } from '../api.js';
import { ArtifactBrowser } from '../components/artifact-browser.js';
import { EvaluationPlots } from '../components/evaluation-plots.js';
import { MetricChart } from '../components/metric-chart.js';
import { Badge, ErrorBox, KeyValues, Loading, Section } from '../components/ui.js';
import { duration, num, when } from '../format.js';
import { Link, path } from '../router.js';

const PARENT_TAG = 'mlflow.parentRunId';

/** One run: what it logged (metrics with history, params, tags), its children and artifacts. */
export function RunPage({ params }: { params: Record<string, string> }) {
  const runId = params.id;
  const { data: run, error, loading } = useApi((c) => c.tracking.getRun(runId), [runId]);
  const children = useApi(
    async (c) =>
      run
        ? (
            await c.tracking.searchRuns([run.info.experimentId], {
              filter: `tags.\`${PARENT_TAG}\` = '${runId}'`,
              maxResults: 1000,
            })
          ).runs
        : [],
    [run?.info.experimentId, runId],
  );
  if (error) return <ErrorBox error={error} />;
  if (loading || !run) return <Loading what="run" />;
  const { info } = run;
  const parent = run.tags[PARENT_TAG];
  return (
    <>
      <p className="muted">
        <Link to="/experiments">Experiments</Link> /{' '}
        <Link to={path('experiments', info.experimentId)}>experiment {info.experimentId}</Link> /
      </p>
      <h1>
        {info.runName || info.runId} <Badge status={info.status} />
      </h1>
      <Section title="Run">
        <KeyValues
          entries={[
            ['ID', <code key="id">{info.runId}</code>],
            ['Started', when(info.startTime)],
            ['Duration', info.endTime ? duration(info.endTime - info.startTime) : '—'],
            ['User', info.userId || '—'],
            ['Artifacts', <code key="a">{info.artifactUri}</code>],
            ...(parent
              ? [
                  [
                    'Parent run',
                    <Link key="p" to={path('runs', parent)}>
                      {parent}
                    </Link>,
                  ] as [string, ReactNode],
                ]
              : []),
            ...run.inputs.map(
              (d) =>
                [
                  `Input${d.context ? ` (${d.context})` : ''}`,
                  `${d.source} · ${d.digest.slice(0, 12)}`,
                ] as [string, string],
            ),
            ...run.outputs.map(
              (o) =>
                [
                  'Registered as',
                  <Link
                    key={`${o.name}${o.version}`}
                    to={`${path('models', o.name)}?version=${o.version}`}
                  >
                    {o.name} v{o.version}
                  </Link>,
                ] as [string, ReactNode],
            ),
          ]}
        />
      </Section>
      <div className="columns">
        <Section title="Params">
          <KeyValues entries={Object.entries(run.params).sort(([a], [b]) => a.localeCompare(b))} />
        </Section>
        <Section title="Latest metrics">
          <KeyValues
            entries={run.metrics
              .slice()
              .sort((a, b) => a.key.localeCompare(b.key))
              .map((m) => [m.key, `${num(m.value)} (step ${m.step})`])}
          />
        </Section>
      </div>
      {run.metrics.length > 0 ? (
        <Section title="Metric history">
          <div className="charts">
            {run.metrics.map((m) => (
              <MetricChart key={m.key} metric={m.key} runs={[{ id: runId, label: m.key }]} />
            ))}
          </div>
        </Section>
      ) : null}
      <EvaluationPlots runId={runId} />
      <Section title={`Nested runs (${children.data?.length ?? 0})`}>
        <ErrorBox error={children.error} />
        {children.data && children.data.length === 0 ? <p className="muted">None.</p> : null}
        <ul className="list">
          {children.data?.map((c) => (
            <li key={c.info.runId}>
              <Link to={path('runs', c.info.runId)}>{c.info.runName || c.info.runId}</Link>{' '}
              <Badge status={c.info.status} />
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Tags">
        <KeyValues entries={Object.entries(run.tags).sort(([a], [b]) => a.localeCompare(b))} />
      </Section>
      <Section title="Artifacts">
        <ArtifactBrowser runId={runId} />
      </Section>
    </>
  );
}
