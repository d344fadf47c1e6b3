import { InvalidArgumentError } from '../../core/index.js';
import type { FeatureSpec } from '../feature-spec.js';
import type { EnsembleHeader, TreeSpec } from '../trees/tree-ensemble.js';
import { buildTreeEnsemble } from '../trees/tree-ensemble.js';
import type { BinnedDataset } from './binned-dataset.js';
import { evalMetricFor } from './eval-metric.js';
import { GbdtModel } from './gbdt-model.js';
import type { GbdtParams } from './gbdt-params.js';
import { makeObjective, median } from './objectives.js';
import { openTaskRunner } from './parallel/open-task-runner.js';
import { SeededRandom } from '../random.js';
import type { TaskRunner } from './task-runner.js';
import type { GrownTree } from './tree-grower.js';
import { TreeGrower, histogramSlots, maxTreeNodes } from './tree-grower.js';
import { COMMAND, CONTROL, JOB, NODE, ROW_CHUNK } from './training-layout.js';
import { TrainingKernels } from './training-kernels.js';
import type { SessionSpec, SessionViews } from './training-session.js';
import { allocateSessionBuffers, viewSession } from './training-session.js';

/** Training data already binned into shared memory, labels included. */
export interface BinnedTrainInput {
  data: BinnedDataset;
  /** Labels over a SharedArrayBuffer, one per row. */
  labels: Float64Array | Float32Array;
  /** Optional per-row weights over a SharedArrayBuffer. */
  weights: Float64Array | null;
  features: readonly FeatureSpec[];
  /** Held-out data binned with the training cuts (see `binDenseMatrix(…, true)`). */
  validation: { data: BinnedDataset; y: ArrayLike<number> } | null;
  params: GbdtParams;
  numThreads: number;
  onRound?: (round: number, train: number, validation: number | null) => void;
}

/**
 * The boosting loop over binned data: gradients, one tree per output, margin updates for
 * the training and validation rows, metrics and early stopping. Every step over rows runs
 * as tasks on the task runner's threads.
 */
export function trainBinnedGbdt(input: BinnedTrainInput): GbdtModel {
  const p = input.params;
  const { data, labels } = input;
  const n = data.numRows;
  if (labels.length !== n)
    throw new InvalidArgumentError(`y has ${labels.length} rows, x has ${n}`);
  if (n === 0) throw new InvalidArgumentError('training needs at least one row');
  const numClass = p.objective === 'multiclass_softmax' ? p.numClass : 1;
  const objective = makeObjective(p.objective, numClass, labels);
  const k = objective.numOutputs;
  const header: EnsembleHeader = {
    numFeatures: data.numFeatures,
    numOutputs: k,
    baseMargin: objective.initMargin(labels, input.weights),
    transform: objective.transform,
    float32Inputs: true,
  };
  const valid = input.validation;
  if (valid && valid.data.numFeatures !== data.numFeatures) {
    throw new InvalidArgumentError('validation x has a different width');
  }
  if (valid && valid.y.length !== valid.data.numRows) {
    throw new InvalidArgumentError('validation y and x have different lengths');
  }
  const maxNodes = maxTreeNodes(p);
  const histSlots = histogramSlots(p);
  const buffers = allocateSessionBuffers(
    {
      numRows: n,
      numOutputs: k,
      validRows: valid ? valid.data.numRows : 0,
      histSlots,
      maxNodes,
      labelsAreFloat32: labels instanceof Float32Array,
      hasWeights: input.weights !== null,
    },
    data.mapper,
  );
  buffers.labels = labels.buffer as SharedArrayBuffer;
  buffers.weights = input.weights ? (input.weights.buffer as SharedArrayBuffer) : null;
  const spec: SessionSpec = {
    numRows: n,
    numOutputs: k,
    mapper: data.mapper,
    blockWidths: data.blocks.map((b) => b.width),
    validBlockWidths: valid ? valid.data.blocks.map((b) => b.width) : [],
    dataBuffer: data.buffer,
    dataCapacity: data.capacity,
    validRows: valid ? valid.data.numRows : 0,
    validCapacity: valid ? valid.data.capacity : 0,
    validBuffer: valid ? valid.data.buffer : null,
    gradient: {
      objective: p.objective,
      numClass,
      huberDelta: p.huberDelta,
      subsample: p.subsample,
      seed: p.seed,
    },
    split: p,
    histSlots,
    maxJobs: buffers.maxJobs,
    maxNodes,
    buffers,
  };
  const s = viewSession(spec);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++) s.margin[i * k + j] = header.baseMargin[j];
  if (s.validMargin) {
    for (let i = 0; i < s.validMargin.length; i++) s.validMargin[i] = header.baseMargin[i % k];
  }
  const kernels = new TrainingKernels(s);
  const runner = openTaskRunner(spec, kernels, input.numThreads);
  try {
    return boost(input, s, runner, header, objective.refitLeavesToMedian);
  } finally {
    runner.close();
  }
}

function boost(
  input: BinnedTrainInput,
  s: SessionViews,
  runner: TaskRunner,
  header: EnsembleHeader,
  refitMedian: boolean,
): GbdtModel {
  const p = input.params;
  const n = s.spec.numRows;
  const k = header.numOutputs;
  const numFeatures = s.data.numFeatures;
  const numChunks = Math.ceil(n / ROW_CHUNK);
  const grower = new TreeGrower(s, runner, s.data.blocks.length, p);
  const rng = new SeededRandom(p.seed);
  const metric = evalMetricFor(p.objective, k);
  const valid = input.validation;
  const trees: TreeSpec[] = [];
  const history = { metric: metric.name, train: [] as number[], validation: [] as number[] };
  let best = Infinity;
  let bestRound = -1;
  for (let round = 0; round < p.numRounds; round++) {
    s.control[CONTROL.ROUND] = round;
    runner.run(COMMAND.GRADIENTS, numChunks, n * k * 4);
    sampleFeatures(s.featureMask, numFeatures, p.colsampleByTree, rng);
    for (let j = 0; j < k; j++) {
      if (j > 0) for (let i = 0; i < n; i++) s.rows[i] = i;
      let G = 0;
      let H = 0;
      for (let c = 0; c < numChunks; c++) {
        G += s.chunkSums[2 * (c * k + j)];
        H += s.chunkSums[2 * (c * k + j) + 1];
      }
      s.control[CONTROL.OUTPUT] = j;
      const grown = grower.grow(j, G, H);
      if (refitMedian) refitLeavesToMedian(grown, s, p.learningRate);
      runner.run(COMMAND.LEAF_UPDATE, writeLeafJobs(grown, s.jobs), n);
      if (s.valid) {
        const validRows = s.valid.numRows;
        runner.run(COMMAND.VALID_UPDATE, Math.ceil(validRows / ROW_CHUNK), validRows * p.maxDepth);
      }
      trees.push(grown.tree);
    }
    // The train metric costs a pass over all rows; only pay for it when someone looks.
    const wantTrain = valid !== null || input.onRound !== undefined;
    const trainScore = wantTrain ? metric.compute(input.labels, s.margin, header) : NaN;
    if (wantTrain) history.train.push(trainScore);
    let validScore: number | null = null;
    if (valid && s.validMargin) {
      validScore = metric.compute(valid.y, s.validMargin, header);
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
  const stopped = valid !== null && p.earlyStoppingRounds > 0;
  const kept = stopped ? trees.slice(0, (bestRound + 1) * k) : trees;
  const ensemble = buildTreeEnsemble(header, kept);
  return new GbdtModel(ensemble, input.features, { ...p }, stopped ? bestRound : null, history);
}

/** Column sampling per round; the mask marks the features trees may split on. */
function sampleFeatures(
  mask: Uint8Array,
  numFeatures: number,
  fraction: number,
  rng: SeededRandom,
): void {
  if (fraction >= 1) {
    mask.fill(1);
    return;
  }
  mask.fill(0);
  const chosen = rng.sampleIndices(numFeatures, Math.max(1, Math.round(fraction * numFeatures)));
  for (const f of chosen) mask[f] = 1;
}

/** One leaf-update job per leaf, large leaves cut into row chunks so threads share them. */
function writeLeafJobs(grown: GrownTree, jobs: Float64Array): number {
  let count = 0;
  for (let l = 0; l < grown.leafNodes.length; l++) {
    const value = grown.tree.value[grown.leafNodes[l]];
    for (let b = grown.leafBegin[l]; b < grown.leafEnd[l]; b += ROW_CHUNK) {
      const at = count++ * JOB.STRIDE;
      jobs[at + JOB.BEGIN] = b;
      jobs[at + JOB.END] = Math.min(grown.leafEnd[l], b + ROW_CHUNK);
      jobs[at + JOB.VALUE] = value;
    }
  }
  return count;
}

/** Absolute error: Newton steps on sign gradients are poor, so leaves take the median residual. */
function refitLeavesToMedian(grown: GrownTree, s: SessionViews, lr: number): void {
  const { rows, labels, margin, nodes } = s;
  for (let l = 0; l < grown.leafNodes.length; l++) {
    const b = grown.leafBegin[l];
    const residuals = new Float64Array(grown.leafEnd[l] - b);
    for (let i = 0; i < residuals.length; i++) {
      residuals[i] = labels[rows[b + i]] - margin[rows[b + i]];
    }
    const value = lr * median(residuals);
    grown.tree.value[grown.leafNodes[l]] = value;
    nodes[grown.leafNodes[l] * NODE.STRIDE + NODE.VALUE] = value;
  }
}
