import { useId, useState, type ReactNode } from 'react';
import { useApi } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { Empty, ErrorBox, KeyValues, Loading, Section } from '../components/ui.js';
import type { ColumnProfile } from '../data-types.js';
import { num, when } from '../format.js';
import { Link, path, setQuery, useLocation } from '../router.js';
import type { ApiViewFilter } from '../sdk.js';
import { ColumnView } from './dataset.js';

// Wire shapes of the feature store routes (src/features: StoredDefinition, FeatureViewDetail).
interface Freshness {
  lastMaterializedAt?: number;
  latestEventMs?: number;
  lagMs?: number;
}

interface ViewDefinition {
  entities: string[];
  source: { dataset: string } | { sql: string; inputs: Record<string, string> };
  timestampColumn: string;
  ttl: string | number;
  features: { name: string; type: string; description?: string }[];
  description?: string;
  owner?: string;
  tags?: Record<string, string>;
}

interface Stored<D> {
  name: string;
  version: number;
  digest: string;
  definition: D;
  createdBy: string;
  createdAt: number;
}

type ListedView = Stored<ViewDefinition> & { freshness: Freshness };

interface ServiceDefinition {
  features: string[];
  description?: string;
  owner?: string;
  tags?: Record<string, string>;
}

interface ViewDetail {
  view: Stored<ViewDefinition>;
  versions: number;
  joinKeys: string[];
  sources: string[];
  services: string[];
  deployments: { deployment: string; service: string; models: string[] }[];
  trainingSets: string[];
  models: string[];
  freshness: Freshness;
  materializations: {
    id: string;
    viewVersion: number;
    startMs?: number;
    endMs: number;
    rows: number;
    maxEventMs?: number;
    sources: string[];
    store: string;
    trigger: string;
    createdAt: number;
  }[];
  profiles: Record<string, ColumnProfile>;
}

const FILTERS: [keyof ApiViewFilter, string, string][] = [
  ['q', 'Search', 'name, description or feature'],
  ['tag', 'Tag', 'key or key=value'],
  ['owner', 'Owner', 'fraud-team'],
  ['entity', 'Entity', 'customer'],
];

/** How far behind real time: `42s`, `5m`, `3.5h`, `12d`. */
export function lag(ms: number | undefined): string {
  if (ms === undefined) return '—';
  const s = Math.max(0, ms / 1000);
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.round(s / 60)}m`;
  if (s < 86_400) return `${Number((s / 3600).toFixed(1))}h`;
  return `${Math.round(s / 86_400)}d`;
}

/** `name@3` → a link to that dataset version; anything else as text. */
function DatasetRef({ at }: { at: string }) {
  const [name, version] = at.split('@');
  if (!version || !/^\d+$/.test(version)) return <code>{at}</code>;
  return <Link to={`${path('datasets', name)}?version=${version}`}>{at}</Link>;
}

/** A model version label (`fraud/3`, `fraud v3`) → a link to the model page. */
function ModelRef({ label }: { label: string }) {
  const m = /^(.+?)(?:\/| v|@)(\d+)$/.exec(label);
  if (!m) return <span>{label}</span>;
  return <Link to={`${path('models', m[1])}?version=${m[2]}`}>{label}</Link>;
}

function Tags({ tags }: { tags?: Record<string, string> }) {
  const entries = Object.entries(tags ?? {});
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <>
      {entries.map(([k, v]) => (
        <span key={k} className="tag">
          {k}={v}
        </span>
      ))}
    </>
  );
}

function commaList<T>(items: T[], render: (item: T) => ReactNode, empty = '—') {
  if (items.length === 0) return <span className="muted">{empty}</span>;
  return items.map((item, i) => (
    <span key={i}>
      {i > 0 ? ', ' : ''}
      {render(item)}
    </span>
  ));
}

/** Feature views and services, searchable by name, tag, owner and entity, with freshness and use. */
export function FeaturesPage() {
  const { query } = useLocation();
  const filter: ApiViewFilter = {};
  for (const [key] of FILTERS) {
    const value = query.get(key);
    if (value) filter[key] = value;
  }
  const key = JSON.stringify(filter);
  const views = useApi(
    async (c) => {
      const listed = (await c.features.listViews(filter)).views as unknown as ListedView[];
      // Which models and deployments use each view comes from its detail (a few views a page).
      const details = await Promise.all(
        listed
          .slice(0, 50)
          .map((v) => c.features.getView(v.name).catch(() => undefined) as Promise<unknown>),
      );
      return listed.map((v, i) => ({ ...v, detail: details[i] as ViewDetail | undefined }));
    },
    [key],
  );
  const services = useApi(
    async (c) =>
      (await c.features.listServices()).services as unknown as Stored<ServiceDefinition>[],
    [],
  );
  const id = useId();
  const [draft, setDraft] = useState<Record<string, string>>(() =>
    Object.fromEntries(FILTERS.map(([k]) => [k, query.get(k) ?? ''])),
  );
  const searching = Object.keys(filter).length > 0;
  return (
    <>
      <h1>Features</h1>
      <form
        className="filter-bar"
        role="search"
        aria-label="Feature views"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(Object.fromEntries(FILTERS.map(([k]) => [k, draft[k]?.trim() || undefined])));
        }}
      >
        {FILTERS.map(([k, label, placeholder]) => (
          <div key={k}>
            <label htmlFor={`${id}-${k}`}>{label}</label>
            <input
              id={`${id}-${k}`}
              value={draft[k] ?? ''}
              placeholder={placeholder}
              onChange={(e) => setDraft((d) => ({ ...d, [k]: e.target.value }))}
            />
          </div>
        ))}
        <button type="submit" className="primary">
          Search views
        </button>
      </form>
      <Section title={searching ? 'Feature views found' : 'Feature views'}>
        <ErrorBox error={views.error} />
        {views.loading && !views.data ? <Loading what="feature views" /> : null}
        {views.data ? (
          <DataTable
            caption="Feature views"
            rows={views.data}
            rowKey={(v) => v.name}
            empty={
              searching
                ? 'No feature view matches.'
                : 'No feature views yet: apply definitions with `gyre features apply`.'
            }
            columns={[
              {
                key: 'name',
                header: 'View',
                render: (v) => <Link to={path('features', 'views', v.name)}>{v.name}</Link>,
              },
              {
                key: 'entities',
                header: 'Entities',
                render: (v) => v.definition.entities.join(', '),
              },
              {
                key: 'features',
                header: 'Features',
                render: (v) => v.definition.features.map((f) => f.name).join(', '),
              },
              { key: 'owner', header: 'Owner', render: (v) => v.definition.owner ?? '—' },
              { key: 'tags', header: 'Tags', render: (v) => <Tags tags={v.definition.tags} /> },
              {
                key: 'materialized',
                header: 'Last materialized',
                render: (v) => when(v.freshness.lastMaterializedAt),
              },
              { key: 'lag', header: 'Lag', render: (v) => lag(v.freshness.lagMs) },
              {
                key: 'models',
                header: 'Models',
                render: (v) => commaList(v.detail?.models ?? [], (m) => <ModelRef label={m} />),
              },
              {
                key: 'deployments',
                header: 'Deployments',
                render: (v) =>
                  commaList(v.detail?.deployments ?? [], (d) => (
                    <Link to={path('deployments', d.deployment)}>{d.deployment}</Link>
                  )),
              },
            ]}
          />
        ) : null}
      </Section>
      <Section title="Feature services">
        <ErrorBox error={services.error} />
        {services.data ? (
          <DataTable
            caption="Feature services"
            rows={services.data}
            rowKey={(s) => s.name}
            empty="No feature services yet."
            columns={[
              { key: 'name', header: 'Service', render: (s) => s.name },
              {
                key: 'features',
                header: 'Features',
                render: (s) =>
                  commaList(s.definition.features, (f) => {
                    const [view, feature] = f.split(':');
                    return (
                      <Link to={path('features', 'views', view)}>
                        {feature ? `${view}:${feature}` : view}
                      </Link>
                    );
                  }),
              },
              { key: 'owner', header: 'Owner', render: (s) => s.definition.owner ?? '—' },
              { key: 'tags', header: 'Tags', render: (s) => <Tags tags={s.definition.tags} /> },
              {
                key: 'description',
                header: 'Description',
                render: (s) => s.definition.description ?? '',
              },
              { key: 'version', header: 'Version', render: (s) => `v${s.version}` },
            ]}
          />
        ) : null}
      </Section>
    </>
  );
}

/** One feature view: definition, sources, freshness, profile, and what uses it. */
export function FeatureViewPage({ params }: { params: Record<string, string> }) {
  const { data, error, loading } = useApi(
    async (c) => (await c.features.getView(params.name)) as unknown as ViewDetail,
    [params.name],
  );
  const d = data?.view.definition;
  return (
    <>
      <p className="muted">
        <Link to="/features">Features</Link> /
      </p>
      <h1>Feature view {params.name}</h1>
      <ErrorBox error={error} />
      {loading && !data ? <Loading what="feature view" /> : null}
      {data && d ? (
        <>
          {d.description ? <p>{d.description}</p> : null}
          <div className="grid">
            <Section title="Definition">
              <KeyValues
                entries={[
                  ['Version', `v${data.view.version} of ${data.versions}`],
                  ['Entities', d.entities.join(', ')],
                  ['Join keys', data.joinKeys.join(', ')],
                  ['Timestamp column', <code key="ts">{d.timestampColumn}</code>],
                  ['TTL', typeof d.ttl === 'number' ? lag(d.ttl) : d.ttl],
                  ['Owner', d.owner ?? '—'],
                  ['Tags', <Tags key="tags" tags={d.tags} />],
                  ['Registered', `${when(data.view.createdAt)} by ${data.view.createdBy}`],
                ]}
              />
            </Section>
            <Section title="Freshness">
              <KeyValues
                entries={[
                  ['Last materialized', when(data.freshness.lastMaterializedAt)],
                  ['Newest event online', when(data.freshness.latestEventMs)],
                  ['Lag', lag(data.freshness.lagMs)],
                ]}
              />
            </Section>
            <Section title="Used by">
              <KeyValues
                entries={[
                  ['Services', commaList(data.services, (s) => s, 'none')],
                  [
                    'Deployments',
                    commaList(
                      data.deployments,
                      (x) => (
                        <>
                          <Link to={path('deployments', x.deployment)}>{x.deployment}</Link>{' '}
                          <span className="muted">({x.service})</span>
                        </>
                      ),
                      'none',
                    ),
                  ],
                  ['Models', commaList(data.models, (m) => <ModelRef label={m} />, 'none')],
                  [
                    'Training sets',
                    commaList(data.trainingSets, (t) => <DatasetRef at={t} />, 'none'),
                  ],
                ]}
              />
            </Section>
          </div>
          <Section title="Sources">
            {data.sources.length > 0 ? (
              <p>
                Reads{' '}
                {commaList(data.sources, (s) => (
                  <DatasetRef at={s} />
                ))}{' '}
                (the versions in use now).
              </p>
            ) : (
              <Empty>No source dataset version found.</Empty>
            )}
            {'sql' in d.source ? (
              <>
                <p>
                  SQL over{' '}
                  {commaList(Object.entries(d.source.inputs), ([alias, dataset]) => (
                    <>
                      <code>{alias}</code> = <Link to={path('datasets', dataset)}>{dataset}</Link>
                    </>
                  ))}
                  :
                </p>
                <pre className="preview" tabIndex={0} aria-label="source SQL">
                  {d.source.sql}
                </pre>
              </>
            ) : null}
          </Section>
          <Section title="Features">
            <DataTable
              caption={`Features of ${params.name}`}
              rows={d.features}
              rowKey={(f) => f.name}
              columns={[
                { key: 'name', header: 'Feature', render: (f) => <code>{f.name}</code> },
                { key: 'type', header: 'Type', render: (f) => f.type },
                { key: 'description', header: 'Description', render: (f) => f.description ?? '' },
                {
                  key: 'nulls',
                  header: 'Null fraction',
                  numeric: true,
                  render: (f) => num(data.profiles[f.name]?.nullFraction),
                },
                {
                  key: 'mean',
                  header: 'Mean',
                  numeric: true,
                  render: (f) => num(data.profiles[f.name]?.mean),
                },
              ]}
            />
          </Section>
          <Section title="Profile">
            {Object.keys(data.profiles).length === 0 ? (
              <Empty>
                No profile: the features are computed by SQL, or the source has no profile.
              </Empty>
            ) : (
              <div className="charts">
                {Object.values(data.profiles).map((p) => (
                  <ColumnView key={p.name} column={p} />
                ))}
              </div>
            )}
          </Section>
          <Section title="Materializations">
            <DataTable
              caption={`Materializations of ${params.name}`}
              rows={data.materializations}
              rowKey={(m) => m.id}
              empty="Never materialized: `gyre features materialize` writes the online store."
              columns={[
                { key: 'at', header: 'When', render: (m) => when(m.createdAt) },
                { key: 'version', header: 'View version', render: (m) => `v${m.viewVersion}` },
                { key: 'rows', header: 'Rows', numeric: true, render: (m) => num(m.rows) },
                { key: 'until', header: 'Events up to', render: (m) => when(m.maxEventMs) },
                {
                  key: 'sources',
                  header: 'Read',
                  render: (m) => commaList(m.sources, (s) => <DatasetRef at={s} />),
                },
                { key: 'store', header: 'Store', render: (m) => m.store },
                { key: 'trigger', header: 'Trigger', render: (m) => m.trigger },
              ]}
            />
          </Section>
        </>
      ) : null}
    </>
  );
}
