// The Kubernetes Job executor against an in-process API double that validates every Job it
// receives against the Kubernetes schemas and plays the Job controller's status transitions:
// success, failure, deadline, deletion, a watch dropped mid-run (resumed from its
// resourceVersion) and a compacted history (410 Gone, re-listed); re-attaching to a Job still
// running after a restart; and a 20-step DAG through a whole Gyre with logs and retries.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateKubernetesObject } from '../src/deploy/test-kubernetes-schemas.js';
import type { AttemptResult, Executor, StepIo, StepTask } from '../src/pipelines/index.js';
import {
  KubernetesExecutor,
  STEP_LABELS,
  jobName,
} from '../src/pipelines/executors/kubernetes/index.js';
import { describeEachGyre } from '../src/test-gyre.js';
import { KubernetesApiDouble, type JobScript } from './fixtures/kubernetes-api-double.js';

type Job = Awaited<ReturnType<KubernetesApiDouble['job']>> & {
  spec: {
    backoffLimit: number;
    activeDeadlineSeconds?: number;
    ttlSecondsAfterFinished: number;
    template: {
      spec: {
        serviceAccountName?: string;
        nodeSelector?: Record<string, string>;
        tolerations?: unknown[];
        containers: {
          image: string;
          env: { name: string; value?: string; valueFrom?: unknown }[];
          envFrom?: unknown[];
          resources: unknown;
        }[];
      };
    };
  };
};

const refuseBuiltins: Executor = {
  name: 'none',
  execute: () => Promise.reject(new Error('no built-in steps here')),
  reap: async () => 0,
  close: async () => {},
};

const task = (step: string, extra: Partial<StepTask> = {}): StepTask => ({
  runId: 'run-1',
  pipeline: 'nightly',
  step,
  attempt: 1,
  kind: 'run',
  command: 'python train.py',
  inputs: {},
  outputs: {},
  env: {},
  tracking: { experimentId: '1', pipelineRunId: 'p', stepRunId: 's' },
  ...extra,
});

function stepIo(controller = new AbortController()) {
  let log = '';
  const processes: unknown[] = [];
  const waiting: { text: string; resolve: () => void }[] = [];
  /** Resolves once the step log holds `text`. */
  const logged = (text: string) =>
    log.includes(text)
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiting.push({ text, resolve }));
  const io: StepIo = {
    signal: controller.signal,
    log: (text) => {
      log += text;
      for (const w of waiting.filter((x) => log.includes(x.text))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    },
    onProcess: async (p) => void processes.push(p),
    publishArtifact: () => Promise.reject(new Error('no artifacts')),
  };
  return { io, controller, log: () => log, processes, logged };
}

describe('KubernetesExecutor against the API double', () => {
  const scripts = new Map<string, JobScript>();
  const double = new KubernetesApiDouble({
    validate: validateKubernetesObject,
    script: (job) => scripts.get(job.metadata.labels![STEP_LABELS.step]) ?? { outcome: 'succeed' },
  });
  let executor: KubernetesExecutor;
  const open = async () =>
    new KubernetesExecutor({
      settings: {
        namespace: 'ml',
        image: 'registry.example/gyre:0.1.0',
        serviceAccountName: 'gyre-steps',
        envSecret: 'gyre-env',
        ttlSecondsAfterFinished: 600,
        gpuNodeSelector: { 'gyre.dev/gpu': 'true' },
        gpuResource: 'nvidia.com/gpu',
      },
      connection: { server: await double.url },
      builtins: refuseBuiltins,
    });
  beforeEach(async () => {
    executor = await open();
  });
  afterEach(() => executor.close());
  afterAll(() => double.close());

  it('runs a step as a valid Job and streams its log, taking outputs from it', async () => {
    scripts.set('train', {
      logs: ['epoch 1\nepo', 'ch 2\n', '::gyre-output::rmse=0.42\n::gyre-output::ok=true\n'],
      outcome: 'succeed',
    });
    const { io, log, processes } = stepIo();
    const result = await executor.execute(
      task('train', {
        timeoutMs: 90_500,
        resources: { cpu: 2, memory: '4Gi', gpu: 1 },
        secrets: { HF_TOKEN: 'hugging-face/token' },
        env: { LR: '0.1' },
        inputs: { dataset: 'housing@3' },
        outputs: { rmse: { type: 'metric' }, ok: { type: 'boolean' } },
      }),
      io,
    );
    expect(result).toMatchObject({
      status: 'succeeded',
      outputs: { rmse: { type: 'metric', value: 0.42 }, ok: { type: 'boolean', value: true } },
    });
    expect(log()).toContain('epoch 1\nepoch 2\n');
    expect(log()).not.toContain('::gyre-output::');
    expect(processes).toEqual([expect.objectContaining({ host: 'kubernetes:ml' })]);
    expect(double.refused).toEqual([]);
    const job = double.created.at(-1) as Job;
    expect(job.metadata.name).toBe(jobName(task('train')));
    expect(job.metadata.labels).toMatchObject({
      [STEP_LABELS.pipeline]: 'nightly',
      [STEP_LABELS.run]: 'run-1',
      [STEP_LABELS.step]: 'train',
    });
    expect(job.spec).toMatchObject({
      backoffLimit: 0,
      activeDeadlineSeconds: 91,
      ttlSecondsAfterFinished: 600,
    });
    const pod = job.spec.template.spec;
    expect(pod.serviceAccountName).toBe('gyre-steps');
    expect(pod.nodeSelector).toEqual({ 'gyre.dev/gpu': 'true' });
    expect(pod.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    const [container] = pod.containers;
    expect(container.image).toBe('registry.example/gyre:0.1.0');
    expect(container.resources).toEqual({
      requests: { cpu: '2', memory: '4Gi', 'nvidia.com/gpu': '1' },
      limits: { memory: '4Gi', 'nvidia.com/gpu': '1' },
    });
    expect(container.envFrom).toEqual([{ secretRef: { name: 'gyre-env', optional: true } }]);
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: 'LR', value: '0.1' },
        { name: 'GYRE_INPUT_DATASET', value: 'housing@3' },
        { name: 'GYRE_STEP_COMMAND', value: 'python train.py' },
        { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hugging-face', key: 'token' } } },
      ]),
    );
  });

  it('reports a failed pod with its exit code, and a deadline as a timeout', async () => {
    scripts.set('bad', { logs: ['Traceback: boom\n'], outcome: 'fail', exitCode: 3 });
    const failed = stepIo();
    expect(await executor.execute(task('bad'), failed.io)).toMatchObject({
      status: 'failed',
      exitCode: 3,
      error: 'exit code 3',
    });
    expect(failed.log()).toContain('Traceback: boom');
    scripts.set('slow', { logs: ['working\n'], outcome: 'deadline' });
    expect(await executor.execute(task('slow', { timeoutMs: 1000 }), stepIo().io)).toMatchObject({
      status: 'timed_out',
    });
  });

  it('cancels by deleting the Job with background propagation', async () => {
    scripts.set('forever', { logs: ['started\n'], outcome: 'hang' });
    const { io, controller, log } = stepIo();
    const running = executor.execute(task('forever'), io);
    const name = jobName(task('forever'));
    await double.until(() => (double.job(name)?.status as { ready?: number })?.ready === 1);
    controller.abort('cancelled');
    const result: AttemptResult = await running;
    expect(result.status).toBe('cancelled');
    expect(double.deletions).toContainEqual({ name, propagationPolicy: 'Background' });
    expect(log()).toContain('started');
  });

  it('reports a Job someone else deleted as a failure', async () => {
    scripts.set('victim', { outcome: 'hang' });
    const running = executor.execute(task('victim'), stepIo().io);
    const name = jobName(task('victim'));
    await double.until(() => double.job(name) !== undefined);
    await fetch(`${await double.url}/apis/batch/v1/namespaces/ml/jobs/${name}`, {
      method: 'DELETE',
    });
    expect(await running).toMatchObject({ status: 'failed', error: `Job ${name} was deleted` });
  });

  it('resumes its watch from the last resourceVersion after a dropped connection', async () => {
    let release!: () => void;
    scripts.set('dropped', {
      logs: ['before\n'],
      outcome: 'succeed',
      hold: new Promise<void>((r) => (release = r)),
    });
    const io = stepIo();
    const running = executor.execute(task('dropped'), io.io);
    // The log is followed once the watch reported the pod running: events were seen.
    await io.logged('before');
    const watches = double.watchRequests.length;
    const listed = Number(double.watchRequests.at(-1));
    double.dropWatches();
    await double.until(() => double.watchRequests.length > watches);
    // The new watch starts after the events already seen, not from the list again.
    expect(Number(double.watchRequests.at(-1))).toBeGreaterThan(listed);
    release();
    expect(await running).toMatchObject({ status: 'succeeded' });
    expect((await executor.jobs()).stats.resumed).toBeGreaterThanOrEqual(1);
  });

  it('lists again after 410 Gone and still sees the Job finish', async () => {
    let release!: () => void;
    scripts.set('compacted', {
      outcome: 'succeed',
      hold: new Promise<void>((r) => (release = r)),
    });
    const running = executor.execute(task('compacted'), stepIo().io);
    const name = jobName(task('compacted'));
    await double.until(() => (double.job(name)?.status as { ready?: number })?.ready === 1);
    double.compact();
    const watches = double.watchRequests.length;
    double.dropWatches();
    // The resumed watch is refused with 410; the executor lists and watches from the new list.
    await double.until(() => double.watchRequests.length >= watches + 2);
    release();
    expect(await running).toMatchObject({ status: 'succeeded' });
    expect((await executor.jobs()).stats.relisted).toBeGreaterThanOrEqual(1);
  });

  it('re-attaches to a Job still running after a restart instead of starting another', async () => {
    let release!: () => void;
    scripts.set('long', {
      logs: ['epoch 1\n'],
      outcome: 'succeed',
      hold: new Promise<void>((r) => (release = r)),
    });
    const first = executor.execute(task('long', { attempt: 1 }), stepIo().io);
    first.catch(() => {});
    const name = jobName(task('long', { attempt: 1 }));
    await double.until(() => (double.job(name)?.status as { ready?: number })?.ready === 1);
    // The server stops without cancelling (a crash); a new one resumes the run.
    await executor.close();
    const created = double.created.length;
    executor = await open();
    const resumed = stepIo();
    const again = executor.execute(task('long', { attempt: 2 }), resumed.io);
    await resumed.logged('re-attached');
    release();
    expect(await again).toMatchObject({ status: 'succeeded' });
    expect(double.created.length).toBe(created);
    expect(resumed.log()).toContain(`re-attached to Job ${name}`);
    expect(await executor.reap([])).toBe(0);
  });

  it('is refused by the double when a Job breaks the schema', async () => {
    const response = await fetch(`${await double.url}/apis/batch/v1/namespaces/ml/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'broken' },
        spec: { backoffLimit: 'none', template: { spec: { containers: [] } }, retries: 2 },
      }),
    });
    expect(response.status).toBe(422);
    expect(double.refused.at(-1)).toMatch(/backoffLimit/);
    expect(double.refused.at(-1)).toMatch(/spec.retries: unknown field/);
  });
});

// A 20-step DAG through a whole Gyre configured with pipelines.executor=kubernetes.
const dir = mkdtempSync(join(tmpdir(), 'gyre-k8s-'));
const kubeconfig = join(dir, 'kubeconfig');
const attempts = new Map<string, number>();
const dagDouble = new KubernetesApiDouble({
  validate: validateKubernetesObject,
  script: (job) => {
    const step = job.metadata.labels![STEP_LABELS.step];
    const n = (attempts.get(step) ?? 0) + 1;
    attempts.set(step, n);
    if (step === 'flaky' && n === 1)
      return { logs: ['flaky: not yet\n'], outcome: 'fail', exitCode: 2 };
    const env = (job.spec as Job['spec']).template.spec.containers[0].env;
    const seed = env.find((e) => e.name === 'GYRE_INPUT_SEED')?.value;
    return {
      logs: [
        `hello from ${step}${seed ? ` seed=${seed}` : ''}\n`,
        ...(step === 'source' ? ['::gyre-output::seed=21\n'] : []),
      ],
      outcome: 'succeed',
    };
  },
});
beforeAll(async () => writeFileSync(kubeconfig, await dagDouble.kubeconfig('ml')));
afterAll(async () => {
  await dagDouble.close();
  rmSync(dir, { recursive: true, force: true });
});

describeEachGyre(
  'a 20-step DAG on the Kubernetes executor',
  (ctx) => {
    it('runs every step as a Job with correct states, logs, outputs and a retry', async () => {
      attempts.clear();
      const fan = Array.from({ length: 8 }, (_, i) => `fan-${i + 1}`);
      const chain = Array.from({ length: 8 }, (_, i) => `chain-${i + 1}`);
      const steps: Record<string, unknown> = {
        source: { run: 'produce', outputs: { seed: 'integer' } },
        ...Object.fromEntries(
          fan.map((f) => [
            f,
            {
              needs: 'source',
              run: `work ${f}`,
              with: { seed: '${{ steps.source.outputs.seed }}' },
            },
          ]),
        ),
        join: { needs: fan, run: 'join' },
        flaky: { needs: 'join', run: 'sometimes', retries: { count: 1, backoff: 1 } },
        ...Object.fromEntries(
          chain.map((c, i) => [c, { needs: i === 0 ? 'flaky' : chain[i - 1], run: c }]),
        ),
        sink: { needs: chain.at(-1), run: 'sink', resources: { cpu: 1, memory: '256Mi' } },
      };
      expect(Object.keys(steps)).toHaveLength(20);
      await ctx.gyre.pipelines.register({ spec: { name: 'twenty', steps } });
      const logs = new Map<string, string>();
      const { done } = await ctx.gyre.pipelines.startRun(
        { pipeline: 'twenty' },
        { onLog: (step, text) => logs.set(step, (logs.get(step) ?? '') + text) },
      );
      const run = await done;
      expect(run.status).toBe('succeeded');
      const detail = await ctx.gyre.pipelines.getRun(run.id);
      expect(detail.steps).toHaveLength(20);
      expect(detail.steps.filter((s) => s.status !== 'succeeded')).toEqual([]);
      expect(detail.steps.find((s) => s.step === 'flaky')?.attempt).toBe(2);
      expect(detail.steps.find((s) => s.step === 'source')?.outputs?.seed.value).toBe(21);
      expect(logs.get('fan-3')).toContain('hello from fan-3 seed=21');
      expect(logs.get('flaky')).toContain('flaky: not yet');
      expect(logs.get('sink')).toContain('hello from sink');
      const ours = dagDouble.created.filter(
        (j) => j.metadata.labels?.[STEP_LABELS.run] === run.id.slice(0, 63),
      );
      expect(ours).toHaveLength(21); // 20 steps, one of them twice
      expect(dagDouble.refused).toEqual([]);
      for (const job of ours)
        expect(job.metadata.labels).toMatchObject({ [STEP_LABELS.pipeline]: 'twenty' });
    });
  },
  {
    env: {
      GYRE_PIPELINES_EXECUTOR: 'kubernetes',
      GYRE_KUBECONFIG: kubeconfig,
      GYRE_KUBERNETES_NAMESPACE: 'ml',
    },
  },
);
