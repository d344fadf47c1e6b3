import { useId } from 'react';
import { useApi } from '../api.js';
import { LineChart } from '../components/chart.js';
import { DataTable } from '../components/data-table.js';
import { LineageList } from '../components/lineage.js';
import { Badge, ErrorBox, KeyValues, Loading, Section } from '../components/ui.js';
import type {
  ColumnProfile,
  DatasetProfile,
  DatasetVersion,
  ValidationReport,
} from '../data-types.js';
import { bytes, num, pct, when } from '../format.js';
import { Link, setQuery, useLocation } from '../router.js';

/** A dataset: its versions, and for the chosen one its profile, validation reports, diff and lineage. */
export function DatasetPage({ params }: { params: Record<string, string> }) {
  const name = params.name;
  const { query } = useLocation();
  const versions = useApi(
    async (c) => (await c.data.listVersions(name)).versions as unknown as DatasetVersion[],
    [name],
  );
  const list = (versions.data ?? []).slice().sort((a, b) => b.version - a.version);
  const chosen = Number(query.get('version') ?? list[0]?.version ?? 0);
  const version = list.find((v) => v.version === chosen);
  return (
    <>
      <p className="muted">
        <Link to="/datasets">Datasets</Link> /
      </p>
      <h1>{name}</h1>
      <Section title="Versions">
        <ErrorBox error={versions.error} />
        {versions.loading && !versions.data ? <Loading /> : null}
        <DataTable<DatasetVersion>
          caption="Versions"
          rows={list}
          rowKey={(v) => v.id}
          rowClass={(v) => (v.version === chosen ? 'selected' : undefined)}
          columns={[
            {
              key: 'v',
              header: 'Version',
              render: (v) => (
                <button
                  type="button"
                  className="link"
                  onClick={() => setQuery({ version: String(v.version) }, false)}
                >
                  v{v.version}
                </button>
              ),
            },
            { key: 'rows', header: 'Rows', numeric: true, render: (v) => num(v.rowCount) },
            { key: 'size', header: 'Size', numeric: true, render: (v) => bytes(v.bytes) },
            { key: 'source', header: 'Source', render: (v) => v.source },
            { key: 'by', header: 'By', render: (v) => v.createdBy },
            { key: 'at', header: 'Created', render: (v) => when(v.createdAt) },
            {
              key: 'digest',
              header: 'Digest',
              render: (v) => <code>{v.digest.slice(0, 12)}</code>,
            },
          ]}
        />
      </Section>
      {version ? <VersionDetail version={version} versions={list} /> : null}
    </>
  );
}

function VersionDetail({
  version,
  versions,
}: {
  version: DatasetVersion;
  versions: DatasetVersion[];
}) {
  const ref = `${version.datasetName}@${version.version}`;
  const profile = useApi(
    async (c) => (await c.data.getProfile(ref)) as unknown as DatasetProfile,
    [ref],
  );
  const reports = useApi(
    async (c) => (await c.data.listReports(ref)).reports as unknown as ValidationReport[],
    [ref],
  );
  const lineage = useApi((c) => c.data.lineage('dataset', ref, 'down'), [ref]);
  return (
    <>
      <Section title={`Version ${version.version}`}>
        <KeyValues
          entries={[
            ['Rows', num(version.rowCount)],
            ['Format', version.format],
            [
              'Columns',
              version.schema.map((c) => `${c.name}: ${c.logicalType ?? c.type ?? '?'}`).join(', '),
            ],
            ['Digest', <code key="d">{version.digest}</code>],
            ...Object.entries(version.tags).map(([k, v]) => [k, v] as [string, string]),
          ]}
        />
      </Section>
      <Section title="Profile">
        <ErrorBox error={profile.error} />
        {profile.data ? (
          <ProfileView profile={profile.data} />
        ) : profile.loading ? (
          <Loading />
        ) : null}
      </Section>
      <Section title="Validation reports">
        <ErrorBox error={reports.error} />
        {reports.data && reports.data.length === 0 ? (
          <p className="muted">No validation reports for this version.</p>
        ) : null}
        {reports.data?.map((r) => (
          <details key={r.id} open={!r.passed}>
            <summary>
              {r.suiteName ?? 'suite'} <Badge status={r.passed ? 'succeeded' : 'failed'} />{' '}
              {r.errors} errors, {r.warnings} warnings{' '}
              <span className="muted">{when(r.createdAt)}</span>
            </summary>
            <ul className="list">
              {r.results.map((x, i) => (
                <li key={i}>
                  <Badge
                    status={x.passed ? 'succeeded' : x.severity === 'error' ? 'failed' : 'pending'}
                  />{' '}
                  {x.expectation}
                  {x.column ? ` (${x.column})` : ''}: {x.message}
                </li>
              ))}
            </ul>
          </details>
        ))}
      </Section>
      <DiffView name={version.datasetName} to={version.version} versions={versions} />
      <Section title="Lineage (downstream)">
        <ErrorBox error={lineage.error} />
        {lineage.data ? <LineageList graph={lineage.data} /> : null}
      </Section>
    </>
  );
}

function ProfileView({ profile }: { profile: DatasetProfile }) {
  const withNulls = profile.columns.filter((c) => c.nulls > 0);
  return (
    <>
      <h3>Nulls</h3>
      {withNulls.length === 0 ? (
        <p className="muted">No column has nulls.</p>
      ) : (
        <ul className="bars">
          {withNulls.map((c) => (
            <li key={c.name}>
              <span className="bar-label">{c.name}</span>
              <span className="bar" style={{ width: `${Math.max(1, c.nullFraction * 100)}%` }} />
              <span className="bar-value">{pct(c.nullFraction)}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="charts">
        {profile.columns.map((c) => (
          <ColumnView key={c.name} column={c} />
        ))}
      </div>
    </>
  );
}

export function ColumnView({ column }: { column: ColumnProfile }) {
  const summary = `${column.logicalType} · ${num(column.distinct ?? column.approxDistinct)} distinct · ${pct(column.nullFraction)} null${
    column.mean !== undefined ? ` · mean ${num(column.mean)}` : ''
  }`;
  if (column.histogram) {
    const { edges, counts } = column.histogram;
    return (
      <div>
        <LineChart
          title={`${column.name} (histogram)`}
          bars
          xLabel={column.name}
          height={180}
          series={[
            {
              label: 'rows',
              x: edges.slice(0, -1).map((e, i) => (e + edges[i + 1]) / 2),
              y: counts,
            },
          ]}
        />
        <p className="muted small">{summary}</p>
      </div>
    );
  }
  if (column.topK && column.topK.length > 0) {
    const top = column.topK.slice(0, 10);
    const max = top[0].count || 1;
    return (
      <figure className="chart">
        <figcaption>{column.name} (top categories)</figcaption>
        <ul className="bars">
          {top.map((t) => (
            <li key={t.value}>
              <span className="bar-label">{t.value}</span>
              <span className="bar" style={{ width: `${(t.count / max) * 100}%` }} />
              <span className="bar-value">{pct(t.frequency)}</span>
            </li>
          ))}
        </ul>
        <p className="muted small">{summary}</p>
      </figure>
    );
  }
  return (
    <p>
      <strong>{column.name}</strong> <span className="muted">{summary}</span>
    </p>
  );
}

interface Diff {
  schema: { added: unknown[]; removed: unknown[]; retyped: unknown[] };
  from: { rowCount: number };
  to: { rowCount: number };
  columns: {
    name: string;
    nullFraction?: { from: number; to: number };
    mean?: { from: number; to: number };
    psi?: number;
  }[];
}

function DiffView({
  name,
  to,
  versions,
}: {
  name: string;
  to: number;
  versions: DatasetVersion[];
}) {
  const { query } = useLocation();
  const id = useId();
  const from = Number(query.get('from') ?? (to > 1 ? to - 1 : to));
  const diff = useApi(
    async (c) => (await c.data.diff(name, from, to)) as unknown as Diff,
    [name, from, to],
  );
  return (
    <Section
      title={`Diff v${from} → v${to}`}
      actions={
        <>
          <label className="inline" htmlFor={id}>
            Compare with
          </label>
          <select id={id} value={from} onChange={(e) => setQuery({ from: e.target.value })}>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version}
              </option>
            ))}
          </select>
        </>
      }
    >
      <ErrorBox error={diff.error} />
      {diff.data ? (
        <>
          <p>
            Rows {num(diff.data.from.rowCount)} → {num(diff.data.to.rowCount)}; schema:{' '}
            {diff.data.schema.added.length} added, {diff.data.schema.removed.length} removed,{' '}
            {diff.data.schema.retyped.length} retyped.
          </p>
          <DataTable
            caption="Column changes"
            rows={diff.data.columns}
            rowKey={(c) => c.name}
            rowClass={(c) => ((c.psi ?? 0) > 0.1 ? 'diff-changed' : undefined)}
            columns={[
              { key: 'name', header: 'Column', render: (c) => c.name },
              {
                key: 'nulls',
                header: 'Null fraction',
                render: (c) =>
                  c.nullFraction ? `${pct(c.nullFraction.from)} → ${pct(c.nullFraction.to)}` : '—',
              },
              {
                key: 'mean',
                header: 'Mean',
                render: (c) => (c.mean ? `${num(c.mean.from)} → ${num(c.mean.to)}` : '—'),
              },
              { key: 'psi', header: 'PSI', numeric: true, render: (c) => num(c.psi, 3) },
            ]}
          />
        </>
      ) : null}
    </Section>
  );
}
