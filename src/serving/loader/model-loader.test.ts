// The loader takes a model URI through the registry and the artifact store to a warmed
// runtime, picking the best flavor; a model Gyre cannot evaluate is refused by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModelDirectory, exportOnnx } from '../../ml/index.js';
import { createTestGyre, type TestGyre } from '../../test-gyre.js';
import type { FeatureBatch } from '../runtimes/model-runtime.js';
import {
  housingRows,
  putModelDirectory,
  registerModel,
  trainHousingGbdt,
  trainHousingLinear,
  HOUSING_COLUMNS,
} from '../test-models.js';
import { ModelLoader } from './model-loader.js';

describe('ModelLoader', () => {
  let t: TestGyre;
  let loader: ModelLoader;
  const model = trainHousingGbdt();
  const rows = housingRows().rows.slice(0, 100);

  beforeAll(async () => {
    t = await createTestGyre('sqlite');
    loader = new ModelLoader(t.gyre.registry, t.gyre.artifacts);
    await registerModel(t.gyre, 'housing', model);
    await t.gyre.registry.setAlias('housing', 'champion', 1);
  });
  afterAll(() => t.close());

  it('loads models:/name@alias into the native runtime, predicting like the model', async () => {
    const resolved = await loader.resolve('models:/housing@champion');
    expect(resolved).toMatchObject({ name: 'housing', version: 1, key: 'housing/1' });
    const loaded = await loader.load(resolved);
    expect(loaded.flavor).toBe('gyre');
    expect(loaded.runtime.signature.inputs.map((i) => i.name)).toContain('ocean_proximity');
    const ocean = loaded.runtime.signature.inputs.find((i) => i.name === 'ocean_proximity');
    expect(ocean).toMatchObject({ type: 'string', categories: expect.arrayContaining(['INLAND']) });

    const expected = model.predictColumns(rows[0].map((_, c) => rows.map((r) => r[c])));
    // Row by row (small requests) and through the batch evaluator (large ones).
    for (const batch of [
      { layout: 'rows', numRows: 3, rows: rows.slice(0, 3) },
      { layout: 'rows', numRows: 100, rows },
    ] as FeatureBatch[]) {
      const out = new Float64Array(batch.numRows);
      loaded.runtime.predict(batch, out);
      for (let i = 0; i < batch.numRows; i++) expect(out[i]).toBeCloseTo(expected[i], 10);
    }
    const columns: FeatureBatch = {
      layout: 'columns',
      numRows: 2,
      columns: rows[0].map((_, c) => [rows[0][c], rows[1][c]]),
    };
    const out = new Float64Array(2);
    loaded.runtime.predict(columns, out);
    expect(out[1]).toBeCloseTo(expected[1], 10);
  });

  it('refuses a model with only a python_function flavor, naming the flavors it serves', async () => {
    await t.gyre.registry.createModel({ name: 'pyfunc-only' });
    await putModelDirectory(
      t.gyre.artifacts,
      'pyfunc/model',
      new Map([['MLmodel', 'flavors:\n  python_function: {loader_module: my.module}\n']]),
    );
    await t.gyre.registry.createVersion({
      name: 'pyfunc-only',
      source: t.gyre.artifacts.uriOf('pyfunc/model'),
    });
    const resolved = await loader.resolve('models:/pyfunc-only/1');
    await expect(loader.inspect(resolved)).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringMatching(
        /only the flavors python_function.*gyre, xgboost, lightgbm, onnx/,
      ),
    });
  });

  it('serves the onnx flavor through onnxruntime when it is the only one', async () => {
    const linear = trainHousingLinear();
    const files = buildModelDirectory(linear, {
      modelUuid: 'x',
      createdAt: new Date(0),
      onnx: { bytes: exportOnnx(linear.predictor), opset: 17 },
    });
    // Keep only the ONNX flavor: drop Gyre's own.
    const manifest = String(files.get('MLmodel')).replace(/^ {2}gyre:\n( {4}.*\n)+/m, '');
    files.set('MLmodel', manifest);
    files.delete('model.gyre.json');
    await putModelDirectory(t.gyre.artifacts, 'onnx/model', files);
    await t.gyre.registry.createModel({ name: 'onnx-only' });
    await t.gyre.registry.createVersion({
      name: 'onnx-only',
      source: t.gyre.artifacts.uriOf('onnx/model'),
    });
    const loaded = await loader.load(await loader.resolve('models:/onnx-only/1'));
    expect(loaded.flavor).toBe('onnx');
    // The export takes features after preprocessing: numeric rows pass straight through.
    const numeric = [
      'longitude',
      'latitude',
      'housing_median_age',
      'total_rooms',
      'population',
      'households',
      'median_income',
    ];
    const raw = numeric.map((name) =>
      rows.slice(0, 4).map((r) => r[HOUSING_COLUMNS.indexOf(name as never)]),
    );
    const x = linear.preprocessor!.transformColumns(raw);
    const featureRows = Array.from({ length: 4 }, (_, r) =>
      Array.from(x.values.subarray(r * x.numCols, (r + 1) * x.numCols)),
    );
    const out = new Float64Array(4);
    await loaded.runtime.predict({ layout: 'rows', numRows: 4, rows: featureRows }, out);
    const expected = linear.predictMatrix(x);
    for (let i = 0; i < 4; i++) expect(out[i]).toBeCloseTo(expected[i], 4);
    await loaded.runtime.unload();
  });

  it('serves a LightGBM text model logged by MLflow through the native evaluator', async () => {
    const text = [
      'tree',
      'version=v4',
      'num_class=1',
      'num_tree_per_iteration=1',
      'label_index=0',
      'max_feature_idx=1',
      'objective=regression',
      'feature_names=a b',
      'tree_sizes=0',
      '',
      'Tree=0',
      'num_leaves=2',
      'num_cat=0',
      'split_feature=0',
      'split_gain=1',
      'threshold=0.5',
      'decision_type=2',
      'left_child=-1',
      'right_child=-2',
      'leaf_value=1 2',
      'shrinkage=1',
      '',
      'end of trees',
      '',
    ].join('\n');
    const manifest = [
      'flavors:',
      '  python_function: {loader_module: mlflow.lightgbm, data: model.lgb}',
      '  lightgbm: {data: model.lgb, model_class: lightgbm.basic.Booster}',
      'signature:',
      `  inputs: '[{"type": "double", "name": "a"}, {"type": "long", "name": "b"}]'`,
      '',
    ].join('\n');
    await putModelDirectory(
      t.gyre.artifacts,
      'lgb/model',
      new Map([
        ['MLmodel', manifest],
        ['model.lgb', text],
      ]),
    );
    await t.gyre.registry.createModel({ name: 'lgb' });
    await t.gyre.registry.createVersion({
      name: 'lgb',
      source: t.gyre.artifacts.uriOf('lgb/model'),
    });
    const loaded = await loader.load(await loader.resolve('models:/lgb/1'));
    expect(loaded.flavor).toBe('lightgbm');
    // The MLflow signature's types refine the model's own view: b must be an integer.
    expect(loaded.runtime.signature.inputs).toMatchObject([
      { name: 'a', type: 'double', nullable: true },
      { name: 'b', type: 'long', nullable: false },
    ]);
    const out = new Float64Array(2);
    await loaded.runtime.predict(
      {
        layout: 'rows',
        numRows: 2,
        rows: [
          [0, 1],
          [1, 1],
        ],
      },
      out,
    );
    expect([...out]).toEqual([1, 2]);
  });
});
