import { directionalTest, invarianceTests } from './behaviour-tests.js';
import { sliceMetrics } from './slice-metrics.js';
import type {
  BaselineResult,
  ModelValidationReport,
  Predict,
  ValidationMetric,
  ValidationTable,
} from './validation-types.js';
import type { ModelValidationSuite } from './validation-suite.js';

export interface SuiteInput {
  table: ValidationTable;
  /** The truth per row. */
  y: ArrayLike<number>;
  predict: Predict;
  metric: ValidationMetric;
  /** Slice columns may be any column of the data, not only model inputs. */
  extraColumns?: Record<string, readonly (string | number | null)[]>;
  /** The baseline model's predictions on the same rows, when the suite compares with one. */
  baselinePredictions?: Float64Array;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));

/** Runs every check of a suite over one table and says, sentence by sentence, what failed. */
export function runValidationSuite(
  suite: ModelValidationSuite,
  input: SuiteInput,
): ModelValidationReport {
  const { table, y, predict, metric } = input;
  const base = predict(table);
  const overall = metric.compute(y, base);
  const failures: string[] = [];

  const slices = (suite.slices?.columns ?? []).flatMap((column) => {
    const index = table.names.indexOf(column);
    const values = index >= 0 ? table.columns[index] : input.extraColumns?.[column];
    if (!values) throw new Error(`slice column ${column} is not in the data`);
    return sliceMetrics(column, values, y, base, metric, suite.slices!);
  });
  for (const s of slices.filter((x) => x.flagged))
    failures.push(
      `slice ${s.column} = ${s.value} (${s.rows} rows): ${metric.name} ${fmt(s.metric)} is worse than the overall ${fmt(overall)} by more than ${suite.slices!.threshold}`,
    );

  const invariance = (suite.invariance ?? []).flatMap((spec) =>
    invarianceTests(predict, table, base, spec),
  );
  for (const t of invariance.filter((x) => !x.passed))
    failures.push(
      `invariance ${t.column} → ${t.change}: ${t.violations} of ${table.numRows} predictions moved by more than ${t.tolerance} (at most ${fmt(t.maxChange)})`,
    );

  const directional = (suite.directional ?? []).map((spec) =>
    directionalTest(predict, table, base, spec),
  );
  for (const t of directional.filter((x) => !x.passed))
    failures.push(
      `directional ${t.column} + ${t.shift}: ${t.violations} of ${table.numRows} predictions did not ${t.expect} (worst change ${fmt(t.worstChange)})`,
    );

  let baseline: BaselineResult | undefined;
  if (suite.baseline && input.baselinePredictions) {
    const value = metric.compute(y, input.baselinePredictions);
    const margin = suite.baseline.tolerance * Math.abs(value);
    const passed = metric.higherIsBetter ? overall >= value - margin : overall <= value + margin;
    baseline = {
      metric: metric.name,
      candidate: overall,
      baseline: value,
      tolerance: suite.baseline.tolerance,
      passed,
    };
    if (!passed)
      failures.push(
        `minimum performance: ${metric.name} ${fmt(overall)} is worse than the baseline's ${fmt(value)} beyond the tolerance ${suite.baseline.tolerance}`,
      );
  }
  return {
    passed: failures.length === 0,
    failures,
    rows: table.numRows,
    metric: metric.name,
    overall,
    slices,
    invariance,
    directional,
    ...(baseline ? { baseline } : {}),
  };
}
