import { InvalidArgumentError } from '../../core/index.js';
import type { DenseMatrix } from '../dense-matrix.js';
import type { FeatureSpec } from '../feature-spec.js';
import { defaultFeatureSpecs } from '../feature-spec.js';
import { SeededRandom } from '../random.js';
import type { EnsembleHeader, TreeSpec } from '../trees/tree-ensemble.js';
import { buildTreeEnsemble } from '../trees/tree-ensemble.js';
import { addTreeMargins } from '../trees/tree-evaluator.js';
import { GbdtModel } from './gbdt-model.js';
import type { GbdtParams } from './gbdt-params.js';
import { resolveGbdtParams } from './gbdt-params.js';
import { evalMetricFor } from './eval-metric.js';
import { makeObjective, median } from './objectives.js';
import { binMatrix, fitBinMapper } from './quantile-binner.js';
import type { GrownTree } from './tree-grower.js';
import { TreeGrower } from './tree-grower.js';

/** Inputs to {@link trainGbdt}. */
export interface GbdtTrainInput {
  x: DenseMatrix;
  y: ArrayLike<number>;
  /** Optional per-row weights. */
  weights?: ArrayLike<number>;
  /** Names and types of the columns of `x`; defaults to numeric `f0..fN`. */
  features?: readonly FeatureSpec[];
  /** Held-out data for the eval history and early stopping. */
  validation?: { x: DenseMatrix; y: ArrayLike<number> };
  params?: Partial<GbdtParams>;
  /** Called after every round with the metric values, e.g. to log them to tracking. */
  onRound?: (round: number, train: number, validation: number | null) => void;
}

/** Trains a histogram gradient-boosted tree ensemble. Deterministic for a given seed. */
export function trainGbdt(input: GbdtTrainInput): GbdtModel {
  const p = resolveGbdtParams(input.params);
  const { x, y } = input;
  const n = x.numRows;
  if (y.length !== n) throw new InvalidArgumentError(`y has ${y.length} rows, x has ${n}`);
  if (n === 0) throw new InvalidArgumentError('training needs at least one row');
  const features = input.features ?? defaultFeatureSpecs(x.numCols);
  if (features.length !== x.numCols) {
    throw new InvalidArgumentError(`${features.length} feature specs for ${x.numCols} columns`);
  }
  const w = input.weights ? Float64Array.from(input.weights) : null;
  const numClass = p.objective === 'multiclass_softmax' ? p.numClass : 1;
  const objective = makeObjective(p.objective, numClass, p.huberDelta, y);
  const k = objective.numOutputs;

  const mapper = fitBinMapper(
    x,
    p.maxBins,
    features.map((f) => f.type === 'categorical'),
  );
  const binned = binMatrix(x, mapper);
  const grower = new TreeGrower(binned, p);
  const rng = new SeededRandom(p.seed);
  const header: EnsembleHeader = {
    numFeatures: x.numCols,
    numOutputs: k,
    baseMargin: objective.initMargin(y, w),
    transform: objective.transform,
    float32Inputs: true,
  };

  const margin = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) margin[i * k + j] = header.baseMargin[j];
  const grad = new Float64Array(n * k);
  const hess = new Float64Array(n * k);
  const rows = new Uint32Array(n);
  const metric = evalMetricFor(p.objective, numClass);
  const valid = input.validation;
  const validMargin = valid ? new Float64Array(valid.x.numRows * k) : null;
  if (valid && validMargin) {
    if (valid.x.numCols !== x.numCols)
      throw new InvalidArgumentError('validation x has a different width');
    for (let i = 0; i < valid.x.numRows; i++)
      for (let j = 0; j < k; j++) validMargin[i * k + j] = header.baseMargin[j];
  }

  const trees: TreeSpec[] = [];
  const history = { metric: metric.name, train: [] as number[], validation: [] as number[] };
  let best = Infinity;
  let bestRound = -1;
  const allFeatures = Int32Array.from({ length: x.numCols }, (_, i) => i);
  for (let round = 0; round < p.numRounds; round++) {
    objective.gradients(y, w, margin, grad, hess);
    const m = sampleRows(rows, n, p.subsample, rng);
    const feats =
      p.colsampleByTree < 1
        ? rng.sampleIndices(x.numCols, Math.max(1, Math.round(p.colsampleByTree * x.numCols)))
        : allFeatures;
    for (let j = 0; j < k; j++) {
      const g = grad.subarray(j * n, (j + 1) * n);
      const h = hess.subarray(j * n, (j + 1) * n);
      const grown = grower.grow(rows, m, g, h, feats, j);
      if (objective.refitLeavesToMedian) refitMedian(grown, rows, y, margin, p.learningRate);
      trees.push(grown.tree);
      const one = m === n ? null : buildTreeEnsemble(header, [grown.tree]);
      if (one) addTreeMargins(one, 0, x, margin);
      else addLeafValues(grown, rows, margin, k, j);
      if (valid && validMargin) {
        addTreeMargins(one ?? buildTreeEnsemble(header, [grown.tree]), 0, valid.x, validMargin);
      }
    }
    // The train metric costs a pass over all rows; only pay for it when someone looks.
    const wantTrain = valid !== undefined || input.onRound !== undefined;
    const trainScore = wantTrain ? metric.compute(y, margin, header) : NaN;
    if (wantTrain) history.train.push(trainScore);
    let validScore: number | null = null;
    if (valid && validMargin) {
      validScore = metric.compute(valid.y, validMargin, header);
      history.validation.push(validScore);
      if (validScore < best) {
        best = validScore;
        bestRound = round;
      } else if (p.earlyStoppingRounds > 0 && round - bestRound >= p.earlyStoppingRounds) {
        input.onRound?.(round, trainScore, validScore);
        break;
      }
    }
    input.onRound?.(round, trainScore, validScore);
  }
  const stopped = valid && p.earlyStoppingRounds > 0;
  const kept = stopped ? trees.slice(0, (bestRound + 1) * k) : trees;
  const ensemble = buildTreeEnsemble(header, kept);
  return new GbdtModel(ensemble, features, { ...p }, stopped ? bestRound : null, history);
}

function sampleRows(rows: Uint32Array, n: number, fraction: number, rng: SeededRandom): number {
  if (fraction >= 1) {
    for (let i = 0; i < n; i++) rows[i] = i;
    return n;
  }
  let m = 0;
  for (let i = 0; i < n; i++) if (rng.next() < fraction) rows[m++] = i;
  return m;
}

/** Adds leaf values to the rows that reached each leaf — no tree walk needed. */
function addLeafValues(
  grown: GrownTree,
  rows: Uint32Array,
  margin: Float64Array,
  k: number,
  j: number,
): void {
  const { tree, leafNodes, leafBegin, leafEnd } = grown;
  for (let l = 0; l < leafNodes.length; l++) {
    const v = tree.value[leafNodes[l]];
    for (let i = leafBegin[l]; i < leafEnd[l]; i++) margin[rows[i] * k + j] += v;
  }
}

/** Absolute error: Newton steps on sign gradients are poor, so leaves take the median residual. */
function refitMedian(
  grown: GrownTree,
  rows: Uint32Array,
  y: ArrayLike<number>,
  margin: Float64Array,
  lr: number,
): void {
  for (let l = 0; l < grown.leafNodes.length; l++) {
    const b = grown.leafBegin[l];
    const residuals = new Float64Array(grown.leafEnd[l] - b);
    for (let i = 0; i < residuals.length; i++) residuals[i] = y[rows[b + i]] - margin[rows[b + i]];
    grown.tree.value[grown.leafNodes[l]] = lr * median(residuals);
  }
}
