import { useApi } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { ErrorBox, Loading } from '../components/ui.js';
import type { Dataset } from '../data-types.js';
import { when } from '../format.js';
import { Link, path } from '../router.js';

/** Every dataset with its latest version. */
export function DatasetsPage() {
  const { data, error, loading } = useApi(
    async (c) => (await c.data.listDatasets()).datasets as unknown as Dataset[],
    [],
  );
  return (
    <>
      <h1>Datasets</h1>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <DataTable<Dataset>
          caption="Datasets"
          rows={data.slice().sort((a, b) => a.name.localeCompare(b.name))}
          rowKey={(d) => d.id}
          empty="No datasets yet: gyre data ingest NAME FILE"
          columns={[
            {
              key: 'name',
              header: 'Name',
              render: (d) => <Link to={path('datasets', d.name)}>{d.name}</Link>,
            },
            {
              key: 'latest',
              header: 'Latest version',
              numeric: true,
              render: (d) => d.latestVersion,
            },
            { key: 'updated', header: 'Updated', render: (d) => when(d.updatedAt) },
            { key: 'description', header: 'Description', render: (d) => d.description ?? '' },
          ]}
        />
      ) : null}
    </>
  );
}
