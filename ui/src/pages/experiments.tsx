import { useApi } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { ErrorBox, Loading } from '../components/ui.js';
import { when } from '../format.js';
import { Link, path } from '../router.js';
import type { ApiExperiment } from '../sdk.js';

/** Every experiment; each opens its runs table. */
export function ExperimentsPage() {
  const { data, error, loading } = useApi(
    (c) => c.tracking.searchExperiments({ maxResults: 1000, orderBy: ['last_update_time DESC'] }),
    [],
  );
  return (
    <>
      <h1>Experiments</h1>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <DataTable<ApiExperiment>
          caption="Experiments"
          rows={data.experiments}
          rowKey={(e) => e.experimentId}
          columns={[
            {
              key: 'name',
              header: 'Name',
              render: (e) => <Link to={path('experiments', e.experimentId)}>{e.name}</Link>,
            },
            { key: 'id', header: 'ID', render: (e) => e.experimentId },
            { key: 'updated', header: 'Last update', render: (e) => when(e.lastUpdateTime) },
            { key: 'created', header: 'Created', render: (e) => when(e.creationTime) },
          ]}
        />
      ) : null}
    </>
  );
}
