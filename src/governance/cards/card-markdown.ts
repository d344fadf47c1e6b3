import type { ModelCard } from './model-card.js';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const cell = (v: unknown) =>
  v === undefined || v === null ? '' : String(v).replaceAll('|', '\\|').replaceAll('\n', ' ');
const fmt = (v: number | undefined) =>
  v === undefined ? '' : Number.isInteger(v) ? String(v) : v.toPrecision(4);

function table(head: string[], rows: unknown[][]): string[] {
  if (rows.length === 0) return ['_none_', ''];
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    '',
  ];
}

/** The card as a Markdown document, in the order a reviewer reads it. */
export function cardMarkdown(card: ModelCard): string {
  const f = card.fields;
  const out: string[] = [
    `# Model card: ${card.name} version ${card.version}`,
    '',
    card.description ?? '',
    '',
    `- **Stage:** ${card.stage}${card.aliases.length ? ` (aliases: ${card.aliases.join(', ')})` : ''}`,
    `- **Registered:** ${iso(card.createdAt)}`,
    `- **Source:** ${card.source}`,
    `- **Owner:** ${f.owner ?? '_not set_'}`,
    '',
    '## Intended use',
    '',
    f.intendedUse ??
      '_Not written yet: `gyre models card <name>/<version> --set intended_use=...`_',
    '',
    '## Known limitations',
    '',
    f.limitations ?? '_None recorded._',
    '',
  ];
  if (f.updatedBy)
    out.push(`_Fields last edited by ${f.updatedBy} at ${iso(f.updatedAt ?? 0)}._`, '');

  const t = card.training;
  out.push('## Training', '');
  if (t.pipelineRun)
    out.push(
      `Pipeline \`${t.pipelineRun.pipeline}\` v${t.pipelineRun.version}, run \`${t.pipelineRun.id}\` (${t.pipelineRun.status}, started by ${t.pipelineRun.trigger}).`,
      '',
    );
  if (t.runId) out.push(`Training run: \`${t.runId}\`.`, '');
  out.push('### Parameters', '', ...table(['param', 'value'], Object.entries(t.params)));
  out.push('### Data', '');
  out.push(
    ...table(
      ['dataset version', 'used as', 'rows', 'digest', 'validation'],
      t.datasets.map((d) => [
        d.ref,
        d.direct ? (d.context ?? 'input') : 'upstream',
        d.rowCount,
        d.digest.slice(0, 12),
        d.validation.length === 0
          ? 'no report'
          : d.validation
              .map((r) => `${r.suite ?? 'report'}: ${r.passed ? 'passed' : 'FAILED'}`)
              .join('; '),
      ]),
    ),
  );
  for (const d of t.datasets.filter((x) => x.direct && x.columns.length > 0)) {
    out.push(`#### Profile of ${d.ref}`, '');
    out.push(
      ...table(
        ['column', 'type', 'nulls', 'distinct', 'mean', 'min', 'max', 'pii'],
        d.columns.map((c) => [
          c.name,
          c.logicalType,
          fmt(c.nullFraction),
          c.distinct,
          fmt(c.mean),
          fmt(c.min),
          fmt(c.max),
          c.pii ?? '',
        ]),
      ),
    );
  }

  out.push(
    '## Evaluation',
    '',
    ...table(
      ['metric', 'value'],
      Object.entries(card.metrics).map(([k, v]) => [k, fmt(v)]),
    ),
  );
  for (const v of card.modelValidation) {
    out.push(`### Validation suite \`${v.step}\`: ${v.passed ? 'passed' : 'FAILED'}`, '');
    for (const failure of v.failures) out.push(`- ${failure}`);
    if (v.failures.length) out.push('');
    out.push(
      ...table(
        ['slice', 'rows', 'metric', 'flagged'],
        v.slices.map((s) => [
          `${s.column} = ${s.value}`,
          s.rows,
          fmt(s.metric),
          s.flagged ? 'yes' : '',
        ]),
      ),
    );
  }

  out.push(
    '## Gates and approvals',
    '',
    ...table(
      ['step', 'outcome', 'candidate', 'champion', 'approved by'],
      card.gates.map((g) => [
        g.step,
        g.passed ? 'passed' : `${g.status}${g.error ? `: ${g.error}` : ''}`,
        fmt(g.candidateScore),
        g.championVersion ? `v${g.championVersion}: ${fmt(g.championScore)}` : '',
        g.approvedBy ? `${g.approvedBy} (${iso(g.approvedAt ?? 0)})` : '',
      ]),
    ),
  );

  out.push('## Deployments', '');
  if (card.deployments.length === 0) out.push('_Never deployed._', '');
  for (const d of card.deployments) {
    out.push(`### ${d.name}${d.live ? ' (serving now)' : ''}`, '');
    out.push(
      ...table(
        ['revision', 'action', 'role', 'weight', 'by', 'at', 'reason'],
        d.revisions.map((r) => [
          r.revision,
          r.action,
          r.role,
          r.weight,
          r.createdBy,
          iso(r.createdAt),
          r.reason,
        ]),
      ),
    );
  }

  out.push(
    '## Monitoring',
    '',
    ...table(
      ['monitor', 'deployment', 'last window', 'drift share', 'open alerts'],
      card.monitoring.map((m) => [
        m.monitor,
        m.deployment,
        m.lastWindowEnd ? iso(m.lastWindowEnd) : 'no window yet',
        fmt(m.driftShare),
        m.openAlerts.map((a) => `${a.rule} (${a.state})`).join(', ') || 'none',
      ]),
    ),
  );

  out.push('## Lineage', '', '```');
  for (const e of card.lineage.edges) out.push(`${e.from} → ${e.to}`);
  out.push('```', '', `_Generated by Gyre at ${iso(card.generatedAt)}._`, '');
  return out.join('\n');
}
