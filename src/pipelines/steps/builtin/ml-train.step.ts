import { InvalidArgumentError } from '../../../core/index.js';
import {
  ServableModel,
  trainGbdt,
  trainLinearRegression,
  trainLogisticRegression,
  type GbdtParams,
  type Predictor,
} from '../../../ml/index.js';
import type { BuiltinStep, OutputValue, StepContext } from '../step-types.js';
import type { Task } from '../training/featurize.js';
import { logModel } from '../training/model-files.js';
import {
  MODEL_KINDS,
  TASKS,
  loadTrainingData,
  logTrainingInputs,
  type ModelKind,
  type TrainingData,
} from '../training/training-data.js';
import { metric } from './outputs.js';

/** Training defaults for GBDT: the settings of Gyre's XGBoost comparisons. */
export const GBDT_STEP_DEFAULTS: Partial<GbdtParams> = {
  numRounds: 300,
  maxDepth: 6,
  learningRate: 0.1,
  maxBins: 256,
  seed: 42,
};

const objectiveOf = (task: Task): GbdtParams['objective'] =>
  task === 'regression'
    ? 'squared_error'
    : task === 'binary'
      ? 'binary_logloss'
      : 'multiclass_softmax';

/** Trains a GBDT, logging the metric of every round (train and validation) to the step's run. */
export async function trainTrees(
  ctx: StepContext,
  data: TrainingData,
  params: Partial<GbdtParams>,
): Promise<Predictor> {
  const history: { round: number; train: number; validation: number | null; at: number }[] = [];
  const model = trainGbdt({
    x: data.x,
    y: data.y,
    features: data.features,
    ...(data.validation ? { validation: data.validation } : {}),
    params: {
      ...GBDT_STEP_DEFAULTS,
      objective: objectiveOf(data.plan.task),
      ...(data.plan.task === 'multiclass' ? { numClass: data.plan.classes!.length } : {}),
      ...(data.validation ? { earlyStoppingRounds: 30 } : {}),
      ...params,
    },
    onRound: (round, train, validation) =>
      history.push({ round, train, validation, at: Date.now() }),
  });
  const name = model.history?.metric ?? 'metric';
  const metrics = history.flatMap((h) => [
    { key: `train_${name}`, value: h.train, timestamp: h.at, step: h.round },
    ...(h.validation === null
      ? []
      : [{ key: `validation_${name}`, value: h.validation, timestamp: h.at, step: h.round }]),
  ]);
  for (let i = 0; i < metrics.length; i += 1000)
    await ctx.services.tracking.runs.logBatch(ctx.trackingRunId, {
      metrics: metrics.slice(i, i + 1000),
    });
  ctx.log(
    `${model.ensemble.trees.length} trees${model.bestIteration !== null ? `, best round ${model.bestIteration + 1}` : ''}`,
  );
  return model;
}

function trainLinear(
  kind: ModelKind,
  data: TrainingData,
  params: Record<string, unknown>,
): Predictor {
  if (kind === 'linear')
    return trainLinearRegression(data.x, data.y, {
      alpha: 1e-4,
      ...params,
      features: data.features,
    });
  return trainLogisticRegression(data.x, data.y, { ...params, features: data.features });
}

/** The step's outputs once a model is trained: the model, its URI and its validation score. */
export async function finishTraining(
  ctx: StepContext,
  data: TrainingData,
  predictor: Predictor,
  gyreVersion?: string,
) {
  const model = new ServableModel(predictor, data.preprocessor);
  const output = await logModel(ctx.services, ctx.trackingRunId, model, data.example, {
    gyreVersion,
    ...(data.plan.classes ? { classes: data.plan.classes } : {}),
  });
  ctx.log(`model logged: ${output.value}`);
  const outputs: Record<string, OutputValue> = {
    model: output,
    task: { type: 'string', value: data.plan.task },
  };
  const v = 'history' in predictor ? predictor.history?.validation : undefined;
  if (v && v.length > 0) {
    const best = Math.min(...v);
    outputs.validation_score = metric(best);
    await ctx.services.tracking.runs.logMetric(ctx.trackingRunId, {
      key: 'best_validation_score',
      value: best,
      timestamp: Date.now(),
      step: 0,
    });
  }
  return outputs;
}

/** Trains a model (GBDT, linear or logistic) and logs it as an MLflow model directory. */
export const mlTrainStep: BuiltinStep = {
  uses: 'ml/train',
  description: 'Train a GBDT, linear or logistic model with preprocessing from the dataset schema.',
  inputs: {
    train: { type: 'dataset', required: true, description: 'Training version.' },
    validation: {
      type: 'dataset',
      description: 'Validation version: early stopping and per-round metrics.',
    },
    target: { type: 'string', required: true, description: 'The column to predict.' },
    model: {
      type: 'string',
      default: 'gbdt',
      oneOf: MODEL_KINDS,
      description: 'gbdt, linear or logistic.',
    },
    task: {
      type: 'string',
      oneOf: TASKS,
      description: 'regression, binary or multiclass (default: from the target).',
    },
    features: {
      type: 'json',
      description: 'Input columns (default: every numeric, categorical and boolean column).',
    },
    params: {
      type: 'json',
      default: {},
      description: 'Trainer parameters, e.g. {numRounds: 500, maxDepth: 8}.',
    },
  },
  outputs: {
    model: { type: 'artifact' },
    task: { type: 'string' },
    validation_score: { type: 'metric' },
  },
  async run(ctx, inputs) {
    const kind = String(inputs.model) as ModelKind;
    if (inputs.params !== null && typeof inputs.params !== 'object')
      throw new InvalidArgumentError('params must be a mapping', { field: 'with.params' });
    const params = (inputs.params ?? {}) as Record<string, unknown>;
    const data = await loadTrainingData(ctx, {
      train: String(inputs.train),
      ...(inputs.validation ? { validation: String(inputs.validation) } : {}),
      target: String(inputs.target),
      model: kind,
      ...(inputs.task ? { task: inputs.task as Task } : {}),
      ...(Array.isArray(inputs.features) ? { features: inputs.features.map(String) } : {}),
    });
    await logTrainingInputs(ctx, data);
    await ctx.services.tracking.runs.logBatch(ctx.trackingRunId, {
      params: [
        { key: 'model', value: kind },
        { key: 'target', value: data.plan.target },
        ...Object.entries(params).map(([key, value]) => ({ key, value: String(value) })),
      ],
    });
    const predictor =
      kind === 'gbdt'
        ? await trainTrees(ctx, data, params as Partial<GbdtParams>)
        : trainLinear(kind, data, params);
    return finishTraining(ctx, data, predictor);
  },
};
