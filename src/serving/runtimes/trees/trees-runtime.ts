import { GbdtModel, type RawValue, type ServableModel } from '../../../ml/index.js';
import type {
  CellValue,
  FeatureBatch,
  ModelRuntime,
  ServingSignature,
  SignatureInput,
} from '../model-runtime.js';

/** Above this many rows the batch evaluator (trees outside, rows inside) wins over row by row. */
const BATCH_ROWS = 32;

/**
 * Gyre's native evaluator behind the runtime interface: GBDT and linear models trained by
 * Gyre (with their saved preprocessing) and XGBoost / LightGBM models imported into it.
 * Prediction is synchronous and, for small requests, allocation-free.
 */
export class TreesRuntime implements ModelRuntime {
  private readonly row: RawValue[];
  private readonly rowOut: Float64Array;

  constructor(
    readonly flavor: string,
    private readonly model: ServableModel,
    readonly signature: ServingSignature,
  ) {
    this.row = new Array<RawValue>(signature.inputs.length).fill(null);
    this.rowOut = new Float64Array(signature.numOutputs);
  }

  async warm(): Promise<void> {
    // Enough calls for V8 to optimise the evaluator before the first real request.
    const out = new Float64Array(this.signature.numOutputs);
    const row = this.signature.inputs.map(sampleValue);
    const batch: FeatureBatch = { layout: 'rows', numRows: 1, rows: [row] };
    for (let i = 0; i < 200; i++) this.predict(batch, out);
  }

  predict(batch: FeatureBatch, out: Float64Array): void {
    if (batch.numRows > BATCH_ROWS) {
      // Column-major batches (OIP tensors, batch prediction) go in as they are: no copy.
      const columns =
        batch.layout === 'columns'
          ? (batch.columns as readonly ArrayLike<RawValue>[])
          : columnsOf(batch, this.signature.inputs.length);
      out.set(this.model.predictColumns(columns));
      return;
    }
    const k = this.signature.numOutputs;
    for (let r = 0; r < batch.numRows; r++) {
      const row = batch.layout === 'rows' ? batch.rows[r] : this.gather(batch.columns, r);
      if (k === 1 && r === 0) {
        this.model.predictRowInto(row as ArrayLike<RawValue>, out);
      } else {
        this.model.predictRowInto(row as ArrayLike<RawValue>, this.rowOut);
        out.set(this.rowOut, r * k);
      }
    }
  }

  async unload(): Promise<void> {
    // Plain typed arrays: the garbage collector frees them once no route holds the runtime.
  }

  /** Row r of a column-major batch, in a buffer reused across calls (predict is not re-entrant). */
  private gather(columns: readonly ArrayLike<CellValue>[], r: number): RawValue[] {
    const row = this.row;
    for (let c = 0; c < row.length; c++) row[c] = numericCell(columns[c][r]);
    return row;
  }
}

function numericCell(v: CellValue): RawValue {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/** Rows transposed into columns (booleans as 0/1), for the batch evaluator. */
function columnsOf(batch: Extract<FeatureBatch, { layout: 'rows' }>, width: number): RawValue[][] {
  const columns: RawValue[][] = [];
  for (let c = 0; c < width; c++) {
    const column = new Array<RawValue>(batch.numRows);
    for (let r = 0; r < batch.numRows; r++) column[r] = numericCell(batch.rows[r][c]);
    columns.push(column);
  }
  return columns;
}

function sampleValue(input: SignatureInput): RawValue {
  if (input.type === 'string') return input.categories?.[0] ?? '';
  return 0;
}

/** The serving signature of a native model: its raw inputs and how missing values fare. */
export function treesSignature(model: ServableModel): ServingSignature {
  const trees = model.predictor instanceof GbdtModel;
  const columns = model.preprocessor?.spec.columns;
  const inputs: SignatureInput[] = model.inputs.map((input, i) => {
    const column = columns?.[i];
    if (column && column.kind !== 'numeric') {
      return {
        name: input.name,
        type: 'string',
        required: true,
        nullable: true,
        categories: column.categories,
      };
    }
    // Trees route missing values natively; a linear model needs them imputed.
    const imputed = column?.kind === 'numeric' && column.impute !== null;
    return { name: input.name, type: 'double', required: true, nullable: trees || imputed };
  });
  return {
    inputs,
    outputs: [{ name: 'predict', width: model.numOutputs }],
    numOutputs: model.numOutputs,
  };
}
