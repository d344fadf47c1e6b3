// The one interface every model runtime implements, and the shapes that cross it. Protocol
// adapters decode requests into a FeatureBatch; a runtime turns it into numbers.

/** One input cell as protocols deliver it: a number, a string, a boolean or missing. */
export type CellValue = number | string | boolean | null | undefined;

/** Input types Gyre checks requests against (MLflow's column types that tabular models take). */
export const INPUT_TYPES = ['double', 'float', 'long', 'integer', 'boolean', 'string'] as const;
export type InputType = (typeof INPUT_TYPES)[number];

/** One raw input column of a served model. */
export interface SignatureInput {
  name: string;
  type: InputType;
  /** A request without this column is refused; optional columns are read as missing. */
  required: boolean;
  /** Whether a missing value (null, NaN) may be sent; the model then handles it. */
  nullable: boolean;
  /** The categories a string input was trained on; others follow the unknown-category policy. */
  categories?: readonly string[];
}

/** One named output; each row gets `width` doubles. */
export interface SignatureOutput {
  name: string;
  width: number;
}

/** What a runtime takes and gives, derived from the model (and its MLmodel signature). */
export interface ServingSignature {
  inputs: readonly SignatureInput[];
  outputs: readonly SignatureOutput[];
  /** Doubles per row over all outputs (the sum of their widths). */
  numOutputs: number;
}

/**
 * Input rows in the signature's column order, as the protocol delivered them: row-major
 * (`dataframe_split`, `instances`) or column-major (OIP tensors per column). Adapters keep
 * the arrays JSON.parse gave them where they can, so a batch usually costs no copies.
 */
export type FeatureBatch =
  | {
      readonly layout: 'rows';
      readonly numRows: number;
      /** rows[r][c]: column c of row r. */
      readonly rows: readonly ArrayLike<CellValue>[];
    }
  | {
      readonly layout: 'columns';
      readonly numRows: number;
      /** columns[c][r]: column c of row r. */
      readonly columns: readonly ArrayLike<CellValue>[];
    };

/** The value of column `c` in row `r` of a batch, whatever its layout. */
export function cellOf(batch: FeatureBatch, r: number, c: number): CellValue {
  return batch.layout === 'rows' ? batch.rows[r][c] : batch.columns[c][r];
}

/**
 * A loaded model ready to predict. Runtimes are created by a {@link RuntimeFactory} (load),
 * warmed once before they take traffic, and unloaded when no route uses them any more.
 */
export interface ModelRuntime {
  /** The MLmodel flavor it was loaded from, e.g. `gyre`, `xgboost`, `onnx`. */
  readonly flavor: string;
  readonly signature: ServingSignature;
  /** Runs a few predictions so the first real request pays no compilation or allocation. */
  warm(): Promise<void>;
  /**
   * Predicts every row of `batch` into `out` (numRows × numOutputs, row-major). Runtimes that
   * compute synchronously return undefined, which keeps the hot path free of promises; the
   * caller awaits only when a promise comes back.
   */
  predict(batch: FeatureBatch, out: Float64Array): void | Promise<void>;
  /** Frees what the model holds (native sessions, buffers). */
  unload(): Promise<void>;
}

/** The files of a model directory the loader read: relative path → bytes. */
export type ModelFiles = ReadonlyMap<string, Uint8Array>;

/** What a factory learns from the MLmodel manifest. */
export interface FlavorManifest {
  /** This flavor's configuration in the MLmodel file. */
  config: Record<string, unknown>;
  /** The MLflow signature's `inputs`, parsed, when the manifest has one. */
  signatureInputs?: unknown;
}

/** Loads models of one MLmodel flavor. */
export interface RuntimeFactory {
  readonly flavor: string;
  /** The files (relative to the model directory) this flavor needs, read before `load`. */
  filesNeeded(manifest: FlavorManifest): string[];
  load(files: ModelFiles, manifest: FlavorManifest): Promise<ModelRuntime>;
}
