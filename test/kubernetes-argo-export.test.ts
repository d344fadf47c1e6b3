// `gyre pipelines export <name> --format argo`: a pipeline as an Argo WorkflowTemplate (one DAG
// task per step) and a CronWorkflow per schedule, checked against the Argo CRD shape with the
// embedded containers against the Kubernetes schemas.
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCliOn } from '../src/cli/test-cli.js';
import { renderArgoWorkflow, type KubernetesObject } from '../src/deploy/index.js';
import {
  validateKubernetesObject,
  validateKubernetesObjects,
} from '../src/deploy/test-kubernetes-schemas.js';
import { describeEachGyre } from '../src/test-gyre.js';

const nightly = {
  name: 'nightly',
  params: { rows: { type: 'integer', default: 1000 } },
  triggers: [{ schedule: '0 3 * * *', timezone: 'Europe/Berlin', params: { rows: 5000 } }],
  steps: {
    extract: {
      run: 'python extract.py --rows $GYRE_INPUT_ROWS && echo "path=/data/x" >> $GYRE_OUTPUTS',
      with: { rows: '${{ params.rows }}' },
      outputs: { path: 'string' },
      secrets: { DB_PASSWORD: 'warehouse/password' },
    },
    train: {
      needs: 'extract',
      run: 'python train.py',
      image: 'registry.example/trainer:2.1.0',
      with: { data: '${{ steps.extract.outputs.path }}' },
      retries: { count: 2, backoff: '5s', max_delay: '1m' },
      timeout: '1h',
      resources: { cpu: 4, memory: '8Gi', gpu: 1 },
    },
    report: { needs: ['extract', 'train'], run: 'echo done' },
  },
};

type Template = {
  name: string;
  dag?: { tasks: { name: string; dependencies?: string[] }[] };
  retryStrategy?: unknown;
  activeDeadlineSeconds?: number;
  tolerations?: unknown[];
  container?: { image: string; env: { name: string; value?: string }[] };
  outputs?: unknown;
};

describeEachGyre('Argo Workflows export', (ctx) => {
  it('exports a pipeline as a valid WorkflowTemplate and a CronWorkflow', async () => {
    await ctx.gyre.pipelines.register({ spec: nightly });
    const run = await runCliOn(ctx.gyre, 'pipelines', 'export', 'nightly', '--format', 'argo');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const objects = parseAllDocuments(run.stdout).map((d) => d.toJSON() as KubernetesObject);
    expect(validateKubernetesObjects(objects)).toEqual([
      'WorkflowTemplate/gyre-nightly',
      'CronWorkflow/gyre-nightly',
    ]);
    const [template, cron] = objects as (KubernetesObject & { spec: Record<string, never> })[];
    const templates = template.spec.templates as Template[];
    expect(templates[0].dag?.tasks).toEqual([
      { name: 'extract', template: 'extract' },
      { name: 'train', template: 'train', dependencies: ['extract'] },
      { name: 'report', template: 'report', dependencies: ['extract', 'train'] },
    ]);
    const train = templates.find((t) => t.name === 'train')!;
    expect(train).toMatchObject({
      activeDeadlineSeconds: 3600,
      retryStrategy: { limit: 2, backoff: { duration: '5s', factor: 2, maxDuration: '60s' } },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      container: { image: 'registry.example/trainer:2.1.0' },
    });
    expect(train.container?.env).toContainEqual({
      name: 'GYRE_INPUT_DATA',
      value: '{{tasks.extract.outputs.parameters.path}}',
    });
    const extract = templates.find((t) => t.name === 'extract')!;
    expect(extract.container?.env).toContainEqual({
      name: 'GYRE_INPUT_ROWS',
      value: '{{workflow.parameters.rows}}',
    });
    expect(extract.outputs).toEqual({
      parameters: [{ name: 'path', valueFrom: { path: '/tmp/gyre/out/params/path' } }],
    });
    expect(template.spec.arguments).toEqual({ parameters: [{ name: 'rows', value: '1000' }] });
    expect(cron.spec).toMatchObject({
      schedule: '0 3 * * *',
      timezone: 'Europe/Berlin',
      concurrencyPolicy: 'Forbid',
      workflowSpec: {
        workflowTemplateRef: { name: 'gyre-nightly' },
        arguments: { parameters: [{ name: 'rows', value: '5000' }] },
      },
    });
  });

  it('refuses what Argo cannot run the same way, naming the step', async () => {
    await ctx.gyre.pipelines.register({
      spec: {
        name: 'mixed',
        steps: { go: { run: 'true', if: '${{ params.flag }}' } },
        params: { flag: { type: 'boolean', default: true } },
      },
    });
    const run = await runCliOn(ctx.gyre, 'pipelines', 'export', 'mixed', '--format', 'argo');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('steps.go.if');
    const format = await runCliOn(ctx.gyre, 'pipelines', 'export', 'mixed', '--format', 'airflow');
    expect(format.stderr).toContain('--format airflow is not known');
  });
});

describe('the Argo shape check', () => {
  it('fails on a task that depends on nothing that exists and on a bad container', async () => {
    const { parsePipelineObject } = await import('../src/pipelines/spec/parse-pipeline.js');
    const { builtinCatalog } = await import('../src/pipelines/steps/builtin-steps.js');
    const spec = parsePipelineObject(nightly, builtinCatalog);
    const [template] = renderArgoWorkflow(spec, { namespace: 'argo', image: 'gyre:1.0.0' });
    validateKubernetesObject(template);
    const broken = structuredClone(template) as unknown as { spec: { templates: Template[] } };
    broken.spec.templates[0].dag!.tasks[1].dependencies = ['nope'];
    (broken.spec.templates[1].container as unknown as Record<string, unknown>).imagePullPolicy = 7;
    (broken.spec.templates[1].container as unknown as Record<string, unknown>).cmd = ['x'];
    expect(() => validateKubernetesObject(broken)).toThrow(/nope is not a task/);
    expect(() => validateKubernetesObject(broken)).toThrow(/container.cmd: unknown field/);
    expect(() => validateKubernetesObject(broken)).toThrow(/imagePullPolicy/);
  });
});
