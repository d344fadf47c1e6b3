import type { BinnedDataset } from './binned-dataset.js';
import { viewBinnedDataset } from './binned-dataset.js';
import type { GradientSpec } from './gradients.js';
import type { BinMapper } from './quantile-binner.js';
import type { SplitParams } from './split-finder.js';
import { CONTROL, JOB, NODE, ROW_CHUNK, SPLIT } from './training-layout.js';

/**
 * Everything one training run shares between threads: plain settings plus
 * SharedArrayBuffers. Posted to each worker once per run (buffers are shared, not copied);
 * after that threads talk only through these buffers.
 */
export interface SessionSpec {
  numRows: number;
  numOutputs: number;
  mapper: BinMapper;
  blockWidths: number[];
  validBlockWidths: number[];
  dataBuffer: SharedArrayBuffer;
  dataCapacity: number;
  validRows: number;
  validCapacity: number;
  validBuffer: SharedArrayBuffer | null;
  gradient: GradientSpec;
  split: SplitParams;
  histSlots: number;
  maxJobs: number;
  maxNodes: number;
  buffers: {
    control: SharedArrayBuffer;
    labels: SharedArrayBuffer;
    labelsAreFloat32: boolean;
    weights: SharedArrayBuffer | null;
    margin: SharedArrayBuffer;
    validMargin: SharedArrayBuffer | null;
    gh: SharedArrayBuffer;
    rows: SharedArrayBuffer;
    scratch: SharedArrayBuffer;
    hist: SharedArrayBuffer;
    splits: SharedArrayBuffer;
    jobs: SharedArrayBuffer;
    nodes: SharedArrayBuffer;
    featureMask: SharedArrayBuffer;
    chunkSums: SharedArrayBuffer;
  };
}

/** Typed views over a {@link SessionSpec}'s buffers, as every thread sees them. */
export interface SessionViews {
  spec: SessionSpec;
  data: BinnedDataset;
  valid: BinnedDataset | null;
  control: Int32Array;
  labels: Float64Array | Float32Array;
  weights: Float64Array | null;
  margin: Float64Array;
  validMargin: Float64Array | null;
  gh: Float32Array;
  /** Row indices (Int32: V8 keeps int32 arithmetic on them, Uint32 loads may become doubles). */
  rows: Int32Array;
  scratch: Int32Array;
  hist: Float64Array;
  /** Floats per histogram slot. */
  histSize: number;
  splits: Float64Array;
  jobs: Float64Array;
  nodes: Float64Array;
  featureMask: Uint8Array;
  chunkSums: Float64Array;
}

const shared = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(Math.max(8, bytes));

/** Sizes of the shared buffers one run needs. */
export interface SessionSizes {
  numRows: number;
  numOutputs: number;
  validRows: number;
  histSlots: number;
  maxNodes: number;
  labelsAreFloat32: boolean;
  hasWeights: boolean;
}

/** Allocates the per-run buffers (the binned data is allocated by its builder). */
export function allocateSessionBuffers(
  sizes: SessionSizes,
  mapper: BinMapper,
): SessionSpec['buffers'] & { maxJobs: number } {
  const n = sizes.numRows;
  const k = sizes.numOutputs;
  const numFeatures = mapper.numBins.length;
  const histSize = 2 * mapper.binOffset[numFeatures];
  const numChunks = Math.ceil(n / ROW_CHUNK);
  // Leaf updates are split into row chunks, so a run needs a job per node plus per chunk.
  const maxJobs = sizes.maxNodes + numChunks + 1;
  return {
    maxJobs,
    control: shared(CONTROL.SIZE * 4),
    labels: shared(n * (sizes.labelsAreFloat32 ? 4 : 8)),
    labelsAreFloat32: sizes.labelsAreFloat32,
    weights: sizes.hasWeights ? shared(n * 8) : null,
    margin: shared(n * k * 8),
    validMargin: sizes.validRows > 0 ? shared(sizes.validRows * k * 8) : null,
    gh: shared(n * k * 2 * 4),
    rows: shared(n * 4),
    scratch: shared(n * 4),
    hist: shared(sizes.histSlots * histSize * 8),
    splits: shared(2 * maxJobs * numFeatures * SPLIT.STRIDE * 8),
    jobs: shared(maxJobs * JOB.STRIDE * 8),
    nodes: shared(sizes.maxNodes * NODE.STRIDE * 8),
    featureMask: shared(numFeatures),
    chunkSums: shared(numChunks * k * 2 * 8),
  };
}

/** Builds typed views over a session's buffers (in the main thread or a worker). */
export function viewSession(spec: SessionSpec): SessionViews {
  const b = spec.buffers;
  const numFeatures = spec.mapper.numBins.length;
  return {
    spec,
    data: viewBinnedDataset(
      spec.dataBuffer,
      spec.mapper,
      spec.numRows,
      spec.blockWidths,
      spec.dataCapacity,
    ),
    valid: spec.validBuffer
      ? viewBinnedDataset(
          spec.validBuffer,
          spec.mapper,
          spec.validRows,
          spec.validBlockWidths,
          spec.validCapacity,
        )
      : null,
    control: new Int32Array(b.control),
    labels: b.labelsAreFloat32 ? new Float32Array(b.labels) : new Float64Array(b.labels),
    weights: b.weights ? new Float64Array(b.weights) : null,
    margin: new Float64Array(b.margin),
    validMargin: b.validMargin ? new Float64Array(b.validMargin) : null,
    gh: new Float32Array(b.gh),
    rows: new Int32Array(b.rows),
    scratch: new Int32Array(b.scratch),
    hist: new Float64Array(b.hist),
    histSize: 2 * spec.mapper.binOffset[numFeatures],
    splits: new Float64Array(b.splits),
    jobs: new Float64Array(b.jobs),
    nodes: new Float64Array(b.nodes),
    featureMask: new Uint8Array(b.featureMask),
    chunkSums: new Float64Array(b.chunkSums),
  };
}
