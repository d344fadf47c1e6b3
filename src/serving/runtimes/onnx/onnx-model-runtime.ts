import * as ort from 'onnxruntime-node';
import { InvalidArgumentError } from '../../../core/index.js';
import { positionalInputs } from '../../signature/mlflow-signature.js';
import type {
  CellValue,
  FeatureBatch,
  FlavorManifest,
  ModelRuntime,
  ServingSignature,
  SignatureInput,
} from '../model-runtime.js';

type NumericTensorType = 'float32' | 'float64' | 'int64' | 'int32';

/** How requests become the session's feeds. */
type FeedPlan =
  | { kind: 'matrix'; input: string; type: NumericTensorType; width: number }
  | { kind: 'columns'; inputs: { name: string; type: NumericTensorType | 'string' }[] };

const NUMERIC: readonly string[] = ['float32', 'float64', 'int64', 'int32'];

/**
 * Any ONNX model through onnxruntime-node. Two input layouts are understood: one numeric
 * tensor [N, features] (what Gyre's ONNX export and skl2onnx write), or one tensor per column
 * ([N] or [N, 1], numeric or string). Outputs: a regressor's values, or a classifier's
 * probabilities (the positive class for binary models, as Gyre's own evaluator answers).
 */
export class OnnxModelRuntime implements ModelRuntime {
  readonly flavor = 'onnx';

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly plan: FeedPlan,
    private readonly output: { name: string; take: 'all' | 'positive' },
    readonly signature: ServingSignature,
  ) {}

  static async load(bytes: Uint8Array, manifest: FlavorManifest): Promise<OnnxModelRuntime> {
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
      });
    } catch (error) {
      throw new InvalidArgumentError('not a loadable ONNX model', {}, { cause: error });
    }
    try {
      const { plan, inputs } = planFeeds(session, manifest);
      const { output, width } = await probeOutput(session, plan, inputs);
      const signature: ServingSignature = {
        inputs,
        outputs: [{ name: 'predict', width }],
        numOutputs: width,
      };
      return new OnnxModelRuntime(session, plan, output, signature);
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  async warm(): Promise<void> {
    const batch = sampleBatch(this.signature.inputs);
    const out = new Float64Array(this.signature.numOutputs);
    for (let i = 0; i < 20; i++) await this.predict(batch, out);
  }

  async predict(batch: FeatureBatch, out: Float64Array): Promise<void> {
    const result = await this.session.run(feedsOf(this.plan, batch));
    copyOutput(result[this.output.name], this.output.take, batch.numRows, out);
  }

  async unload(): Promise<void> {
    await this.session.release();
  }
}

function planFeeds(
  session: ort.InferenceSession,
  manifest: FlavorManifest,
): { plan: FeedPlan; inputs: SignatureInput[] } {
  const metadata = session.inputMetadata;
  const first = metadata[0];
  if (
    metadata.length === 1 &&
    first.isTensor &&
    NUMERIC.includes(first.type) &&
    first.shape.length === 2 &&
    typeof first.shape[1] === 'number'
  ) {
    const width = first.shape[1];
    return {
      plan: { kind: 'matrix', input: first.name, type: first.type as NumericTensorType, width },
      inputs: positionalInputs(width, manifest.signatureInputs),
    };
  }
  const inputs: { name: string; type: NumericTensorType | 'string' }[] = [];
  for (const m of metadata) {
    if (!m.isTensor || (m.type !== 'string' && !NUMERIC.includes(m.type)))
      throw new InvalidArgumentError(`ONNX input ${m.name} is not a numeric or string tensor`);
    inputs.push({ name: m.name, type: m.type as NumericTensorType | 'string' });
  }
  return {
    plan: { kind: 'columns', inputs },
    inputs: inputs.map((i) => ({
      name: i.name,
      type: i.type === 'string' ? 'string' : i.type.startsWith('int') ? 'long' : 'double',
      required: true,
      nullable: i.type === 'float32' || i.type === 'float64',
    })),
  };
}

function tensorOf(type: NumericTensorType, values: Float64Array, dims: number[]): ort.Tensor {
  switch (type) {
    case 'float32':
      return new ort.Tensor('float32', Float32Array.from(values), dims);
    case 'float64':
      return new ort.Tensor('float64', values, dims);
    case 'int32':
      return new ort.Tensor('int32', Int32Array.from(values), dims);
    case 'int64':
      return new ort.Tensor(
        'int64',
        BigInt64Array.from(values, (v) => BigInt(Math.trunc(v))),
        dims,
      );
  }
}

function numberOf(v: CellValue): number {
  return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN;
}

function feedsOf(plan: FeedPlan, batch: FeatureBatch): Record<string, ort.Tensor> {
  const n = batch.numRows;
  const cell = (r: number, c: number): CellValue =>
    batch.layout === 'rows' ? batch.rows[r][c] : batch.columns[c][r];
  if (plan.kind === 'matrix') {
    const values = new Float64Array(n * plan.width);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < plan.width; c++) values[r * plan.width + c] = numberOf(cell(r, c));
    return { [plan.input]: tensorOf(plan.type, values, [n, plan.width]) };
  }
  const feeds: Record<string, ort.Tensor> = {};
  plan.inputs.forEach((input, c) => {
    if (input.type === 'string') {
      const strings = Array.from({ length: n }, (_, r) => String(cell(r, c) ?? ''));
      feeds[input.name] = new ort.Tensor('string', strings, [n, 1]);
    } else {
      const values = Float64Array.from({ length: n }, (_, r) => numberOf(cell(r, c)));
      feeds[input.name] = tensorOf(input.type, values, [n, 1]);
    }
  });
  return feeds;
}

/** Picks the output to answer with by running one sample row: probabilities, else the first. */
async function probeOutput(
  session: ort.InferenceSession,
  plan: FeedPlan,
  inputs: SignatureInput[],
): Promise<{ output: { name: string; take: 'all' | 'positive' }; width: number }> {
  const result = await session.run(feedsOf(plan, sampleBatch(inputs)));
  const name = session.outputNames.includes('probabilities')
    ? 'probabilities'
    : (session.outputNames.find((o) => typeof result[o]?.data?.length === 'number') ??
      session.outputNames[0]);
  const tensor = result[name];
  const width = tensor.dims.length > 1 ? Number(tensor.dims[1]) : 1;
  if (name === 'probabilities' && width === 2)
    return { output: { name, take: 'positive' }, width: 1 };
  return { output: { name, take: 'all' }, width };
}

function copyOutput(
  tensor: ort.Tensor,
  take: 'all' | 'positive',
  numRows: number,
  out: Float64Array,
): void {
  const data = tensor.data as ArrayLike<number | bigint>;
  if (take === 'positive') {
    for (let r = 0; r < numRows; r++) out[r] = Number(data[2 * r + 1]);
    return;
  }
  for (let i = 0; i < out.length; i++) out[i] = Number(data[i]);
}

function sampleBatch(inputs: readonly SignatureInput[]): FeatureBatch {
  return {
    layout: 'rows',
    numRows: 1,
    rows: [inputs.map((i) => (i.type === 'string' ? (i.categories?.[0] ?? '') : 0))],
  };
}
