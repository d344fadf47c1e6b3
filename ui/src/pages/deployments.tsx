import { useApi } from '../api.js';
import { TrafficSplit } from '../components/traffic.js';
import { ErrorBox, Loading, Section } from '../components/ui.js';
import { ago } from '../format.js';
import { Link, path } from '../router.js';

/** Every deployment with its mode and live traffic split. */
export function DeploymentsPage() {
  const { data, error, loading } = useApi((c) => c.deployments.list(), [], { pollMs: 3000 });
  return (
    <>
      <h1>Deployments</h1>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.length === 0 ? (
        <p className="muted">Nothing deployed yet: gyre deploy NAME --model models:/m/1</p>
      ) : null}
      <div className="grid">
        {data?.map((d) => (
          <Section key={d.name} title={<Link to={path('deployments', d.name)}>{d.name}</Link>}>
            <p className="muted">
              {d.current.spec.mode} · revision {d.current.revision} · {d.current.action} by{' '}
              {d.current.createdBy} {ago(d.current.createdAt)}
            </p>
            <TrafficSplit revision={d.current} />
          </Section>
        ))}
      </div>
    </>
  );
}
