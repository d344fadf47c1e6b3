import type { RawValue } from '../preprocess/preprocessor.js';

/** Rows as named raw columns, the shape models take their inputs in. */
export interface ValidationTable {
  names: readonly string[];
  columns: readonly (readonly RawValue[])[];
  numRows: number;
}

/** Predicts a table's rows (one output per row; the positive-class probability for binary). */
export type Predict = (table: ValidationTable) => Float64Array;

/** A metric over truth and predictions, and which way is better. */
export interface ValidationMetric {
  name: string;
  higherIsBetter: boolean;
  compute(y: ArrayLike<number>, pred: ArrayLike<number>): number;
}

export interface SliceResult {
  column: string;
  value: string;
  rows: number;
  metric: number;
  /** Worse than the whole set by more than the threshold. */
  flagged: boolean;
}

export interface InvarianceResult {
  column: string;
  /** What the column was changed to: a value, or `shuffled`. */
  change: string;
  tolerance: number;
  maxChange: number;
  /** Rows whose prediction moved by more than the tolerance. */
  violations: number;
  passed: boolean;
}

export interface DirectionalResult {
  column: string;
  shift: number;
  expect: 'increase' | 'decrease';
  tolerance: number;
  /** Rows whose prediction moved the wrong way by more than the tolerance. */
  violations: number;
  worstChange: number;
  passed: boolean;
}

export interface BaselineResult {
  metric: string;
  candidate: number;
  baseline: number;
  /** Relative margin the candidate may lose by (0.02: at most 2% worse). */
  tolerance: number;
  passed: boolean;
}

/** The outcome of a validation suite: what a gate reads and a model card shows. */
export interface ModelValidationReport {
  passed: boolean;
  /** One sentence per failed check. */
  failures: string[];
  rows: number;
  metric: string;
  overall: number;
  slices: SliceResult[];
  invariance: InvarianceResult[];
  directional: DirectionalResult[];
  baseline?: BaselineResult;
}
