import { InvalidArgumentError } from '../../../core/index.js';
import type { ColumnSchema, DatasetVersion } from '../../../data/index.js';
import type { RawColumn, RawValue } from '../../../ml/index.js';
import type { Row } from './read-table.js';

export type Task = 'regression' | 'binary' | 'multiclass';

/** What a model is trained on: the input columns and how the target is encoded. */
export interface FeaturePlan {
  target: string;
  task: Task;
  /** Input columns by name, in order. */
  inputs: ColumnSchema[];
  /** Class labels in code order, for classification. */
  classes?: string[];
}

const USABLE = new Set(['numeric', 'integer', 'categorical', 'boolean']);

/**
 * Chooses inputs from the dataset's schema (numbers, categories, booleans; not free text or
 * timestamps), and the task from the target unless given: a numeric target is regression,
 * anything with two values binary, more multiclass.
 */
export function planFeatures(
  version: DatasetVersion,
  rows: Row[],
  target: string,
  options: { task?: Task; features?: string[] },
): FeaturePlan {
  const column = version.schema.find((c) => c.name === target);
  if (!column)
    throw new InvalidArgumentError(
      `target ${target} is not a column of ${version.datasetName}@${version.version} (columns: ${version.schema.map((c) => c.name).join(', ')})`,
      { field: 'target' },
    );
  const inputs = options.features
    ? options.features.map((name) => {
        const c = version.schema.find((s) => s.name === name);
        if (!c)
          throw new InvalidArgumentError(
            `feature ${name} is not a column of ${version.datasetName}`,
            { field: 'features' },
          );
        return c;
      })
    : version.schema.filter((c) => c.name !== target && USABLE.has(c.logicalType));
  if (inputs.length === 0)
    throw new InvalidArgumentError(`${version.datasetName} has no usable feature columns`, {
      field: 'features',
    });
  const numericTarget = column.logicalType === 'numeric' || column.logicalType === 'integer';
  const values = new Set(rows.map((r) => String(r[target])));
  const task =
    options.task ??
    (numericTarget && values.size > 2 ? 'regression' : values.size <= 2 ? 'binary' : 'multiclass');
  if (task === 'regression') return { target, task, inputs };
  const classes = [...values]
    .filter((v) => v !== 'null' && v !== 'undefined')
    .sort((a, b) => (numericTarget ? Number(a) - Number(b) : a < b ? -1 : 1));
  if (task === 'binary' && classes.length !== 2)
    throw new InvalidArgumentError(
      `binary classification needs 2 classes in ${target}, found ${classes.length}`,
      { field: 'target' },
    );
  return { target, task, inputs, classes };
}

/** The raw input columns (numbers as numbers, categories and booleans as text, null missing). */
export function rawColumns(plan: FeaturePlan, rows: Row[]): RawColumn[] {
  return plan.inputs.map((c) => {
    const numeric = c.logicalType === 'numeric' || c.logicalType === 'integer';
    const values: RawValue[] = rows.map((r) => {
      const v = r[c.name];
      if (v === null || v === undefined) return numeric ? NaN : null;
      return numeric ? Number(v) : String(v);
    });
    return { name: c.name, values };
  });
}

/** The target as numbers: values for regression, class codes for classification. */
export function targetValues(plan: FeaturePlan, rows: Row[]): Float64Array {
  const y = new Float64Array(rows.length);
  const codes = new Map(plan.classes?.map((c, i) => [c, i]));
  rows.forEach((r, i) => {
    const v = r[plan.target];
    if (v === null || v === undefined)
      throw new InvalidArgumentError(
        `target ${plan.target} is missing in row ${i}; filter or validate first`,
        { field: 'target' },
      );
    y[i] = plan.task === 'regression' ? Number(v) : (codes.get(String(v)) ?? NaN);
  });
  return y;
}
