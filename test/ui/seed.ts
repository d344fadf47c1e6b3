// Real data for the web UI suites, made through the SDK as any client would: an experiment of
// runs (one with a 100,000-point metric), nested runs, the California housing dataset, and a
// pipeline that trains, evaluates, registers and deploys a model (run once: version 1 serves
// alone; the suite's own trigger adds version 2 as a 20% canary).
import { openAsBlob } from 'node:fs';
import { GyreClient } from '../../src/sdk/index.js';
import { HOUSING_CSV } from '../fixtures/data-files.js';

export const SWEEP = 'housing-sweep';
export const LONG_RUN = 'long-training';
export const LONG_POINTS = 100_000;
export const PIPELINE = 'housing-quick';

export const PIPELINE_SPEC = {
  name: PIPELINE,
  description: 'Split, train, evaluate, register and deploy a house-price model.',
  params: {
    dataset: { type: 'dataset', default: 'housing' },
    rounds: { type: 'integer', default: 15 },
    canary: { type: 'number', default: 20 },
  },
  steps: {
    split: { uses: 'data/split', with: { dataset: '${{ params.dataset }}', seed: 42 } },
    train: {
      needs: 'split',
      uses: 'ml/train',
      with: {
        train: '${{ steps.split.outputs.train }}',
        validation: '${{ steps.split.outputs.validation }}',
        target: 'median_house_value',
        model: 'gbdt',
        params: { numRounds: '${{ params.rounds }}', maxDepth: 4, learningRate: 0.2 },
      },
    },
    evaluate: {
      needs: 'train',
      uses: 'ml/evaluate',
      with: {
        model: '${{ steps.train.outputs.model }}',
        dataset: '${{ steps.split.outputs.test }}',
        target: 'median_house_value',
      },
    },
    register: {
      needs: 'evaluate',
      uses: 'registry/register',
      with: { model: '${{ steps.train.outputs.model }}', name: 'housing', aliases: ['candidate'] },
    },
    deploy: {
      needs: 'register',
      uses: 'serving/deploy',
      with: {
        deployment: 'housing',
        model: '${{ steps.register.outputs.model }}',
        canary: '${{ params.canary }}',
        reason: 'trained by the UI suite',
      },
    },
  },
};

/** Runs of a hyper-parameter sweep; returns the experiment id. */
async function seedSweep(gyre: GyreClient): Promise<string> {
  const { experimentId } = await gyre.tracking.createExperiment({ name: SWEEP });
  const t0 = Date.UTC(2026, 0, 5, 9);
  for (let i = 0; i < 24; i++) {
    const depth = 3 + (i % 4);
    const lr = [0.05, 0.1, 0.2][i % 3];
    const run = await gyre.tracking.createRun({
      experimentId,
      runName: `sweep-${String(i).padStart(2, '0')}`,
      startTime: t0 + i * 60_000,
    });
    const rmse = 40_000 + ((i * 7919) % 23) * 900 - depth * 1500;
    await gyre.tracking.log(run.info.runId, {
      params: { max_depth: String(depth), learning_rate: String(lr), seed: String(i % 2) },
      metrics: [
        ...Array.from({ length: 30 }, (_, s) => ({
          key: 'train_loss',
          value: rmse * (1 + 2 / (s + 1)),
          step: s,
          timestamp: t0 + i * 60_000 + s * 100,
        })),
        { key: 'rmse', value: rmse, step: 0, timestamp: t0 + i * 60_000 },
        { key: 'r2', value: 0.9 - rmse / 500_000, step: 0, timestamp: t0 + i * 60_000 },
      ],
    });
    await gyre.tracking.updateRun(run.info.runId, {
      status: 'FINISHED',
      endTime: t0 + i * 60_000 + 42_000,
    });
  }
  // One long training curve: 100,000 steps of loss, logged 1,000 per batch.
  const long = await gyre.tracking.createRun({ experimentId, runName: LONG_RUN, startTime: t0 });
  await gyre.tracking.log(long.info.runId, {
    params: { max_depth: '8', learning_rate: '0.01', seed: '0' },
  });
  for (let start = 0; start < LONG_POINTS; start += 1000) {
    await gyre.tracking.log(long.info.runId, {
      metrics: Array.from({ length: 1000 }, (_, i) => {
        const step = start + i;
        return {
          key: 'train_loss',
          value: 30_000 + 90_000 / Math.sqrt(step + 1) + ((step * 2654435761) % 1000),
          step,
          timestamp: t0 + step,
        };
      }),
    });
  }
  await gyre.tracking.updateRun(long.info.runId, { status: 'FINISHED', endTime: t0 + 3_600_000 });
  // A parent with two nested runs, as a tuning step logs them.
  const parent = await gyre.tracking.createRun({ experimentId, runName: 'tuning' });
  for (const name of ['trial-0', 'trial-1'])
    await gyre.tracking.createRun({
      experimentId,
      runName: name,
      tags: { 'mlflow.parentRunId': parent.info.runId },
    });
  return experimentId;
}

export interface Seeded {
  experimentId: string;
}

/** Seeds a fresh server; the pipeline runs once (model 1, serving alone). */
export async function seed(baseUrl: string): Promise<Seeded> {
  const gyre = new GyreClient({ baseUrl, timeoutMs: 120_000 });
  await gyre.data.upload('housing', await openAsBlob(HOUSING_CSV), {
    format: 'csv',
    fileName: 'california_housing.csv',
  });
  const experimentId = await seedSweep(gyre);
  await gyre.pipelines.register(PIPELINE_SPEC);
  const { run } = await gyre.pipelines.trigger(PIPELINE, { params: { rounds: 10 } });
  const done = await gyre.pipelines.wait(run.id, 200);
  if (done.status !== 'succeeded')
    throw new Error(`seed pipeline ${done.status}: ${done.error ?? JSON.stringify(done.steps)}`);
  return { experimentId };
}
