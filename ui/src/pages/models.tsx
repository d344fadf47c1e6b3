import { useApi } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { ErrorBox, Loading } from '../components/ui.js';
import { when } from '../format.js';
import { Link, path } from '../router.js';
import type { ApiRegisteredModel } from '../sdk.js';

/** Registered models with their aliases and newest versions. */
export function ModelsPage() {
  const { data, error, loading } = useApi(
    (c) => c.registry.searchModels({ maxResults: 1000, orderBy: ['name ASC'] }),
    [],
  );
  return (
    <>
      <h1>Models</h1>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <DataTable<ApiRegisteredModel>
          caption="Registered models"
          rows={data.models}
          rowKey={(m) => m.name}
          empty="No registered models yet."
          columns={[
            {
              key: 'name',
              header: 'Name',
              render: (m) => <Link to={path('models', m.name)}>{m.name}</Link>,
            },
            {
              key: 'latest',
              header: 'Latest version',
              render: (m) => {
                const v = Math.max(0, ...m.latestVersions.map((x) => x.version));
                return v ? <Link to={`${path('models', m.name)}?version=${v}`}>v{v}</Link> : '—';
              },
            },
            {
              key: 'aliases',
              header: 'Aliases',
              render: (m) =>
                m.aliases.map((a) => (
                  <span key={a.alias} className="tag">
                    @{a.alias} → v{a.version}
                  </span>
                )),
            },
            { key: 'updated', header: 'Updated', render: (m) => when(m.updatedAt) },
            { key: 'description', header: 'Description', render: (m) => m.description ?? '' },
          ]}
        />
      ) : null}
    </>
  );
}
