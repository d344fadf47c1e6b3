import type { DenseMatrix } from '../dense-matrix.js';
import type { FeatureSpec } from '../feature-spec.js';
import { serializeGyreModel } from '../formats/gyre-format.js';
import type { GbdtParams } from '../gbdt/gbdt-params.js';
import { trainGbdt } from '../gbdt/train-gbdt.js';
import { ServableModel } from '../servable-model.js';

/** Everything a trial needs that does not change between trials (sent to a worker once). */
export interface TrialData {
  x: DenseMatrix;
  y: Float64Array;
  validX: DenseMatrix;
  validY: Float64Array;
  features?: readonly FeatureSpec[];
}

/** One unit of work: a configuration trained for a number of rounds. */
export interface TrialTask {
  trialId: number;
  params: Partial<GbdtParams>;
}

export interface TrialOutcome {
  trialId: number;
  /** Best validation metric over the rounds trained (lower is better). */
  score: number;
  metric: string;
  bestIteration: number | null;
  /** The trained model in Gyre JSON format, so it can cross a worker boundary. */
  model: string;
}

/** Trains one trial; the same function runs in worker threads and in-process. */
export function runTrial(data: TrialData, task: TrialTask): TrialOutcome {
  const model = trainGbdt({
    x: data.x,
    y: data.y,
    features: data.features,
    validation: { x: data.validX, y: data.validY },
    // Trials already run side by side; each trains in its own thread unless told otherwise.
    params: { numThreads: 1, ...task.params },
  });
  const history = model.history!;
  return {
    trialId: task.trialId,
    score: Math.min(...history.validation),
    metric: history.metric,
    bestIteration: model.bestIteration,
    model: serializeGyreModel(new ServableModel(model)),
  };
}
