import type { BuiltinStep, StepOutputs } from '../step-types.js';
import { sha256Hex } from '../../../artifacts/index.js';
import { scoreModel } from '../training/score-model.js';
import { metric } from './outputs.js';

/** Scores a model on a dataset version; metrics go to tracking, plot data to run artifacts. */
export const mlEvaluateStep: BuiltinStep = {
  uses: 'ml/evaluate',
  description:
    'Evaluate a model on a dataset version: metrics plus residuals, ROC/PR, calibration and feature importance.',
  inputs: {
    model: {
      type: 'artifact',
      required: true,
      description: 'The model: runs:/…, models:/… or a store URI.',
    },
    dataset: {
      type: 'dataset',
      required: true,
      description: 'The evaluation version (usually the test split).',
    },
    target: { type: 'string', required: true, description: 'The column holding the truth.' },
  },
  outputs: {
    score: {
      type: 'metric',
      description: 'The primary metric: rmse (regression), auc (binary), accuracy (multiclass).',
    },
    metrics: { type: 'json' },
    report: { type: 'artifact' },
    rmse: { type: 'metric' },
    mae: { type: 'metric' },
    r2: { type: 'metric' },
    auc: { type: 'metric' },
    pr_auc: { type: 'metric' },
    logloss: { type: 'metric' },
    accuracy: { type: 'metric' },
  },
  async run(ctx, inputs) {
    const evaluation = await scoreModel(
      ctx.services,
      String(inputs.model),
      String(inputs.dataset),
      String(inputs.target),
      ctx.workDir,
    );
    for (const [k, v] of Object.entries(evaluation.metrics)) ctx.log(`${k}: ${v}`);
    const root = await ctx.services.tracking.runs.artifactRoot(ctx.trackingRunId);
    const text = JSON.stringify(evaluation, null, 2);
    const path = `${root.storePath}/evaluation.json`;
    if (root.storePath) await ctx.services.artifacts.put(path, text);
    await ctx.services.tracking.runs.logBatch(ctx.trackingRunId, {
      params: [
        { key: 'model', value: String(inputs.model) },
        { key: 'dataset', value: evaluation.dataset },
      ],
    });
    const outputs: StepOutputs = {
      score: metric(evaluation.metrics[evaluation.primary.name]),
      metrics: {
        type: 'json',
        value: {
          ...evaluation.metrics,
          primary: evaluation.primary.name,
          dataset: evaluation.dataset,
        },
      },
      report: {
        type: 'artifact',
        value: ctx.services.artifacts.uriOf(path),
        digest: sha256Hex(text),
        storePath: path,
      },
    };
    for (const [k, v] of Object.entries(evaluation.metrics)) outputs[k] = metric(v);
    return outputs;
  },
};
