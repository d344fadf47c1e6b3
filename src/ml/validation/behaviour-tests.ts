import { SeededRandom } from '../random.js';
import type { RawValue } from '../preprocess/preprocessor.js';
import type {
  DirectionalResult,
  InvarianceResult,
  Predict,
  ValidationTable,
} from './validation-types.js';

/** The table with one column replaced. */
function withColumn(table: ValidationTable, index: number, column: RawValue[]): ValidationTable {
  const columns = table.columns.slice();
  columns[index] = column;
  return { ...table, columns };
}

function columnIndex(table: ValidationTable, column: string): number {
  const index = table.names.indexOf(column);
  if (index < 0)
    throw new Error(`column ${column} is not a model input (inputs: ${table.names.join(', ')})`);
  return index;
}

export interface InvarianceSpec {
  column: string;
  /** Set the column to each of these on every row; without values, shuffle it across rows. */
  values?: RawValue[];
  /** How far a prediction may move (absolute). */
  tolerance: number;
  seed?: number;
}

/**
 * Changing a feature that should not matter must not move predictions beyond `tolerance`:
 * the column is set to each given value (or shuffled across rows) and every row compared.
 */
export function invarianceTests(
  predict: Predict,
  table: ValidationTable,
  base: Float64Array,
  spec: InvarianceSpec,
): InvarianceResult[] {
  const index = columnIndex(table, spec.column);
  const changes: { change: string; column: RawValue[] }[] = spec.values
    ? spec.values.map((v) => ({
        change: String(v),
        column: new Array<RawValue>(table.numRows).fill(v),
      }))
    : [{ change: 'shuffled', column: shuffled(table.columns[index], spec.seed ?? 7) }];
  return changes.map(({ change, column }) => {
    const moved = predict(withColumn(table, index, column));
    let maxChange = 0;
    let violations = 0;
    for (let r = 0; r < table.numRows; r++) {
      const d = Math.abs(moved[r] - base[r]);
      if (d > maxChange) maxChange = d;
      if (d > spec.tolerance) violations++;
    }
    return {
      column: spec.column,
      change,
      tolerance: spec.tolerance,
      maxChange,
      violations,
      passed: violations === 0,
    };
  });
}

function shuffled(values: readonly RawValue[], seed: number): RawValue[] {
  const out = values.slice();
  const random = new SeededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export interface DirectionalSpec {
  column: string;
  /** Added to the (numeric) column on every row. */
  shift: number;
  expect: 'increase' | 'decrease';
  /** How far a prediction may move the wrong way before it counts (default 0). */
  tolerance?: number;
}

/**
 * Moving a feature one way must move predictions the expected way (more income does not
 * lower the predicted price): rows that move the wrong way beyond `tolerance` are violations.
 */
export function directionalTest(
  predict: Predict,
  table: ValidationTable,
  base: Float64Array,
  spec: DirectionalSpec,
): DirectionalResult {
  const index = columnIndex(table, spec.column);
  const column = table.columns[index].map((v) =>
    typeof v === 'number' ? v + spec.shift : v === null ? null : Number(v) + spec.shift,
  );
  const moved = predict(withColumn(table, index, column));
  const tolerance = spec.tolerance ?? 0;
  const sign = spec.expect === 'increase' ? 1 : -1;
  let violations = 0;
  let worstChange = 0;
  for (let r = 0; r < table.numRows; r++) {
    const d = (moved[r] - base[r]) * sign;
    if (d < worstChange) worstChange = d;
    if (d < -tolerance) violations++;
  }
  return {
    column: spec.column,
    shift: spec.shift,
    expect: spec.expect,
    tolerance,
    violations,
    worstChange: worstChange * sign,
    passed: violations === 0,
  };
}
