import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { InvalidArgumentError } from '../../core/index.js';
import {
  TableFileWriter,
  openTableChunks,
  type DatasetService,
  type DatasetVersion,
  type TableFileFormat,
} from '../../data/index.js';
import { modelUriOf } from '../deployments/deployment-spec.js';
import { describe, type ModelLoader } from '../loader/model-loader.js';
import type { CellValue, FeatureBatch } from '../runtimes/model-runtime.js';
import { CompiledSignature } from '../signature/compiled-signature.js';
import { InputError } from '../signature/input-error.js';

export interface BatchPredictRequest {
  /** `housing@champion`, `housing/3` or a model URI. */
  model: string;
  /**
   * A CSV / TSV / Parquet / JSON / NDJSON file, or a dataset version (`housing@3`, `housing`,
   * or one already looked up).
   */
  input: string | DatasetVersion;
  /** Where predictions go; the format follows the extension (.parquet, .csv, .ndjson/.jsonl). */
  output: string;
  /** An input column copied beside each prediction (default `id` when there is one, else the row number). */
  idColumn?: string;
  /** Rows scored at a time (default 65,536): memory stays at one chunk. */
  chunkRows?: number;
  /** Called after each chunk. */
  onProgress?(done: number, total: number): void;
}

export interface BatchPredictResult {
  rows: number;
  output: string;
  /** The model version that scored, e.g. `housing/3`. */
  model: string;
  /** The output's columns: the id, then `prediction` (and `prediction_<k>` for more outputs). */
  columns: string[];
}

const OUTPUT_FORMATS: Record<string, TableFileFormat> = {
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.csv': 'csv',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
};

/**
 * Scores a file or a dataset version with a registered model, chunk by chunk — SageMaker
 * Batch Transform's job. Inputs are checked against the model's signature like a request
 * (a missing column or a wrong type names the column); predictions are written beside an id
 * column. This is the function a pipeline's `ml/batch-predict` step calls.
 */
export async function batchPredict(
  deps: { loader: ModelLoader; datasets: DatasetService },
  request: BatchPredictRequest,
): Promise<BatchPredictResult> {
  const format = OUTPUT_FORMATS[extname(request.output).toLowerCase()];
  if (!format)
    throw new InvalidArgumentError(
      `--output must end in .parquet, .csv, .ndjson or .jsonl: ${request.output}`,
      {
        field: 'output',
      },
    );
  const { path, cleanup } = await localInput(deps.datasets, request.input);
  const loaded = await deps.loader.load(await deps.loader.resolve(modelUriOf(request.model)));
  try {
    const signature = new CompiledSignature(loaded.runtime.signature, 'ignore');
    const table = await openTableChunks(path, { chunkRows: request.chunkRows });
    try {
      const names = new Set(table.shape.columns.map((c) => c.name));
      const idColumn = request.idColumn ?? (names.has('id') ? 'id' : undefined);
      if (idColumn !== undefined && !names.has(idColumn))
        throw new InvalidArgumentError(`the input has no id column "${idColumn}"`, {
          field: 'idColumn',
        });
      for (const input of signature.signature.inputs)
        if (input.required && !names.has(input.name))
          throw new InputError(input.name, 'is missing from the input');
      const width = signature.numOutputs;
      const idName = idColumn ?? 'row_number';
      const columns = [
        idName,
        ...Array.from({ length: width }, (_, k) => (k === 0 ? 'prediction' : `prediction_${k}`)),
      ];
      const idNumeric =
        idColumn === undefined || table.shape.columns.find((c) => c.name === idColumn)!.numeric;
      const writer = await TableFileWriter.open(
        columns.map((name, i) => ({
          name,
          type:
            i > 0
              ? 'DOUBLE'
              : idColumn === undefined
                ? 'INTEGER'
                : idNumeric
                  ? 'DOUBLE'
                  : 'VARCHAR',
        })),
      );
      let done = 0;
      try {
        for await (const chunk of table.chunks) {
          const batch: FeatureBatch = {
            layout: 'columns',
            numRows: chunk.numRows,
            columns: signature.names.map(
              (name) =>
                (chunk.columns[name] ??
                  new Array<CellValue>(chunk.numRows).fill(null)) as ArrayLike<CellValue>,
            ),
          };
          signature.validate(batch);
          const out = new Float64Array(chunk.numRows * width);
          await loaded.runtime.predict(batch, out);
          const ids =
            idColumn !== undefined
              ? chunk.columns[idColumn]
              : Float64Array.from({ length: chunk.numRows }, (_, i) => done + i);
          const outputs = Array.from({ length: width }, (_, k) =>
            width === 1
              ? out
              : Float64Array.from({ length: chunk.numRows }, (_, r) => out[r * width + k]),
          );
          writer.append([ids, ...outputs]);
          done += chunk.numRows;
          request.onProgress?.(done, table.shape.rowCount);
        }
      } catch (error) {
        writer.close();
        throw error;
      }
      await writer.finish(request.output, format);
      return { rows: done, output: request.output, model: describe(loaded), columns };
    } finally {
      table.close();
    }
  } finally {
    await loaded.runtime.unload();
    await cleanup();
  }
}

/** A file on disk as it is, or a dataset version's Parquet copy. */
async function localInput(
  datasets: DatasetService,
  input: string | DatasetVersion,
): Promise<{ path: string; cleanup(): Promise<void> }> {
  if (typeof input !== 'string') return datasets.localCopy(input);
  if (existsSync(input)) return { path: input, cleanup: async () => {} };
  if (/[\\/]/.test(input) || /\.(csv|tsv|parquet|pq|json|ndjson|jsonl)$/i.test(input))
    throw new InvalidArgumentError(`input file ${input} does not exist`, { field: 'input' });
  const version = await datasets.getVersion(input);
  return datasets.localCopy(version);
}
