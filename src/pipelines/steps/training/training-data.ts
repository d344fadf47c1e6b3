import { InvalidArgumentError } from '../../../core/index.js';
import type { DatasetVersion } from '../../../data/index.js';
import {
  fitPreprocessor,
  type DenseMatrix,
  type FeatureSpec,
  type Preprocessor,
  type RawValue,
} from '../../../ml/index.js';
import type { StepContext } from '../step-types.js';
import {
  planFeatures,
  rawColumns,
  targetValues,
  type FeaturePlan,
  type Task,
} from './featurize.js';
import { readTable } from './read-table.js';

export const MODEL_KINDS = ['gbdt', 'linear', 'logistic'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
export const TASKS = ['regression', 'binary', 'multiclass'] as const;

/** Everything a trainer needs, read from dataset versions and preprocessed. */
export interface TrainingData {
  plan: FeaturePlan;
  preprocessor: Preprocessor;
  features: FeatureSpec[];
  x: DenseMatrix;
  y: Float64Array;
  validation?: { x: DenseMatrix; y: Float64Array; version: DatasetVersion };
  trainVersion: DatasetVersion;
  /** A few raw rows, saved with the model as its input example. */
  example: RawValue[][];
}

/**
 * Reads the training (and validation) versions and fits preprocessing from the training
 * schema: trees get numbers as they are (missing stays missing) and categories as native
 * categorical codes; linear models get imputed, standardised numbers and one-hot categories.
 */
export async function loadTrainingData(
  ctx: StepContext,
  inputs: {
    train: string;
    validation?: string;
    target: string;
    model: ModelKind;
    task?: Task;
    features?: string[];
  },
): Promise<TrainingData> {
  const train = await readTable(ctx.services.data, inputs.train, ctx.workDir);
  const task = inputs.model === 'logistic' ? 'binary' : inputs.task;
  if (inputs.model === 'linear' && task && task !== 'regression')
    throw new InvalidArgumentError(
      'model linear trains regressions; use logistic or gbdt to classify',
      { field: 'model' },
    );
  const plan = planFeatures(train.version, train.rows, inputs.target, {
    task,
    features: inputs.features,
  });
  if (inputs.model === 'linear' && plan.task !== 'regression')
    throw new InvalidArgumentError(
      `target ${inputs.target} looks like classes; use --model logistic or gbdt`,
      { field: 'model' },
    );
  const columns = rawColumns(plan, train.rows);
  const trees = inputs.model === 'gbdt';
  const preprocessor = fitPreprocessor(columns, {
    impute: trees ? 'none' : 'mean',
    standardize: !trees,
    categorical: trees ? 'ordinal' : 'onehot',
  });
  const x = preprocessor.transformColumns(columns.map((c) => c.values));
  const y = targetValues(plan, train.rows);
  ctx.log(
    `${train.version.datasetName}@${train.version.version}: ${train.rows.length} rows, ${plan.inputs.length} inputs → ${preprocessor.numOutputs} features, task ${plan.task}`,
  );
  let validation: TrainingData['validation'];
  if (inputs.validation) {
    const v = await readTable(ctx.services.data, inputs.validation, ctx.workDir);
    validation = {
      x: preprocessor.transformColumns(rawColumns(plan, v.rows).map((c) => c.values)),
      y: targetValues(plan, v.rows),
      version: v.version,
    };
    ctx.log(`validation ${v.version.datasetName}@${v.version.version}: ${v.rows.length} rows`);
  }
  const example = train.rows
    .slice(0, 5)
    .map((r) => plan.inputs.map((c) => (r[c.name] ?? null) as RawValue));
  return {
    plan,
    preprocessor,
    features: preprocessor.outputFeatures,
    x,
    y,
    validation,
    trainVersion: train.version,
    example,
  };
}

/** Records the datasets a run trained on, so registered versions carry the lineage. */
export async function logTrainingInputs(ctx: StepContext, data: TrainingData): Promise<void> {
  const input = (v: DatasetVersion, context: string) => ({
    name: `${v.datasetName}@${v.version}`,
    digest: v.digest.slice(0, 36),
    sourceType: 'gyre',
    source: `datasets:/${v.datasetName}/${v.version}`,
    tags: [{ key: 'mlflow.data.context', value: context }],
  });
  await ctx.services.tracking.runs.logInputs(ctx.trackingRunId, [
    input(data.trainVersion, 'training'),
    ...(data.validation ? [input(data.validation.version, 'validation')] : []),
  ]);
}
