import { useState } from 'react';
import { gyre, useApi } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { Badge, ConfirmDialog, ErrorBox, KeyValues, Loading, Section } from '../components/ui.js';
import { num, when } from '../format.js';
import { LineageList } from '../components/lineage.js';
import { Link, path, setQuery, useLocation } from '../router.js';
import type { ApiModelVersion } from '../sdk.js';

// Tags a promotion or roll-back leaves on the version, beside the audit log's entry.
const REASON_TAG = 'gyre.ui.alias.reason';

type Change = { kind: 'promote' | 'rollback'; alias: string; version: number; from?: number };

/**
 * A registered model: its versions with metrics and lineage, its aliases, and promoting a
 * version to an alias (or rolling the alias back to the version it held before) with a
 * confirmation and a recorded reason.
 */
export function ModelPage({ params }: { params: Record<string, string> }) {
  const name = params.name;
  const { query } = useLocation();
  const model = useApi((c) => c.registry.getModel(name), [name]);
  const versions = useApi(
    (c) => c.registry.listVersions(name, { maxResults: 1000, orderBy: ['version_number DESC'] }),
    [name],
  );
  const [change, setChange] = useState<Change>();
  const [alias, setAlias] = useState('champion');
  const list = versions.data?.versions ?? [];
  const chosen = Number(query.get('version') ?? list[0]?.version ?? 0);
  const version = list.find((v) => v.version === chosen);
  const reload = () => {
    model.reload();
    versions.reload();
  };
  const aliases = model.data?.aliases ?? [];
  const previousOf = (a: string) => {
    const history = list
      .filter((v) => v.tags[`${REASON_TAG}.${a}.previous`] !== undefined)
      .find((v) => aliases.some((x) => x.alias === a && x.version === v.version));
    const prev = history?.tags[`${REASON_TAG}.${a}.previous`];
    return prev ? Number(prev) : undefined;
  };
  const apply = async (c: Change, reason: string) => {
    const client = gyre();
    const target = c.kind === 'promote' ? c.version : c.from!;
    const before = aliases.find((a) => a.alias === c.alias)?.version;
    await client.registry.setAlias(name, c.alias, target);
    await client.registry.setVersionTag(
      name,
      target,
      `${REASON_TAG}.${c.alias}`,
      `${c.kind}: ${reason}`,
    );
    if (c.kind === 'promote' && before !== undefined)
      await client.registry.setVersionTag(
        name,
        target,
        `${REASON_TAG}.${c.alias}.previous`,
        String(before),
      );
    reload();
  };

  if (model.error) return <ErrorBox error={model.error} />;
  if (!model.data) return <Loading what="model" />;
  return (
    <>
      <p className="muted">
        <Link to="/models">Models</Link> /
      </p>
      <h1>{name}</h1>
      {model.data.description ? <p>{model.data.description}</p> : null}
      <Section title="Aliases">
        {aliases.length === 0 ? <p className="muted">No aliases.</p> : null}
        <ul className="list">
          {aliases.map((a) => {
            const prev = previousOf(a.alias);
            return (
              <li key={a.alias}>
                <span className="tag">@{a.alias}</span> →{' '}
                <Link to={`${path('models', name)}?version=${a.version}`}>v{a.version}</Link>{' '}
                {prev !== undefined ? (
                  <button
                    type="button"
                    onClick={() =>
                      setChange({
                        kind: 'rollback',
                        alias: a.alias,
                        version: a.version,
                        from: prev,
                      })
                    }
                  >
                    Roll back @{a.alias} to v{prev}
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      </Section>
      <Section title="Versions">
        <ErrorBox error={versions.error} />
        <DataTable<ApiModelVersion>
          caption="Versions"
          rows={list}
          rowKey={(v) => String(v.version)}
          rowClass={(v) => (v.version === chosen ? 'selected' : undefined)}
          columns={[
            {
              key: 'version',
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
            {
              key: 'aliases',
              header: 'Aliases',
              render: (v) =>
                v.aliases.map((a) => (
                  <span key={a} className="tag">
                    @{a}
                  </span>
                )),
            },
            { key: 'stage', header: 'Stage', render: (v) => v.stage },
            {
              key: 'status',
              header: 'Status',
              render: (v) => <Badge status={v.status === 'READY' ? 'ready' : v.status} />,
            },
            ...metricColumns(list),
            { key: 'created', header: 'Created', render: (v) => when(v.createdAt) },
          ]}
        />
      </Section>
      {version ? (
        <Section
          title={`Version ${version.version}`}
          actions={
            <>
              <label className="inline" htmlFor="promote-alias">
                Alias
              </label>
              <input
                id="promote-alias"
                value={alias}
                onChange={(e) => setAlias(e.target.value)}
                size={12}
              />
              <button
                type="button"
                className="primary"
                disabled={!alias.trim()}
                onClick={() =>
                  setChange({ kind: 'promote', alias: alias.trim(), version: version.version })
                }
              >
                Promote v{version.version} to @{alias.trim() || '…'}
              </button>
            </>
          }
        >
          <VersionDetail version={version} />
        </Section>
      ) : null}
      {change ? (
        <ConfirmDialog
          title={
            change.kind === 'promote' ? `Promote v${change.version}` : `Roll back @${change.alias}`
          }
          description={
            change.kind === 'promote' ? (
              <p>
                Point <strong>@{change.alias}</strong> of {name} at version {change.version}
                {(() => {
                  const cur = aliases.find((a) => a.alias === change.alias);
                  return cur ? ` (it is on v${cur.version} now)` : '';
                })()}
                . Deployments that follow this alias switch to it.
              </p>
            ) : (
              <p>
                Point <strong>@{change.alias}</strong> back from v{change.version} to v{change.from}
                .
              </p>
            )
          }
          confirmLabel={change.kind === 'promote' ? 'Promote' : 'Roll back'}
          askReason
          onConfirm={(reason) => apply(change, reason)}
          onClose={() => setChange(undefined)}
        />
      ) : null}
    </>
  );
}

function metricColumns(list: ApiModelVersion[]) {
  const keys = [...new Set(list.flatMap((v) => v.lineage?.metrics.map((m) => m.key) ?? []))]
    .sort()
    .slice(0, 4);
  return keys.map((key) => ({
    key: `m-${key}`,
    header: key,
    numeric: true,
    render: (v: ApiModelVersion) => num(v.lineage?.metrics.find((m) => m.key === key)?.value),
  }));
}

function VersionDetail({ version }: { version: ApiModelVersion }) {
  const lineage = useApi(
    (c) => c.data.lineage('model_version', `${version.name}@${version.version}`, 'up'),
    [version.name, version.version],
  );
  const signature = version.metadata?.signature as
    { inputs?: { name: string; type: string }[] } | undefined;
  return (
    <>
      <KeyValues
        entries={[
          ['Source', <code key="s">{version.source}</code>],
          [
            'Run',
            version.runId ? (
              <Link key="r" to={path('runs', version.runId)}>
                {version.runId}
              </Link>
            ) : (
              '—'
            ),
          ],
          [
            'Model card',
            <Link key="card" to={path('models', version.name, 'versions', version.version, 'card')}>
              model card of v{version.version}
            </Link>,
          ],
          ['Flavors', Object.keys(version.metadata?.flavors ?? {}).join(', ') || '—'],
          ['Inputs', signature?.inputs?.map((i) => `${i.name}: ${i.type}`).join(', ') ?? '—'],
          ['Description', version.description ?? '—'],
          ...Object.entries(version.tags).map(([k, v]) => [k, v] as [string, string]),
        ]}
      />
      <h3>Metrics when registered</h3>
      <KeyValues entries={(version.lineage?.metrics ?? []).map((m) => [m.key, num(m.value)])} />
      <h3>Lineage</h3>
      <ul className="list">
        {(version.lineage?.datasets ?? []).map((d) => (
          <li key={d.digest}>
            dataset <Link to={path('datasets', d.name)}>{d.name}</Link>{' '}
            <span className="muted">
              {d.context ?? ''} · {d.digest.slice(0, 12)}
            </span>
          </li>
        ))}
      </ul>
      <ErrorBox error={lineage.error} />
      {lineage.data ? <LineageList graph={lineage.data} /> : null}
    </>
  );
}
