import { describe, expect, it } from 'vitest';
import { matrixFromColumns } from '../dense-matrix.js';
import { trainGbdt } from '../gbdt/train-gbdt.js';
import { trainLogisticRegression } from '../linear/train-linear.js';
import { fitPreprocessor } from '../preprocess/fit-preprocessor.js';
import { SeededRandom } from '../random.js';
import { ServableModel } from '../servable-model.js';
import { parseGyreModel, serializeGyreModel, toGyreDocument } from './gyre-format.js';
import { buildModelDirectory, loadModelDirectory, parseMlmodel } from './model-directory.js';

const rng = new SeededRandom(3);
const n = 400;
const size = Array.from({ length: n }, () => (rng.next() < 0.05 ? null : rng.next() * 100));
const color = Array.from({ length: n }, () => ['red', 'green', 'blue'][rng.nextInt(3)]);
const y = size.map((s, i) => ((s ?? 50) + (color[i] === 'red' ? 30 : 0) > 70 ? 1 : 0));
const raw = [size, color];

describe('Gyre model format', () => {
  it('round-trips a GBDT with its preprocessing and predicts raw rows identically', () => {
    const pre = fitPreprocessor(
      [
        { name: 'size', values: size },
        { name: 'color', values: color },
      ],
      { impute: 'none', categorical: 'ordinal' },
    );
    const x = pre.transformColumns(raw);
    const gbdt = trainGbdt({
      x,
      y,
      features: pre.outputFeatures,
      params: { objective: 'binary_logloss', numRounds: 20 },
    });
    const model = new ServableModel(gbdt, pre);
    const text = serializeGyreModel(model);
    const loaded = parseGyreModel(text);
    expect(loaded.predictColumns(raw)).toEqual(model.predictColumns(raw));
    expect(serializeGyreModel(loaded)).toBe(text);
    const doc = toGyreDocument(model);
    expect(doc.signature.inputs).toEqual([
      { name: 'size', type: 'double' },
      { name: 'color', type: 'string' },
    ]);
    const out = new Float64Array(1);
    loaded.predictRowInto([size[5], color[5]], out);
    expect(out[0]).toBeCloseTo(model.predictColumns(raw)[5], 12);
  });

  it('round-trips a logistic regression behind impute + one-hot + standardize', () => {
    const pre = fitPreprocessor(
      [
        { name: 'size', values: size },
        { name: 'color', values: color },
      ],
      { impute: 'mean', standardize: true, categorical: 'onehot' },
    );
    const x = pre.transformColumns(raw);
    const model = new ServableModel(
      trainLogisticRegression(x, y, { features: pre.outputFeatures }),
      pre,
    );
    const loaded = parseGyreModel(serializeGyreModel(model));
    expect(loaded.predictColumns(raw)).toEqual(model.predictColumns(raw));
  });

  it('rejects documents from the future and names the problem', () => {
    expect(() => parseGyreModel('{"format":"gyre-model","schemaVersion":99}')).toThrow(
      /schemaVersion 99/,
    );
    expect(() => parseGyreModel('not json')).toThrow(/not valid JSON/);
  });
});

describe('model directory', () => {
  it('writes an MLmodel manifest with the gyre flavor, signature and input example', () => {
    const x = matrixFromColumns([size.map((v) => v ?? NaN)]);
    const model = new ServableModel(trainGbdt({ x, y, params: { numRounds: 5 } }));
    const dir = buildModelDirectory(model, {
      modelUuid: '0123',
      createdAt: new Date('2024-01-02T03:04:05Z'),
      inputExample: [[1.5]],
    });
    const manifest = parseMlmodel(dir.get('MLmodel') as string);
    expect(manifest.flavors).toHaveProperty('gyre.model_file', 'model.gyre.json');
    expect(JSON.parse((manifest.signature as { inputs: string }).inputs)).toEqual([
      { type: 'double', name: 'f0', required: true },
    ]);
    expect(JSON.parse(dir.get('input_example.json') as string)).toEqual({
      columns: ['f0'],
      data: [[1.5]],
    });
    expect(loadModelDirectory(dir).predictMatrix(x)).toEqual(model.predictMatrix(x));
  });

  it('refuses manifest paths that leave the directory', () => {
    const dir = new Map([['MLmodel', 'flavors:\n  gyre:\n    model_file: ../../etc/passwd\n']]);
    expect(() => loadModelDirectory(dir)).toThrow(/invalid model file/);
  });
});

describe('Gyre model format validation', () => {
  it('names the damaged field of a tree', () => {
    const x = matrixFromColumns([size.map((v) => v ?? NaN)]);
    const doc = toGyreDocument(new ServableModel(trainGbdt({ x, y, params: { numRounds: 2 } })));
    const tree = (doc.model as { trees: { left: number[] }[] }).trees[1];
    tree.left = tree.left.slice(1);
    expect(() => parseGyreModel(JSON.stringify(doc))).toThrow(/model.trees\[1\].left has/);
  });
});
