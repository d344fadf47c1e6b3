import * as ort from 'onnxruntime-node';
import { InvalidArgumentError } from '../../../core/index.js';

/** Output tensors of one ONNX run, by output name, as plain typed arrays. */
export type OnnxOutputs = Record<
  string,
  { data: Float32Array | BigInt64Array | Float64Array | Int32Array; dims: readonly number[] }
>;

/**
 * Runs any ONNX model through onnxruntime-node. Gyre's own exports take one float tensor
 * `input` [N, features]; other models are fed by input name.
 */
export class OnnxRuntimeModel {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async load(bytes: Uint8Array): Promise<OnnxRuntimeModel> {
    try {
      return new OnnxRuntimeModel(
        await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 }),
      );
    } catch (error) {
      throw new InvalidArgumentError('not a loadable ONNX model', {}, { cause: error });
    }
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** Runs a row-major float32 matrix through the model's first input. */
  async runMatrix(values: Float32Array, numRows: number, numCols: number): Promise<OnnxOutputs> {
    const input = new ort.Tensor('float32', values, [numRows, numCols]);
    return this.outputs(await this.session.run({ [this.session.inputNames[0]]: input }));
  }

  private outputs(result: ort.InferenceSession.OnnxValueMapType): OnnxOutputs {
    const out: OnnxOutputs = {};
    for (const [name, tensor] of Object.entries(result)) {
      out[name] = { data: tensor.data as OnnxOutputs[string]['data'], dims: tensor.dims };
    }
    return out;
  }

  /**
   * Runs named raw columns — what a Gyre export with preprocessing takes: numeric columns as
   * float32 (NaN for missing), string columns as strings ('' for missing), each [N, 1].
   */
  async runColumns(
    columns: Record<string, Float32Array | readonly string[]>,
  ): Promise<OnnxOutputs> {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, values] of Object.entries(columns)) {
      feeds[name] =
        values instanceof Float32Array
          ? new ort.Tensor('float32', values, [values.length, 1])
          : new ort.Tensor('string', [...values], [values.length, 1]);
    }
    return this.outputs(await this.session.run(feeds));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
