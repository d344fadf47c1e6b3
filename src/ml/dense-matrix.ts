import { InvalidArgumentError } from '../core/index.js';

/**
 * A dense row-major matrix of 32-bit floats; NaN marks a missing value. Float32 is the
 * precision XGBoost and ONNX tree ensembles compare in, so thresholds learned here and
 * thresholds imported from them mean the same thing.
 */
export interface DenseMatrix {
  /** Row-major values: element (r, c) is at `values[r * numCols + c]`. */
  readonly values: Float32Array;
  readonly numRows: number;
  readonly numCols: number;
}

/** Wraps a row-major buffer, checking its length. */
export function denseMatrix(values: Float32Array, numRows: number, numCols: number): DenseMatrix {
  if (!Number.isInteger(numRows) || !Number.isInteger(numCols) || numRows < 0 || numCols < 1) {
    throw new InvalidArgumentError('matrix shape must be non-negative integers', {
      numRows,
      numCols,
    });
  }
  if (values.length !== numRows * numCols) {
    throw new InvalidArgumentError(
      `matrix values length ${values.length} does not match ${numRows} x ${numCols}`,
    );
  }
  return { values, numRows, numCols };
}

/** Builds a matrix from columns (one array per feature); null and undefined become NaN. */
export function matrixFromColumns(
  columns: ReadonlyArray<ArrayLike<number | null | undefined>>,
): DenseMatrix {
  if (columns.length === 0) throw new InvalidArgumentError('at least one column is required');
  const numRows = columns[0].length;
  const numCols = columns.length;
  const values = new Float32Array(numRows * numCols);
  for (let c = 0; c < numCols; c++) {
    const column = columns[c];
    if (column.length !== numRows) {
      throw new InvalidArgumentError(`column ${c} has ${column.length} rows, expected ${numRows}`);
    }
    for (let r = 0; r < numRows; r++) {
      const v = column[r];
      values[r * numCols + c] = v === null || v === undefined ? NaN : v;
    }
  }
  return { values, numRows, numCols };
}

/** Builds a matrix from an array of rows; null and undefined become NaN. */
export function matrixFromRows(
  rows: ReadonlyArray<ArrayLike<number | null | undefined>>,
  numCols?: number,
): DenseMatrix {
  const cols = numCols ?? (rows.length > 0 ? rows[0].length : 0);
  if (cols < 1) throw new InvalidArgumentError('rows must have at least one column');
  const values = new Float32Array(rows.length * cols);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (row.length !== cols) {
      throw new InvalidArgumentError(`row ${r} has ${row.length} values, expected ${cols}`);
    }
    for (let c = 0; c < cols; c++) {
      const v = row[c];
      values[r * cols + c] = v === null || v === undefined ? NaN : v;
    }
  }
  return { values, numRows: rows.length, numCols: cols };
}

/** Copies the given rows (in order) into a new matrix. */
export function takeRows(matrix: DenseMatrix, indices: ArrayLike<number>): DenseMatrix {
  const { numCols } = matrix;
  const values = new Float32Array(indices.length * numCols);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    values.set(matrix.values.subarray(r * numCols, (r + 1) * numCols), i * numCols);
  }
  return { values, numRows: indices.length, numCols };
}

/** Copies the given entries of a label or weight vector. */
export function takeValues(values: ArrayLike<number>, indices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]];
  return out;
}
