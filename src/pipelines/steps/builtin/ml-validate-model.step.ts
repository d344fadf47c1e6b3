import { sha256Hex } from '../../../artifacts/index.js';
import { InvalidArgumentError, isGyreError } from '../../../core/index.js';
import {
  parseValidationSuite,
  runValidationSuite,
  validationMetric,
  type RawValue,
  type ServableModel,
  type ValidationTable,
} from '../../../ml/index.js';
import type { BuiltinStep } from '../step-types.js';
import { taskOfModel } from '../training/evaluate-model.js';
import { planFeatures, targetValues } from '../training/featurize.js';
import { loadModel } from '../training/model-files.js';
import { readTable, type Row } from '../training/read-table.js';

const PRIMARY = { regression: 'rmse', binary: 'auc', multiclass: 'accuracy' } as const;

/** The model's inputs as raw columns of `rows`, in signature order. */
function inputTable(model: ServableModel, rows: Row[], uri: string): ValidationTable {
  const names = model.inputs.map((i) => i.name);
  const columns = model.inputs.map((input) =>
    rows.map((r): RawValue => {
      if (!(input.name in r))
        throw new InvalidArgumentError(`model ${uri} needs column ${input.name}`, {
          field: 'dataset',
        });
      const v = r[input.name];
      if (v === null || v === undefined) return input.type === 'double' ? NaN : null;
      return input.type === 'double' ? Number(v) : String(v);
    }),
  );
  return { names, columns, numRows: rows.length };
}

/** Rows evenly spread over the table, at most `n` (behaviour tests predict the table often). */
function sample<T>(rows: T[], n: number): T[] {
  if (rows.length <= n) return rows;
  const step = rows.length / n;
  return Array.from({ length: n }, (_, i) => rows[Math.floor(i * step)]);
}

/**
 * Tests a model beyond its headline metric — slices, invariance, directional and a baseline —
 * and stores the report on the run (an artifact and the `report_json` output). It does not
 * fail on a failed check: a `registry/gate` given the report refuses the candidate with it.
 */
export const mlValidateModelStep: BuiltinStep = {
  uses: 'ml/validate-model',
  description:
    'Validate a model: slice metrics, invariance and directional tests, minimum performance against a baseline.',
  inputs: {
    model: { type: 'artifact', required: true, description: 'The candidate model URI.' },
    dataset: { type: 'dataset', required: true, description: 'The rows the checks run on.' },
    target: { type: 'string', required: true, description: 'The column holding the truth.' },
    suite: {
      type: 'json',
      required: true,
      description: '{metric?, slices?, invariance?, directional?, baseline?} (docs/governance.md).',
    },
    baseline: {
      type: 'string',
      description: 'A model URI to compare with (e.g. models:/fraud@champion); skipped if absent.',
    },
    max_rows: {
      type: 'integer',
      default: 5000,
      description: 'Rows sampled evenly from the dataset for the checks.',
    },
  },
  outputs: {
    passed: { type: 'boolean' },
    failures: { type: 'integer' },
    report: { type: 'artifact' },
    report_json: { type: 'json' },
  },
  async run(ctx, inputs) {
    const suite = parseValidationSuite(inputs.suite);
    const uri = String(inputs.model);
    const target = String(inputs.target);
    const { model, classes } = await loadModel(ctx.services, uri);
    const { version, rows: all } = await readTable(
      ctx.services.data,
      String(inputs.dataset),
      ctx.workDir,
    );
    const rows = sample(all, Number(inputs.max_rows));
    const task = taskOfModel(model);
    if (task === 'multiclass' && (suite.invariance?.length || suite.directional?.length))
      throw new InvalidArgumentError('invariance and directional tests need a one-output model', {
        field: 'suite',
      });
    const plan = classes
      ? { target, task, inputs: [], classes }
      : planFeatures(version, rows, target, { task });
    const y = targetValues(plan, rows);
    const metricName = suite.metric ?? PRIMARY[task];
    const metric = validationMetric(metricName)!;
    const table = inputTable(model, rows, uri);
    const predict = (t: ValidationTable) => model.predictColumns(t.columns);

    let baselinePredictions: Float64Array | undefined;
    if (suite.baseline && inputs.baseline) {
      const baseline = await loadModel(ctx.services, String(inputs.baseline)).catch(
        (error: unknown) => {
          if (isGyreError(error) && error.code === 'NOT_FOUND') return undefined;
          throw error;
        },
      );
      if (!baseline) ctx.log(`baseline ${String(inputs.baseline)} does not exist yet: skipped`);
      else
        baselinePredictions = baseline.model.predictColumns(
          inputTable(baseline.model, rows, String(inputs.baseline)).columns,
        );
    }
    const extraColumns = Object.fromEntries(
      (suite.slices?.columns ?? [])
        .filter((c) => !table.names.includes(c))
        .map((c) => [
          c,
          rows.map((r) => (r[c] === undefined ? null : (r[c] as string | number | null))),
        ]),
    );
    const report = runValidationSuite(suite, {
      table,
      y,
      predict,
      metric,
      extraColumns,
      baselinePredictions,
    });
    ctx.log(
      `${metricName} on ${rows.length} rows of ${version.datasetName}@${version.version}: ${report.overall}`,
    );
    for (const failure of report.failures) ctx.log(`FAILED ${failure}`);
    ctx.log(report.passed ? 'every check passed' : `${report.failures.length} check(s) failed`);

    const text = JSON.stringify(report, null, 2);
    const root = await ctx.services.tracking.runs.artifactRoot(ctx.trackingRunId);
    const path = `${root.storePath}/model-validation.json`;
    if (root.storePath) await ctx.services.artifacts.put(path, text);
    await ctx.services.tracking.runs.logBatch(ctx.trackingRunId, {
      metrics: [
        { key: 'validation_passed', value: report.passed ? 1 : 0, step: 0, timestamp: Date.now() },
        {
          key: 'validation_failures',
          value: report.failures.length,
          step: 0,
          timestamp: Date.now(),
        },
      ],
    });
    return {
      passed: { type: 'boolean', value: report.passed },
      failures: { type: 'integer', value: report.failures.length },
      report: {
        type: 'artifact',
        value: ctx.services.artifacts.uriOf(path),
        digest: sha256Hex(text),
        storePath: path,
      },
      report_json: {
        type: 'json',
        value: JSON.parse(JSON.stringify(report)) as Record<string, unknown>,
      },
    };
  },
};
