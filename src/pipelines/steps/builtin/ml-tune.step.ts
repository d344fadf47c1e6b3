import { InvalidArgumentError } from '../../../core/index.js';
import { tuneGbdt, type GbdtParams, type SearchSpace } from '../../../ml/index.js';
import { createTrialRunLogger } from '../../../tracking/index.js';
import type { BuiltinStep } from '../step-types.js';
import type { Task } from '../training/featurize.js';
import { TASKS, loadTrainingData, logTrainingInputs } from '../training/training-data.js';
import { GBDT_STEP_DEFAULTS, finishTraining } from './ml-train.step.js';
import { metric } from './outputs.js';

/** A search space that suits most tabular problems. */
export const DEFAULT_SPACE: SearchSpace = {
  learningRate: { type: 'loguniform', low: 0.03, high: 0.3 },
  maxDepth: { type: 'int', low: 3, high: 10 },
  minChildWeight: { type: 'loguniform', low: 1, high: 20 },
  subsample: { type: 'uniform', low: 0.6, high: 1 },
  colsampleByTree: { type: 'uniform', low: 0.6, high: 1 },
  lambda: { type: 'loguniform', low: 0.1, high: 10 },
};

const objectiveOf = (task: Task): GbdtParams['objective'] =>
  task === 'regression'
    ? 'squared_error'
    : task === 'binary'
      ? 'binary_logloss'
      : 'multiclass_softmax';

/** Searches GBDT hyperparameters on a validation set; each trial is a child run. */
export const mlTuneStep: BuiltinStep = {
  uses: 'ml/tune',
  description:
    'Tune GBDT hyperparameters (random search or successive halving); logs the best model.',
  inputs: {
    train: { type: 'dataset', required: true, description: 'Training version.' },
    validation: {
      type: 'dataset',
      required: true,
      description: 'The version trials are scored on.',
    },
    target: { type: 'string', required: true, description: 'The column to predict.' },
    task: {
      type: 'string',
      oneOf: TASKS,
      description: 'regression, binary or multiclass (default: from the target).',
    },
    trials: { type: 'integer', default: 10, description: 'Configurations to try.' },
    strategy: {
      type: 'string',
      default: 'successive_halving',
      oneOf: ['random', 'successive_halving'],
      description: 'Search strategy.',
    },
    space: {
      type: 'json',
      description: 'Parameter → domain (default: learning rate, depth, sampling, regularisation).',
    },
    params: { type: 'json', default: {}, description: 'Parameters every trial shares.' },
    parallelism: {
      type: 'integer',
      default: 0,
      description: 'Worker threads for trials (0: this thread).',
    },
  },
  outputs: {
    model: { type: 'artifact' },
    task: { type: 'string' },
    validation_score: { type: 'metric' },
    best_params: { type: 'json' },
  },
  async run(ctx, inputs) {
    const trials = Number(inputs.trials);
    if (!Number.isInteger(trials) || trials < 1)
      throw new InvalidArgumentError('trials must be a positive integer', { field: 'with.trials' });
    const data = await loadTrainingData(ctx, {
      train: String(inputs.train),
      validation: String(inputs.validation),
      target: String(inputs.target),
      model: 'gbdt',
      ...(inputs.task ? { task: inputs.task as Task } : {}),
    });
    await logTrainingInputs(ctx, data);
    const base: Partial<GbdtParams> = {
      ...GBDT_STEP_DEFAULTS,
      objective: objectiveOf(data.plan.task),
      ...(data.plan.task === 'multiclass' ? { numClass: data.plan.classes!.length } : {}),
      ...(inputs.params as Partial<GbdtParams>),
    };
    const logger = createTrialRunLogger(ctx.services.tracking.runs, {
      experimentId: ctx.experimentId,
      parentRunId: ctx.trackingRunId,
    });
    const result = await tuneGbdt({
      x: data.x,
      y: data.y,
      validation: data.validation!,
      features: data.features,
      space: (inputs.space as SearchSpace | undefined) ?? DEFAULT_SPACE,
      baseParams: base,
      strategy: inputs.strategy as 'random' | 'successive_halving',
      numTrials: trials,
      maxRounds: base.numRounds,
      seed: base.seed,
      parallelism: Number(inputs.parallelism),
      onTrial: (t) => {
        ctx.log(
          `trial ${t.trialId} rung ${t.rung}: ${t.metric} ${t.score.toPrecision(6)} ${JSON.stringify(t.params)}`,
        );
        logger.onTrial(t);
      },
    });
    await logger.flush();
    ctx.log(
      `best: trial ${result.best.trialId}, ${result.best.metric} ${result.best.score.toPrecision(6)}`,
    );
    await ctx.services.tracking.runs.logBatch(ctx.trackingRunId, {
      params: Object.entries(result.best.params).map(([key, value]) => ({
        key,
        value: String(value),
      })),
    });
    const outputs = await finishTraining(ctx, data, result.model);
    return {
      ...outputs,
      validation_score: metric(result.best.score),
      best_params: { type: 'json', value: result.best.params },
    };
  },
};
