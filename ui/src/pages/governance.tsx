import { useEffect, useId, useState } from 'react';
import { gyre, useApi } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { LineageList } from '../components/lineage.js';
import { Badge, Empty, ErrorBox, KeyValues, Loading, Section } from '../components/ui.js';
import { bytes, num, pct, when } from '../format.js';
import { Link, path, setQuery, useLocation } from '../router.js';
import type { ApiCardFields, ApiModelCard, GovernanceClient } from '../sdk.js';

type CostReport = Awaited<ReturnType<GovernanceClient['costReport']>>;
type RetentionPlan = Awaited<ReturnType<GovernanceClient['planRetention']>>;
type RetentionPolicy = Parameters<GovernanceClient['planRetention']>[0];

interface AuditEntry {
  id: number;
  at: number;
  principal: string;
  action: string;
  target: string;
  outcome: string;
  summary: Record<string, unknown>;
}

/** The signed-in principal's role (`viewer`, `editor`, `admin`), once known. */
function useRole(): string | undefined {
  const [role, setRole] = useState<string>();
  useEffect(() => {
    gyre()
      .http.request<{ role: string }>('GET', '/api/v1/whoami')
      .then(
        (me) => setRole(me.role),
        () => setRole('viewer'),
      );
  }, []);
  return role;
}

const usd = (v: number) => `$${v < 1 ? v.toFixed(4) : v.toFixed(2)}`;
const cardUrl = (name: string, version: number | string) =>
  path('models', name, 'versions', version, 'card');

const GROUPS = ['team', 'model', 'experiment', 'pipeline'] as const;

/** Model cards, cost reports, retention dry runs and (for admins) the audit log. */
export function GovernancePage() {
  const role = useRole();
  return (
    <>
      <h1>Governance</h1>
      <CardsSection />
      <CostsSection />
      <BudgetsSection />
      <RetentionSection />
      {role === 'admin' ? <AuditSection /> : null}
      {role && role !== 'admin' ? (
        <Section title="Audit log">
          <Empty>The audit log is for admins.</Empty>
        </Section>
      ) : null}
    </>
  );
}

function CardsSection() {
  const { data, error, loading } = useApi(
    (c) => c.registry.searchModels({ maxResults: 1000, orderBy: ['name ASC'] }),
    [],
  );
  return (
    <Section title="Model cards">
      <ErrorBox error={error} />
      {loading && !data ? <Loading what="models" /> : null}
      {data ? (
        data.models.length === 0 ? (
          <Empty>No registered models yet.</Empty>
        ) : (
          <ul className="list">
            {data.models.map((m) => {
              const versions = m.latestVersions.map((v) => v.version);
              const latest = Math.max(0, ...versions);
              return (
                <li key={m.name}>
                  <strong>{m.name}</strong>{' '}
                  {latest ? (
                    <Link to={cardUrl(m.name, latest)}>
                      model card of {m.name} v{latest}
                    </Link>
                  ) : (
                    <span className="muted">no version</span>
                  )}
                  {m.aliases.map((a) => (
                    <span key={a.alias}>
                      {' '}
                      <Link to={cardUrl(m.name, a.version)} className="tag">
                        @{a.alias} (v{a.version})
                      </Link>
                    </span>
                  ))}
                </li>
              );
            })}
          </ul>
        )
      ) : null}
    </Section>
  );
}

function CostsSection() {
  const { query } = useLocation();
  const by = (GROUPS as readonly string[]).includes(query.get('by') ?? '')
    ? (query.get('by') as CostReport['by'])
    : 'team';
  const since = query.get('since') ?? '30d';
  const [draft, setDraft] = useState(since);
  const report = useApi((c) => c.governance.costReport({ by, since }), [by, since]);
  const id = useId();
  const data = report.data;
  return (
    <Section title="Costs">
      <form
        className="filter-bar"
        aria-label="Cost report"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ since: draft.trim() || undefined });
        }}
      >
        <div>
          <label htmlFor={`${id}-by`}>Group by</label>
          <select id={`${id}-by`} value={by} onChange={(e) => setQuery({ by: e.target.value })}>
            {GROUPS.map((g) => (
              <option key={g}>{g}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-since`}>Since (30d, 12h or a date)</label>
          <input id={`${id}-since`} value={draft} onChange={(e) => setDraft(e.target.value)} />
        </div>
        <button type="submit">Show costs</button>
      </form>
      <ErrorBox error={report.error} />
      {report.loading && !data ? <Loading what="costs" /> : null}
      {data ? (
        <>
          <p className="muted small">
            {when(data.since)} to {when(data.until)} · CPU {usd(data.rates.cpuHourUsd)}/h, memory{' '}
            {usd(data.rates.memoryGibHourUsd)}/GiB·h, serving CPU{' '}
            {usd(data.rates.servingCpuHourUsd)}/h
          </p>
          <DataTable
            caption={`Costs by ${data.by}`}
            rows={data.groups}
            rowKey={(g) => g.key}
            empty="Nothing ran in this period."
            columns={[
              { key: 'key', header: data.by, render: (g) => g.key },
              { key: 'runs', header: 'Pipeline runs', numeric: true, render: (g) => num(g.runs) },
              { key: 'steps', header: 'Steps', numeric: true, render: (g) => num(g.steps) },
              {
                key: 'cpu',
                header: 'CPU seconds',
                numeric: true,
                render: (g) => num(g.cpuSeconds),
              },
              { key: 'gib', header: 'GiB·hours', numeric: true, render: (g) => num(g.gibHours) },
              {
                key: 'predictions',
                header: 'Predictions',
                numeric: true,
                render: (g) => num(g.predictions),
              },
              {
                key: 'pipeline',
                header: 'Pipelines',
                numeric: true,
                render: (g) => usd(g.pipelineUsd),
              },
              {
                key: 'serving',
                header: 'Serving',
                numeric: true,
                render: (g) => usd(g.servingUsd),
              },
              { key: 'total', header: 'Total', numeric: true, render: (g) => usd(g.totalUsd) },
            ]}
          />
          <p>
            Total: <strong>{usd(data.totals.totalUsd)}</strong> ({num(data.totals.runs)} pipeline
            runs, {num(data.totals.predictions)} predictions)
          </p>
          {data.notes.length > 0 ? (
            <ul className="muted small">
              {data.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </Section>
  );
}

/** Budgets with their spend over the rolling period and each threshold's alert state. */
function BudgetsSection() {
  const { data, error, loading } = useApi((c) => c.governance.listBudgets(), []);
  return (
    <Section title="Budgets">
      <ErrorBox error={error} />
      {loading && !data ? <Loading what="budgets" /> : null}
      {data ? (
        <DataTable
          caption="Budgets"
          rows={data}
          rowKey={(b) => b.name}
          empty="No budgets: `gyre costs budget set` creates one."
          columns={[
            { key: 'name', header: 'Budget', render: (b) => b.name },
            { key: 'scope', header: 'Applies to', render: (b) => `${b.scope} ${b.target}` },
            {
              key: 'amount',
              header: 'Amount',
              numeric: true,
              render: (b) => `${usd(b.amountUsd)} / ${b.periodDays}d`,
            },
            { key: 'spent', header: 'Spent', numeric: true, render: (b) => usd(b.spentUsd) },
            { key: 'share', header: 'Share', numeric: true, render: (b) => pct(b.fraction) },
            {
              key: 'thresholds',
              header: 'Thresholds',
              render: (b) =>
                b.rules.map((r) => (
                  <span key={r.rule}>
                    {pct(r.threshold)} <Badge status={r.state} />{' '}
                  </span>
                )),
            },
          ]}
        />
      ) : null}
    </Section>
  );
}

const DAY_FIELDS: [keyof NonNullable<RetentionPolicy>, string][] = [
  ['predictionLogDays', 'Prediction logs older than (days)'],
  ['stepLogDays', 'Step logs older than (days)'],
  ['runArtifactDays', 'Run artifacts older than (days)'],
  ['datasetVersionDays', 'Dataset versions older than (days)'],
  ['datasetKeepLatest', 'Keep the latest N dataset versions'],
];

/** A retention dry run: what the policy would delete, never an apply (that is `gyre retention apply`). */
function RetentionSection() {
  const id = useId();
  const [overrides, setOverrides] = useState<Record<string, string>>({});
  const [plan, setPlan] = useState<RetentionPlan>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(undefined);
    const policy: Record<string, number> = {};
    for (const [k, v] of Object.entries(overrides)) if (v.trim() !== '') policy[k] = Number(v);
    try {
      setPlan(await gyre().governance.planRetention(policy));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title="Retention (dry run)">
      <p className="muted">
        Plans what the retention policy would delete; nothing is deleted from here. Empty fields use
        the configured policy. Deleting is <code>gyre retention apply</code> (admin).
      </p>
      <form
        aria-label="Retention dry run"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div className="form-grid">
          {DAY_FIELDS.map(([k, label]) => (
            <div key={k}>
              <label htmlFor={`${id}-${k}`}>{label}</label>
              <input
                id={`${id}-${k}`}
                type="number"
                min={0}
                value={overrides[k] ?? ''}
                placeholder={plan ? String(plan.policy[k as keyof typeof plan.policy]) : ''}
                onChange={(e) => setOverrides((o) => ({ ...o, [k]: e.target.value }))}
              />
            </div>
          ))}
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Planning…' : 'Plan retention'}
        </button>
      </form>
      <ErrorBox error={error} />
      {plan ? <RetentionPlanView plan={plan} /> : null}
    </Section>
  );
}

function RetentionPlanView({ plan }: { plan: RetentionPlan }) {
  const totals = Object.entries(plan.totals);
  const count = totals.reduce((s, [, t]) => s + t.count, 0);
  const size = totals.reduce((s, [, t]) => s + t.bytes, 0);
  return (
    <div role="status">
      <p>
        Would delete <strong>{num(count)} items</strong>, freeing <strong>{bytes(size)}</strong>.
        Protected (live deployments' lineage): {num(plan.protected.models.length)} model versions,{' '}
        {num(plan.protected.runs.length)} runs, {num(plan.protected.datasetVersions.length)} dataset
        versions; {num(plan.keptProtected.length)} expired items kept for that.
      </p>
      <DataTable
        caption="Retention totals by kind"
        rows={totals}
        rowKey={([k]) => k}
        columns={[
          { key: 'kind', header: 'Kind', render: ([k]) => k },
          { key: 'count', header: 'Items', numeric: true, render: ([, t]) => num(t.count) },
          { key: 'bytes', header: 'Bytes', numeric: true, render: ([, t]) => bytes(t.bytes) },
        ]}
      />
      <DataTable
        caption="Items the retention plan would delete"
        rows={plan.items}
        rowKey={(i) => `${i.kind}:${i.target}`}
        empty="Nothing is old enough to delete."
        height={320}
        columns={[
          { key: 'kind', header: 'Kind', render: (i) => i.kind },
          { key: 'target', header: 'Item', render: (i) => <code>{i.target}</code> },
          { key: 'at', header: 'From', render: (i) => when(i.at) },
          { key: 'bytes', header: 'Bytes', numeric: true, render: (i) => bytes(i.bytes) },
        ]}
      />
    </div>
  );
}

function AuditSection() {
  const [principal, setPrincipal] = useState('');
  const [applied, setApplied] = useState('');
  const id = useId();
  const { data, error, loading } = useApi(
    (c) =>
      c.http.request<{ entries: AuditEntry[] }>('GET', '/api/v1/audit', {
        query: { limit: 100, ...(applied ? { principal: applied } : {}) },
      }),
    [applied],
  );
  const entries = data ? data.entries.slice().reverse() : undefined;
  return (
    <Section title="Audit log">
      <form
        className="filter-bar"
        aria-label="Audit log"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(principal.trim());
        }}
      >
        <div>
          <label htmlFor={`${id}-p`}>Principal</label>
          <input
            id={`${id}-p`}
            value={principal}
            placeholder="token:ci"
            onChange={(e) => setPrincipal(e.target.value)}
          />
        </div>
        <button type="submit">Filter</button>
      </form>
      <ErrorBox error={error} />
      {loading && !data ? <Loading what="audit log" /> : null}
      {entries ? (
        <DataTable
          caption="Audit entries, newest first"
          rows={entries}
          rowKey={(e) => String(e.id)}
          height={400}
          empty="No audit entries."
          columns={[
            { key: 'at', header: 'When', render: (e) => when(e.at) },
            { key: 'principal', header: 'Who', render: (e) => e.principal },
            { key: 'action', header: 'Action', render: (e) => <code>{e.action}</code> },
            { key: 'target', header: 'Target', render: (e) => e.target },
            { key: 'outcome', header: 'Outcome', render: (e) => e.outcome },
          ]}
        />
      ) : null}
    </Section>
  );
}

/** A model version's card, rendered from its JSON; editors can set its free-text fields. */
export function ModelCardPage({ params }: { params: Record<string, string> }) {
  const { name, version } = params;
  const role = useRole();
  const card = useApi((c) => c.governance.getCard(name, version), [name, version]);
  const c = card.data;
  return (
    <>
      <p className="muted">
        <Link to="/governance">Governance</Link> /{' '}
        <Link to={`${path('models', name)}?version=${version}`}>
          {name} v{version}
        </Link>
      </p>
      <h1>
        Model card: {name} v{version}
      </h1>
      <ErrorBox error={card.error} />
      {card.loading && !c ? <Loading what="model card" /> : null}
      {c ? (
        <>
          {c.description ? <p>{c.description}</p> : null}
          <div className="grid">
            <Section title="Model">
              <KeyValues
                entries={[
                  ['Stage', c.stage],
                  ['Aliases', c.aliases.length ? c.aliases.map((a) => `@${a}`).join(', ') : '—'],
                  ['Registered', when(c.createdAt)],
                  ['Source', <code key="s">{c.source}</code>],
                  ['Card generated', when(c.generatedAt)],
                ]}
              />
            </Section>
            <CardFieldsSection
              card={c}
              canEdit={role !== undefined && role !== 'viewer'}
              onSaved={card.reload}
            />
          </div>
          <Section title="Training">
            <KeyValues
              entries={[
                [
                  'Run',
                  c.training.runId ? (
                    <Link to={path('runs', c.training.runId)}>{c.training.runId}</Link>
                  ) : (
                    '—'
                  ),
                ],
                [
                  'Pipeline run',
                  c.training.pipelineRun ? (
                    <>
                      <Link to={path('pipeline-runs', c.training.pipelineRun.id)}>
                        {c.training.pipelineRun.pipeline} v{c.training.pipelineRun.version}
                      </Link>{' '}
                      <Badge status={c.training.pipelineRun.status} />{' '}
                      <span className="muted">({c.training.pipelineRun.trigger})</span>
                    </>
                  ) : (
                    '—'
                  ),
                ],
                ...Object.entries(c.training.params).map(
                  ([k, v]) => [`param ${k}`, v] as [string, string],
                ),
              ]}
            />
            <h3>Datasets</h3>
            <DataTable
              caption="Training datasets"
              rows={c.training.datasets}
              rowKey={(d) => d.ref}
              empty="No dataset recorded."
              columns={[
                {
                  key: 'ref',
                  header: 'Dataset',
                  render: (d) => {
                    const at = d.ref.lastIndexOf('@');
                    return at > 0 ? (
                      <Link
                        to={`${path('datasets', d.ref.slice(0, at))}?version=${d.ref.slice(at + 1)}`}
                      >
                        {d.ref}
                      </Link>
                    ) : (
                      d.ref
                    );
                  },
                },
                { key: 'context', header: 'Use', render: (d) => d.context ?? '' },
                { key: 'rows', header: 'Rows', numeric: true, render: (d) => num(d.rowCount) },
                { key: 'direct', header: 'Direct', render: (d) => (d.direct ? 'yes' : 'upstream') },
                {
                  key: 'validation',
                  header: 'Validation',
                  render: (d) =>
                    d.validation.length === 0
                      ? '—'
                      : d.validation.map((v) => (
                          <span key={v.id}>
                            <Badge status={v.passed ? 'passed' : 'failed'} /> {v.suite ?? ''} (
                            {v.errors} errors, {v.warnings} warnings){' '}
                          </span>
                        )),
                },
              ]}
            />
          </Section>
          <Section title="Metrics">
            <KeyValues entries={Object.entries(c.metrics).map(([k, v]) => [k, num(v)])} />
          </Section>
          <Section title="Validation and gates">
            {c.modelValidation.length === 0 && c.gates.length === 0 ? (
              <Empty>No validation step or gate ran for this version.</Empty>
            ) : null}
            {c.modelValidation.map((v) => (
              <div key={v.step}>
                <p>
                  Validation step <code>{v.step}</code>{' '}
                  <Badge status={v.passed ? 'passed' : 'failed'} />
                  {v.failures.length > 0 ? ` ${v.failures.join('; ')}` : ''}
                </p>
                {v.slices.length > 0 ? (
                  <DataTable
                    caption={`Slices checked by ${v.step}`}
                    rows={v.slices}
                    rowKey={(s) => `${s.column}=${s.value}`}
                    columns={[
                      { key: 'slice', header: 'Slice', render: (s) => `${s.column} = ${s.value}` },
                      { key: 'rows', header: 'Rows', numeric: true, render: (s) => num(s.rows) },
                      {
                        key: 'metric',
                        header: 'Metric',
                        numeric: true,
                        render: (s) => num(s.metric),
                      },
                      { key: 'flag', header: 'Flagged', render: (s) => (s.flagged ? 'yes' : '') },
                    ]}
                  />
                ) : null}
              </div>
            ))}
            {c.gates.map((g) => (
              <p key={g.step}>
                Gate <code>{g.step}</code> <Badge status={g.passed ? 'passed' : 'failed'} />{' '}
                {g.candidateScore !== undefined ? `candidate ${num(g.candidateScore)}` : ''}
                {g.championScore !== undefined
                  ? ` vs champion ${g.championVersion ?? ''} ${num(g.championScore)}`
                  : ''}
                {g.approvedBy ? ` · approved by ${g.approvedBy}` : ''}
                {g.error ? ` · ${g.error}` : ''}
              </p>
            ))}
          </Section>
          <Section title="Deployments and monitoring">
            {c.deployments.length === 0 ? <Empty>Not deployed.</Empty> : null}
            <ul className="list">
              {c.deployments.map((d) => (
                <li key={d.name}>
                  <Link to={path('deployments', d.name)}>{d.name}</Link>{' '}
                  {d.live ? <Badge status="live" /> : <span className="muted">(not live)</span>}{' '}
                  {d.revisions
                    .map((r) => `rev ${r.revision}: ${r.action} ${r.role} ${r.weight}%`)
                    .join(' · ')}
                </li>
              ))}
              {c.monitoring.map((m) => (
                <li key={m.monitor}>
                  Monitor <code>{m.monitor}</code> on {m.deployment}: drift share{' '}
                  {pct(m.driftShare)}, {m.openAlerts.length} open alerts
                </li>
              ))}
            </ul>
          </Section>
          <Section title="Lineage">
            <LineageList graph={c.lineage as unknown as Record<string, unknown>} />
          </Section>
        </>
      ) : null}
    </>
  );
}

const FIELDS: [keyof ApiCardFields, string][] = [
  ['intendedUse', 'Intended use'],
  ['owner', 'Owner'],
  ['limitations', 'Limitations'],
];

function CardFieldsSection(props: { card: ApiModelCard; canEdit: boolean; onSaved(): void }) {
  const { card } = props;
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<ApiCardFields>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const id = useId();
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await gyre().governance.updateCard(card.name, card.version, draft);
      setEditing(false);
      props.onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const edit = props.canEdit ? (
    <button
      type="button"
      onClick={() => {
        setDraft(Object.fromEntries(FIELDS.map(([k]) => [k, card.fields[k] ?? ''])));
        setEditing(true);
      }}
    >
      Edit card
    </button>
  ) : undefined;
  return (
    <Section title="Purpose and ownership" actions={editing ? undefined : edit}>
      {editing ? (
        <form
          aria-label="Edit model card"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {FIELDS.map(([k, label]) => (
            <p key={k}>
              <label htmlFor={`${id}-${k}`}>{label}</label>
              <textarea
                id={`${id}-${k}`}
                rows={k === 'owner' ? 1 : 3}
                value={draft[k] ?? ''}
                onChange={(e) => setDraft((d) => ({ ...d, [k]: e.target.value }))}
              />
            </p>
          ))}
          <ErrorBox error={error} />
          <div className="actions">
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save card'}
            </button>
          </div>
        </form>
      ) : (
        <>
          <KeyValues
            entries={FIELDS.map(([k, label]) => [
              label,
              card.fields[k] ? (
                <span style={{ whiteSpace: 'pre-wrap' }}>{card.fields[k]}</span>
              ) : (
                <span className="muted">not set</span>
              ),
            ])}
          />
          {card.fields.updatedBy ? (
            <p className="muted small">
              Last edited by {card.fields.updatedBy} at {when(card.fields.updatedAt)}
            </p>
          ) : null}
        </>
      )}
    </Section>
  );
}
