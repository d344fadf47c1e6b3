// The shipped Grafana dashboards and provisioning files: well-formed dashboard JSON, and
// every panel query selecting only metrics a live Gyre exports (or rules.yaml records).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './fixtures/data-files.js';
import { startGyre, type ServingGyre } from './fixtures/gyre-process.js';
import { exposedMetricNames, promqlMetricNames } from './fixtures/promql-names.js';

const GRAFANA = join(REPO_ROOT, 'deploy/grafana');
const DASHBOARD_DIR = join(GRAFANA, 'dashboards');
const PANEL_TYPES = new Set([
  'row',
  'timeseries',
  'stat',
  'gauge',
  'bargauge',
  'table',
  'heatmap',
  'state-timeline',
  'text',
]);

interface Target {
  refId?: string;
  expr?: string;
}
interface Panel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  tags?: string[];
  panels?: Panel[];
  templating?: { list?: { name: string; type: string; query?: unknown }[] };
}

const files = readdirSync(DASHBOARD_DIR).filter((f) => f.endsWith('.json'));
const dashboards = files.map((file) => ({
  file,
  json: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as Dashboard,
}));
const panelsOf = (d: Dashboard): Panel[] =>
  (d.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
const queriesOf = (d: Dashboard): string[] => [
  ...panelsOf(d).flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? '')),
  ...(d.templating?.list ?? []).flatMap((v) =>
    v.type === 'query' ? [variableSelector(v.query)] : [],
  ),
];

/** Grafana's `label_values(selector, label)` variable query: the PromQL part is the selector. */
function variableSelector(query: unknown): string {
  const text = typeof query === 'string' ? query : String((query as { query: string }).query);
  const labelValues = /^label_values\((.*),\s*\w+\)$/.exec(text.trim());
  return labelValues ? labelValues[1] : text;
}

describe('Grafana dashboards (deploy/grafana/dashboards)', () => {
  it('ship the serving overview, model quality and drift, and pipelines dashboards', () => {
    expect(dashboards.map((d) => d.json.uid).sort()).toEqual([
      'gyre-model-quality',
      'gyre-pipelines',
      'gyre-serving',
    ]);
  });

  it.each(dashboards)('$file is a well-formed dashboard', ({ json }) => {
    expect(json.title).toMatch(/^Gyre \/ /);
    expect(json.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(json.tags).toContain('gyre');
    const variables = new Set((json.templating?.list ?? []).map((v) => v.name));
    expect(variables.has('datasource')).toBe(true);
    const panels = panelsOf(json);
    expect(panels.length).toBeGreaterThan(3);
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size, 'panel ids are unique').toBe(ids.length);
    for (const panel of panels) {
      const where = `panel ${panel.id} "${panel.title}"`;
      expect(PANEL_TYPES.has(panel.type ?? ''), `${where} type ${panel.type}`).toBe(true);
      expect(panel.title, where).toBeTruthy();
      const g = panel.gridPos!;
      expect(g, `${where} gridPos`).toBeDefined();
      expect(g.x >= 0 && g.w > 0 && g.x + g.w <= 24 && g.h > 0 && g.y >= 0, where).toBe(true);
      if (panel.type === 'row') continue;
      expect(panel.datasource, where).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets?.length, `${where} has queries`).toBeGreaterThan(0);
      const refIds = panel.targets!.map((t) => t.refId);
      expect(new Set(refIds).size, `${where} refIds`).toBe(refIds.length);
      for (const target of panel.targets!) {
        expect(target.expr, where).toBeTruthy();
        for (const used of target.expr!.matchAll(/\$\{?(\w+)/g))
          if (!used[1].startsWith('__'))
            expect(variables.has(used[1]), `${where} uses undefined $${used[1]}`).toBe(true);
      }
    }
  });

  it('overlap no panels', () => {
    for (const { file, json } of dashboards) {
      const boxes = (json.panels ?? []).map((p) => ({ id: p.id, ...p.gridPos! }));
      for (const a of boxes)
        for (const b of boxes)
          if (a.id !== b.id)
            expect(
              a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h,
              `${file}: panels ${a.id} and ${b.id} overlap`,
            ).toBe(false);
    }
  });
});

describe('Grafana provisioning (deploy/grafana/provisioning)', () => {
  it('declares a Prometheus data source and a file provider for the dashboards', () => {
    const datasources = parse(
      readFileSync(join(GRAFANA, 'provisioning/datasources/prometheus.yaml'), 'utf8'),
    ) as { apiVersion: number; datasources: { type: string; url: string }[] };
    expect(datasources.apiVersion).toBe(1);
    expect(datasources.datasources[0]).toMatchObject({ type: 'prometheus' });
    const providers = parse(
      readFileSync(join(GRAFANA, 'provisioning/dashboards/gyre.yaml'), 'utf8'),
    ) as { apiVersion: number; providers: { type: string; options: { path: string } }[] };
    expect(providers.apiVersion).toBe(1);
    expect(providers.providers[0]).toMatchObject({ type: 'file' });
    expect(providers.providers[0].options.path).toMatch(/^\//);
  });
});

describe('dashboard queries against a live Gyre', () => {
  const home = mkdtempSync(join(tmpdir(), 'gyre-grafana-'));
  let gyre: ServingGyre;
  let exported: Set<string>;

  beforeAll(async () => {
    gyre = await startGyre(['up', '--port', '0'], { cwd: home, env: { GYRE_HOME: home } });
    const res = await fetch(`${gyre.url}/metrics`);
    expect(res.status).toBe(200);
    exported = exposedMetricNames(await res.text());
    // Names Prometheus itself adds, and the series rules.yaml records.
    exported.add('up');
    const rules = parse(readFileSync(join(REPO_ROOT, 'deploy/prometheus/rules.yaml'), 'utf8')) as {
      groups: { rules: { record?: string }[] }[];
    };
    for (const group of rules.groups)
      for (const rule of group.rules) if (rule.record) exported.add(rule.record);
  });
  afterAll(async () => {
    await gyre?.stop('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  });

  it('the scrape exports the monitoring, pipeline and serving metrics', () => {
    for (const name of [
      'gyre_drift_score',
      'gyre_dataset_drift',
      'gyre_realized_performance',
      'gyre_alert_state',
      'gyre_cost_per_1k_predictions_usd',
      'gyre_pipeline_runs_total',
      'gyre_pipeline_run_duration_seconds_bucket',
      'gyre_inference_requests_total',
      'gyre_http_request_duration_seconds_bucket',
    ])
      expect(exported, name).toContain(name);
  });

  it.each(dashboards)('$file queries only exported metrics', ({ json }) => {
    const queries = queriesOf(json);
    const used = new Set(queries.flatMap(promqlMetricNames));
    expect(used.size).toBeGreaterThan(3);
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
  });

  it('rules.yaml selects only exported metrics too', () => {
    const rules = parse(readFileSync(join(REPO_ROOT, 'deploy/prometheus/rules.yaml'), 'utf8')) as {
      groups: { rules: { expr: string }[] }[];
    };
    const used = rules.groups.flatMap((g) => g.rules.flatMap((r) => promqlMetricNames(r.expr)));
    expect([...new Set(used)].filter((name) => !exported.has(name))).toEqual([]);
  });
});
