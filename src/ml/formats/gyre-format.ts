import { InvalidArgumentError } from '../../core/index.js';
import type { FeatureSpec } from '../feature-spec.js';
import { GbdtModel } from '../gbdt/gbdt-model.js';
import { LinearModel } from '../linear/linear-model.js';
import type { PreprocessorSpec } from '../preprocess/preprocessor.js';
import { Preprocessor } from '../preprocess/preprocessor.js';
import type { SignatureInput } from '../servable-model.js';
import { ServableModel } from '../servable-model.js';
import type { EnsembleHeader, TreeSpec } from '../trees/tree-ensemble.js';
import { buildTreeEnsemble } from '../trees/tree-ensemble.js';
import { arr, field, num, numArray, optionalField, str } from './json-access.js';

export const GYRE_FORMAT = 'gyre-model';
export const GYRE_SCHEMA_VERSION = 1;

/** The on-disk document of a Gyre model (`model.gyre.json`). */
export interface GyreModelDocument {
  format: typeof GYRE_FORMAT;
  schemaVersion: number;
  /** The model signature: raw inputs callers send, and the outputs they get back. */
  signature: {
    inputs: SignatureInput[];
    outputs: { name: string; type: 'double'; shape: number[] }[];
  };
  /** Features the predictor sees, after preprocessing. */
  features: FeatureSpec[];
  preprocessing: PreprocessorSpec | null;
  /** Training parameters, for lineage and retraining. */
  params: Record<string, unknown>;
  model:
    | { kind: 'gbdt'; header: EnsembleHeader; trees: TreeSpec[] }
    | {
        kind: 'linear';
        linearKind: 'regression' | 'logistic';
        weights: number[];
        intercept: number;
      };
}

/** Serialises a model with its preprocessing and signature to Gyre's JSON format. */
export function toGyreDocument(model: ServableModel): GyreModelDocument {
  const p = model.predictor;
  const body: GyreModelDocument['model'] =
    p instanceof GbdtModel
      ? {
          kind: 'gbdt',
          header: {
            numFeatures: p.ensemble.numFeatures,
            numOutputs: p.ensemble.numOutputs,
            baseMargin: [...p.ensemble.baseMargin],
            transform: p.ensemble.transform,
            float32Inputs: p.ensemble.float32Inputs,
          },
          trees: [...p.ensemble.trees],
        }
      : {
          kind: 'linear',
          linearKind: p.kind,
          weights: Array.from(p.weights),
          intercept: p.intercept,
        };
  return {
    format: GYRE_FORMAT,
    schemaVersion: GYRE_SCHEMA_VERSION,
    signature: {
      inputs: model.inputs,
      outputs: [{ name: 'prediction', type: 'double', shape: [-1, model.numOutputs] }],
    },
    features: [...p.features],
    preprocessing: model.preprocessor?.spec ?? null,
    params: { ...p.params },
    model: body,
  };
}

export function serializeGyreModel(model: ServableModel): string {
  return JSON.stringify(toGyreDocument(model));
}

/** Parses and validates a Gyre model document; every problem names the field. */
export function parseGyreModel(text: string): ServableModel {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError('Gyre model is not valid JSON', {}, { cause: error });
  }
  if (field(doc, 'model', 'format') !== GYRE_FORMAT) {
    throw new InvalidArgumentError(`model.format must be ${GYRE_FORMAT}`);
  }
  const version = num(field(doc, 'model', 'schemaVersion'), 'schemaVersion');
  if (version !== GYRE_SCHEMA_VERSION) {
    throw new InvalidArgumentError(`unsupported Gyre model schemaVersion ${version}`, {
      supported: GYRE_SCHEMA_VERSION,
    });
  }
  const d = doc as GyreModelDocument;
  const features = arr(d.features, 'features').map((f, i) => ({
    name: str(field(f, `features[${i}]`, 'name'), `features[${i}].name`),
    type:
      field(f, `features[${i}]`, 'type') === 'categorical'
        ? ('categorical' as const)
        : ('numeric' as const),
    ...((f as FeatureSpec).categories ? { categories: (f as FeatureSpec).categories } : {}),
  }));
  const params = (d.params ?? {}) as Record<string, unknown>;
  const body = field(doc, 'model', 'model');
  const kind = str(field(body, 'model.model', 'kind'), 'model.kind');
  let predictor;
  if (kind === 'gbdt') {
    const g = body as Extract<GyreModelDocument['model'], { kind: 'gbdt' }>;
    predictor = new GbdtModel(
      buildTreeEnsemble(checkHeader(g.header), arr(g.trees, 'model.trees').map(checkTree)),
      features,
      params,
    );
  } else if (kind === 'linear') {
    const l = body as Extract<GyreModelDocument['model'], { kind: 'linear' }>;
    const weights = Float64Array.from(arr(l.weights, 'model.weights'), (v, i) =>
      num(v, `model.weights[${i}]`),
    );
    const linearKind = l.linearKind === 'logistic' ? 'logistic' : 'regression';
    predictor = new LinearModel(
      linearKind,
      weights,
      num(l.intercept, 'model.intercept'),
      features,
      params,
    );
  } else {
    throw new InvalidArgumentError(`unknown model kind ${kind}`);
  }
  const preprocessor = d.preprocessing ? new Preprocessor(d.preprocessing) : null;
  return new ServableModel(predictor, preprocessor);
}

const TRANSFORMS = ['identity', 'sigmoid', 'softmax', 'exp', 'step'] as const;

function checkHeader(doc: unknown): EnsembleHeader {
  const path = 'model.header';
  const transform = str(field(doc, path, 'transform'), `${path}.transform`);
  if (!(TRANSFORMS as readonly string[]).includes(transform)) {
    throw new InvalidArgumentError(`${path}.transform must be one of ${TRANSFORMS.join(', ')}`);
  }
  return {
    numFeatures: num(field(doc, path, 'numFeatures'), `${path}.numFeatures`),
    numOutputs: num(field(doc, path, 'numOutputs'), `${path}.numOutputs`),
    baseMargin: numArray(field(doc, path, 'baseMargin'), `${path}.baseMargin`),
    transform: transform as EnsembleHeader['transform'],
    float32Inputs: field(doc, path, 'float32Inputs') === true,
  };
}

/** Checks a stored tree's arrays so a damaged file fails with a field name, not a TypeError. */
function checkTree(doc: unknown, i: number): TreeSpec {
  const path = `model.trees[${i}]`;
  const nums = (key: string): number[] => numArray(field(doc, path, key), `${path}.${key}`);
  const feature = nums('feature');
  const tree: TreeSpec = {
    output: num(field(doc, path, 'output'), `${path}.output`),
    feature,
    threshold: nums('threshold'),
    left: nums('left'),
    right: nums('right'),
    defaultLeft: arr(field(doc, path, 'defaultLeft'), `${path}.defaultLeft`).map((v) => v === true),
    value: nums('value'),
    gain: optionalField(doc, 'gain') === undefined ? undefined : nums('gain'),
    cover: optionalField(doc, 'cover') === undefined ? undefined : nums('cover'),
  };
  for (const key of ['threshold', 'left', 'right', 'defaultLeft', 'value'] as const) {
    if (tree[key].length !== feature.length) {
      throw new InvalidArgumentError(
        `${path}.${key} has ${tree[key].length} entries, expected ${feature.length}`,
      );
    }
  }
  const cats = optionalField(doc, 'categories');
  if (cats !== undefined) {
    tree.categories = arr(cats, `${path}.categories`).map((c, j) =>
      c === null ? null : numArray(c, `${path}.categories[${j}]`),
    );
  }
  return tree;
}
