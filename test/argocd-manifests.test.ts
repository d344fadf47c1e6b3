// deploy/argocd validated against the Argo CD and Argo Rollouts CRD schemas (the JSON schemas
// of @kubernetes-models/argo-cd and /argo-rollouts), the sync policy Gyre relies on checked,
// and the canary analysis queries parsed by promtool against the metrics Gyre exports.
import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  AppProject,
  Application,
  ApplicationSet,
} from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { AnalysisTemplate, Rollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './fixtures/data-files.js';
import { promtool } from './fixtures/prometheus.js';

const DIR = join(REPO_ROOT, 'deploy/argocd');

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
};

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return n.endsWith('.yaml') ? [p] : [];
  });
}

const OBJECTS = yamlFiles(DIR).flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((d) => ({
    file: relative(DIR, file),
    object: d.toJS() as Obj,
  })),
);

/** The CRD model of each kind Gyre ships; validate() throws with the schema's complaint. */
const MODELS: Record<string, new (o: never) => { validate(): void }> = {
  AppProject,
  Application,
  ApplicationSet,
  AnalysisTemplate,
  Rollout,
};

/** Schema problems of one object, as messages (empty when valid). */
export function crdProblems(o: Obj): string[] {
  const Model = MODELS[o.kind];
  if (!Model) return [`${o.kind}: no CRD schema known`];
  try {
    new Model(o as never).validate();
    return [];
  } catch (error) {
    return [`${o.kind} ${o.metadata?.name}: ${(error as Error).message}`];
  }
}

const byKind = (kind: string) => OBJECTS.filter((o) => o.object.kind === kind).map((o) => o.object);

describe('deploy/argocd', () => {
  it('ships a project, an Application, an ApplicationSet and the optional Rollouts canary', () => {
    expect(OBJECTS.map((o) => `${o.file}: ${o.object.kind}`).sort()).toEqual([
      'application.yaml: Application',
      'applicationset.yaml: ApplicationSet',
      'project.yaml: AppProject',
      'rollouts/analysis-template.yaml: AnalysisTemplate',
      'rollouts/kustomization.yaml: Kustomization',
      'rollouts/rollout.yaml: Rollout',
    ]);
  });

  for (const { file, object } of OBJECTS.filter((o) => o.object.kind !== 'Kustomization'))
    it(`${file}: ${object.kind} is valid against its CRD schema`, () => {
      expect(crdProblems(object)).toEqual([]);
    });

  const syncSpecs = () => [
    byKind('Application')[0].spec,
    (byKind('ApplicationSet')[0].spec.template as { spec: Record<string, unknown> }).spec,
  ];

  it('syncs automatically with prune, self-heal and server-side apply', () => {
    for (const spec of syncSpecs()) {
      const policy = spec.syncPolicy as { automated: unknown; syncOptions: string[] };
      expect(policy.automated).toEqual({ prune: true, selfHeal: true });
      expect(policy.syncOptions).toEqual(
        expect.arrayContaining(['ServerSideApply=true', 'RespectIgnoreDifferences=true']),
      );
      expect(spec.project).toBe('gyre');
    }
  });

  it('leaves HPA-owned replicas alone', () => {
    for (const spec of syncSpecs())
      expect(spec.ignoreDifferences).toContainEqual({
        group: 'apps',
        kind: 'Deployment',
        jsonPointers: ['/spec/replicas'],
      });
  });

  it('makes one Application per environment from its own overlay', () => {
    const set = byKind('ApplicationSet')[0].spec as {
      generators: { list: { elements: { env: string }[] } }[];
      template: { metadata: { name: string }; spec: { source: { path: string } } };
    };
    expect(set.generators[0].list.elements.map((e) => e.env)).toEqual(['dev', 'staging', 'prod']);
    expect(set.template.metadata.name).toBe('gyre-{{.env}}');
    expect(set.template.spec.source.path).toBe('environments/{{.env}}');
  });

  it('runs the canary analysis with the args its template declares', () => {
    const template = byKind('AnalysisTemplate')[0];
    const declared = (template.spec.args as { name: string; value?: string }[]).map((a) => a.name);
    const rollout = byKind('Rollout')[0].spec as {
      workloadRef: { kind: string; name: string };
      strategy: {
        canary: {
          steps: {
            analysis?: { templates: { templateName: string }[]; args: { name: string }[] };
          }[];
        };
      };
    };
    expect(rollout.workloadRef).toMatchObject({ kind: 'Deployment', name: 'gyre-model-housing' });
    const analyses = rollout.strategy.canary.steps.flatMap((s) => (s.analysis ? [s.analysis] : []));
    expect(analyses.length).toBe(2);
    for (const a of analyses) {
      expect(a.templates).toEqual([{ templateName: template.metadata.name }]);
      for (const arg of a.args) expect(declared).toContain(arg.name);
    }
  });

  it("queries Gyre's own metrics with valid PromQL (promtool)", async () => {
    const template = byKind('AnalysisTemplate')[0];
    const metrics = template.spec.metrics as {
      name: string;
      provider: { prometheus: { query: string } };
    }[];
    const exported = readFileSync(
      join(REPO_ROOT, 'src/serving/metrics/serving-metrics.ts'),
      'utf8',
    );
    const rules = metrics.map((m) => {
      const query = m.provider.prometheus.query
        .replaceAll('{{args.deployment}}', 'housing')
        .replaceAll('{{args.canary-hash}}', '6d4f8c9b7');
      for (const name of query.match(/gyre_[a-z_]+/g) ?? [])
        expect(exported, name).toContain(`'${name.replace(/_bucket$/, '')}'`);
      return { record: `gyre:canary_${m.name.replace(/-/g, '_')}`, expr: query };
    });
    const dir = mkdtempSync(join(tmpdir(), 'gyre-argocd-'));
    try {
      writeFileSync(
        join(dir, 'rules.yaml'),
        JSON.stringify({ groups: [{ name: 'canary', rules }] }),
      );
      const run = await promtool(['check', 'rules', 'rules.yaml'], dir);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain(`SUCCESS: ${metrics.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds the Rollouts kustomization (kubectl kustomize)', () => {
    const run = spawnSync('kubectl', ['kustomize', join(DIR, 'rollouts')], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('kind: Rollout');
  });
});

describe('the CRD check catches what it looks for', () => {
  it('refuses a wrongly typed sync policy and a Rollout without a strategy shape', () => {
    const app = structuredClone(byKind('Application')[0]);
    (app.spec.syncPolicy as { automated: Record<string, unknown> }).automated.selfHeal = 'yes';
    expect(crdProblems(app).join('\n')).toMatch(/selfHeal must be boolean/);
    const rollout = structuredClone(byKind('Rollout')[0]);
    (rollout.spec.strategy as Record<string, unknown>).canary = { steps: 'all at once' };
    expect(crdProblems(rollout).join('\n')).toMatch(/steps must be array/);
  });
});
