import { InvalidArgumentError } from '../../../core/index.js';
import type { RawValue } from '../../../ml/index.js';
import type { StepServices } from '../step-types.js';
import { evaluatePredictions, taskOfModel, type Evaluation } from './evaluate-model.js';
import { planFeatures, targetValues } from './featurize.js';
import { loadModel } from './model-files.js';
import { readTable } from './read-table.js';

/**
 * Evaluates a model (any URI the registry resolves) on a dataset version: the rows go in
 * raw, in the model's signature order, so the model's own preprocessing applies.
 */
export async function scoreModel(
  services: StepServices,
  modelUri: string,
  datasetRef: string,
  target: string,
  workDir: string,
): Promise<Evaluation & { dataset: string }> {
  const { model, classes } = await loadModel(services, modelUri);
  const { version, rows } = await readTable(services.data, datasetRef, workDir);
  const columns: RawValue[][] = model.inputs.map((input) => {
    if (!version.schema.some((c) => c.name === input.name))
      throw new InvalidArgumentError(
        `model ${modelUri} needs column ${input.name}, which ${version.datasetName} lacks`,
        { field: 'dataset' },
      );
    return rows.map((r) => {
      const v = r[input.name];
      if (v === null || v === undefined) return input.type === 'double' ? NaN : null;
      return input.type === 'double' ? Number(v) : String(v);
    });
  });
  const task = taskOfModel(model);
  // Only the target's encoding is needed; classes are sorted as at training time.
  const plan =
    classes && version.schema.some((c) => c.name === target)
      ? { target, task, inputs: [], classes }
      : planFeatures(version, rows, target, { task });
  const y = targetValues(plan, rows);
  const evaluation = evaluatePredictions(model, task, y, model.predictColumns(columns));
  return { ...evaluation, dataset: `${version.datasetName}@${version.version}` };
}
