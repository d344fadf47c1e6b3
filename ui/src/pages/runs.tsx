import { useId, useMemo, useState } from 'react';
import { useApi } from '../api.js';
import { DataTable, type Column } from '../components/data-table.js';
import { Badge, ErrorBox, Loading } from '../components/ui.js';
import { duration, num, when } from '../format.js';
import { Link, navigate, path, setQuery, useLocation } from '../router.js';
import type { ApiRun } from '../sdk.js';

const PAGE_SIZES = ['50', '200', '1000'];

export function metricValue(run: ApiRun, key: string) {
  return run.metrics.find((m) => m.key === key)?.value;
}

/**
 * An experiment's runs: the MLflow filter grammar (the server's error shown under the box),
 * order, a column chooser, paging on the server and a selection to compare. Everything the
 * view shows is in its URL.
 */
export function RunsPage({ params }: { params: Record<string, string> }) {
  const experimentId = params.id;
  const { query } = useLocation();
  const filter = query.get('filter') ?? '';
  const order = query.get('order') ?? 'attributes.start_time DESC';
  const size = query.get('size') ?? '50';
  const token = query.get('page') ?? undefined;
  const [draft, setDraft] = useState(filter);
  const [tokens, setTokens] = useState<string[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const filterId = useId();
  const errorId = useId();

  const experiment = useApi((c) => c.tracking.getExperiment(experimentId), [experimentId]);
  const page = useApi(
    (c) =>
      c.tracking.searchRuns([experimentId], {
        filter: filter || undefined,
        orderBy: order ? [order] : undefined,
        maxResults: Number(size),
        pageToken: token,
      }),
    [experimentId, filter, order, size, token],
  );
  const runs = useMemo(() => page.data?.runs ?? [], [page.data]);
  const metricKeys = useMemo(
    () => [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.key)))].sort(),
    [runs],
  );
  const paramKeys = useMemo(
    () => [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort(),
    [runs],
  );
  const chosen = query.has('cols')
    ? query.get('cols')!.split(',').filter(Boolean)
    : [
        ...metricKeys.slice(0, 4).map((k) => `metrics.${k}`),
        ...paramKeys.slice(0, 3).map((k) => `params.${k}`),
      ];

  const toggleColumn = (col: string) => {
    const next = chosen.includes(col) ? chosen.filter((c) => c !== col) : [...chosen, col];
    setQuery({ cols: next.join(',') || ',' });
  };
  const toggleRun = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const columns: Column<ApiRun>[] = [
    {
      key: 'select',
      header: <span className="sr-only">Select</span>,
      width: '2.5rem',
      render: (r) => (
        <input
          type="checkbox"
          aria-label={`select run ${r.info.runName || r.info.runId}`}
          checked={selected.has(r.info.runId)}
          onChange={() => toggleRun(r.info.runId)}
        />
      ),
    },
    {
      key: 'name',
      header: 'Run',
      render: (r) => (
        <Link to={path('runs', r.info.runId)}>{r.info.runName || r.info.runId.slice(0, 8)}</Link>
      ),
    },
    { key: 'status', header: 'Status', render: (r) => <Badge status={r.info.status} /> },
    { key: 'start', header: 'Started', render: (r) => when(r.info.startTime) },
    {
      key: 'duration',
      header: 'Duration',
      numeric: true,
      render: (r) => (r.info.endTime ? duration(r.info.endTime - r.info.startTime) : '—'),
    },
    ...chosen.map((col): Column<ApiRun> => {
      const [kind, ...rest] = col.split('.');
      const key = rest.join('.');
      return {
        key: col,
        header: col,
        numeric: kind === 'metrics',
        render: (r) => (kind === 'metrics' ? num(metricValue(r, key)) : (r.params[key] ?? '—')),
      };
    }),
  ];

  const applyFilter = () => {
    setTokens([]);
    setQuery({ filter: draft.trim(), page: undefined }, false);
  };
  const next = () => {
    if (!page.data?.nextPageToken) return;
    setTokens((t) => [...t, token ?? '']);
    setQuery({ page: page.data.nextPageToken }, false);
  };
  const previous = () => {
    const prev = tokens.at(-1);
    setTokens((t) => t.slice(0, -1));
    setQuery({ page: prev || undefined }, false);
  };

  return (
    <>
      <p className="muted">
        <Link to="/experiments">Experiments</Link> /
      </p>
      <h1>{experiment.data?.name ?? `Experiment ${experimentId}`}</h1>
      <form
        className="filter-bar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          applyFilter();
        }}
      >
        <div className="grow">
          <label htmlFor={filterId}>Filter (MLflow search syntax)</label>
          <input
            id={filterId}
            value={draft}
            placeholder="metrics.rmse < 0.5 and params.max_depth = '6'"
            onChange={(e) => setDraft(e.target.value)}
            aria-invalid={page.error ? true : undefined}
            aria-describedby={page.error ? errorId : undefined}
          />
        </div>
        <div>
          <label htmlFor={`${filterId}-order`}>Order by</label>
          <input
            id={`${filterId}-order`}
            defaultValue={order}
            onBlur={(e) => setQuery({ order: e.target.value.trim() || undefined, page: undefined })}
          />
        </div>
        <div>
          <label htmlFor={`${filterId}-size`}>Per page</label>
          <select
            id={`${filterId}-size`}
            value={size}
            onChange={(e) => setQuery({ size: e.target.value, page: undefined })}
          >
            {PAGE_SIZES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      {page.error ? (
        <div id={errorId}>
          <ErrorBox error={page.error} />
        </div>
      ) : null}
      <details>
        <summary>Columns ({chosen.length})</summary>
        <fieldset className="chooser">
          <legend className="sr-only">Columns to show</legend>
          {[...metricKeys.map((k) => `metrics.${k}`), ...paramKeys.map((k) => `params.${k}`)].map(
            (col) => (
              <label key={col}>
                <input
                  type="checkbox"
                  checked={chosen.includes(col)}
                  onChange={() => toggleColumn(col)}
                />
                {col}
              </label>
            ),
          )}
        </fieldset>
      </details>
      <div className="filter-bar">
        <button
          type="button"
          className="primary"
          disabled={selected.size < 2}
          onClick={() => navigate(`/compare?runs=${[...selected].join(',')}`)}
        >
          Compare selected ({selected.size})
        </button>
        <span className="muted" role="status">
          {page.loading ? 'Loading…' : `${runs.length} runs on this page`}
        </span>
        <button type="button" onClick={previous} disabled={!token}>
          Previous page
        </button>
        <button type="button" onClick={next} disabled={!page.data?.nextPageToken}>
          Next page
        </button>
      </div>
      {page.loading && !page.data ? <Loading what="runs" /> : null}
      {page.data ? (
        <DataTable
          caption="Runs"
          rows={runs}
          columns={columns}
          rowKey={(r) => r.info.runId}
          rowClass={(r) => (selected.has(r.info.runId) ? 'selected' : undefined)}
          empty="No run matches."
        />
      ) : null}
    </>
  );
}
