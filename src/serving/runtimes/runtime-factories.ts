import { FailedPreconditionError } from '../../core/index.js';
import type { RuntimeFactory } from './model-runtime.js';
import { onnxFactory } from './onnx/onnx-factory.js';
import { gyreFactory, lightgbmFactory, xgboostFactory } from './trees/trees-factories.js';

/**
 * The flavors Gyre serves, in order of preference: when a model directory holds several
 * (Gyre writes `gyre` beside `xgboost` and `onnx`), the native evaluator wins.
 */
export const RUNTIME_FACTORIES: readonly RuntimeFactory[] = [
  gyreFactory,
  xgboostFactory,
  lightgbmFactory,
  onnxFactory,
];

export const SERVABLE_FLAVORS: readonly string[] = RUNTIME_FACTORIES.map((f) => f.flavor);

/**
 * The factory for the best flavor a model has. A model Gyre cannot evaluate (say, one logged
 * with only `python_function`) is refused with the flavors it has and those Gyre serves.
 */
export function factoryFor(flavors: readonly string[], model: string): RuntimeFactory {
  const factory = RUNTIME_FACTORIES.find((f) => flavors.includes(f.flavor));
  if (factory) return factory;
  throw new FailedPreconditionError(
    `model ${model} has ${flavors.length > 0 ? `only the flavors ${flavors.join(', ')}` : 'no flavors'}; Gyre serves models with one of: ${SERVABLE_FLAVORS.join(', ')}`,
    { model, flavors: [...flavors], servable: [...SERVABLE_FLAVORS] },
  );
}
