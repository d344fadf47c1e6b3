import { useApi } from '../api.js';
import { Badge, Empty, ErrorBox, Loading, Section } from '../components/ui.js';
import { TrafficSplit } from '../components/traffic.js';
import type { Dataset } from '../data-types.js';
import { ago } from '../format.js';
import { Link, path } from '../router.js';

/** The loop at a glance: data, pipeline runs, models, deployments and alerts, each a link. */
export function HomePage() {
  return (
    <>
      <h1>The loop at a glance</h1>
      <div className="grid">
        <LatestDatasets />
        <LatestPipelineRuns />
        <LatestModelVersions />
        <Deployments />
        <FiringAlerts />
      </div>
    </>
  );
}

function LatestDatasets() {
  const { data, error, loading } = useApi(async (c) => {
    const { datasets } = await c.data.listDatasets();
    return (datasets as unknown as Dataset[]).sort((a, b) => b.updatedAt - a.updatedAt).slice(0, 8);
  }, []);
  return (
    <Section title={<Link to="/datasets">Datasets</Link>}>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.length === 0 ? <Empty>No datasets yet: gyre data ingest …</Empty> : null}
      <ul className="list">
        {data?.map((d) => (
          <li key={d.id}>
            <Link to={`${path('datasets', d.name)}?version=${d.latestVersion}`}>
              {d.name}@{d.latestVersion}
            </Link>{' '}
            <span className="muted">{ago(d.updatedAt)}</span>
          </li>
        ))}
      </ul>
    </Section>
  );
}

function LatestPipelineRuns() {
  const { data, error, loading } = useApi((c) => c.pipelines.runs({ maxResults: 8 }), [], {
    pollMs: 5000,
  });
  return (
    <Section title={<Link to="/pipelines">Pipeline runs</Link>}>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.runs.length === 0 ? <Empty>No pipeline runs yet.</Empty> : null}
      <ul className="list">
        {data?.runs.map((r) => (
          <li key={r.id}>
            <Link to={path('pipeline-runs', r.id)}>
              {r.pipelineName} <span className="mono">{r.id.slice(0, 8)}</span>
            </Link>{' '}
            <Badge status={r.status} /> <span className="muted">{ago(r.createdAt)}</span>
          </li>
        ))}
      </ul>
    </Section>
  );
}

function LatestModelVersions() {
  const { data, error, loading } = useApi(async (c) => {
    const [versions, models] = await Promise.all([
      c.registry.searchVersions({ maxResults: 8, orderBy: ['creation_timestamp DESC'] }),
      c.registry.searchModels({ maxResults: 50 }),
    ]);
    return { versions: versions.versions, models: models.models };
  }, []);
  return (
    <Section title={<Link to="/models">Model versions</Link>}>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.versions.length === 0 ? <Empty>No registered models yet.</Empty> : null}
      <ul className="list">
        {data?.versions.map((v) => (
          <li key={`${v.name}/${v.version}`}>
            <Link to={`${path('models', v.name)}?version=${v.version}`}>
              {v.name} v{v.version}
            </Link>{' '}
            {v.aliases.map((a) => (
              <span key={a} className="tag">
                @{a}
              </span>
            ))}{' '}
            <span className="muted">{ago(v.createdAt)}</span>
          </li>
        ))}
      </ul>
      {data && data.models.some((m) => m.aliases.length > 0) ? (
        <>
          <h3>Aliases</h3>
          <ul className="list">
            {data.models.flatMap((m) =>
              m.aliases.map((a) => (
                <li key={`${m.name}@${a.alias}`}>
                  <Link to={`${path('models', m.name)}?version=${a.version}`}>
                    {m.name}@{a.alias}
                  </Link>{' '}
                  → v{a.version}
                </li>
              )),
            )}
          </ul>
        </>
      ) : null}
    </Section>
  );
}

function Deployments() {
  const { data, error, loading } = useApi((c) => c.deployments.list(), [], { pollMs: 5000 });
  return (
    <Section title={<Link to="/deployments">Deployments</Link>}>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.length === 0 ? <Empty>Nothing deployed yet: gyre deploy …</Empty> : null}
      {data?.map((d) => (
        <div key={d.name} className="deployment-summary">
          <Link to={path('deployments', d.name)}>{d.name}</Link>{' '}
          <span className="muted">
            {d.current.spec.mode} · revision {d.current.revision}
          </span>
          <TrafficSplit revision={d.current} />
        </div>
      ))}
    </Section>
  );
}

function FiringAlerts() {
  const { data, error, loading } = useApi((c) => c.monitoring.listAlerts({ state: 'firing' }), [], {
    pollMs: 5000,
  });
  return (
    <Section title={<Link to="/monitoring">Firing alerts</Link>}>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.length === 0 ? <Empty>No alert is firing.</Empty> : null}
      <ul className="list">
        {data?.map((a) => (
          <li key={a.id}>
            <Link to={path('alerts', a.id)}>
              {a.rule} on {a.deployment}
            </Link>{' '}
            <Badge status={a.severity} />{' '}
            <span className="muted">since {ago(a.firedAt ?? a.since)}</span>
          </li>
        ))}
      </ul>
    </Section>
  );
}
