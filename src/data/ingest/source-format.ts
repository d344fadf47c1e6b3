import { basename } from 'node:path';
import { InvalidArgumentError } from '../../core/index.js';
import { SOURCE_FORMATS, type SourceFormat } from '../types.js';

const EXTENSIONS: Record<string, SourceFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  parquet: 'parquet',
  pq: 'parquet',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
};

/** The format named explicitly, else the one the file name's extension implies. */
export function detectFormat(fileName: string, explicit?: string): SourceFormat {
  if (explicit !== undefined) {
    if ((SOURCE_FORMATS as readonly string[]).includes(explicit)) return explicit as SourceFormat;
    throw new InvalidArgumentError(
      `format "${explicit}" is not supported: use one of ${SOURCE_FORMATS.join(', ')}`,
      { field: 'format' },
    );
  }
  const extension = /\.([a-z0-9]+)$/i.exec(basename(fileName))?.[1]?.toLowerCase();
  const format = extension ? EXTENSIONS[extension] : undefined;
  if (!format) {
    throw new InvalidArgumentError(
      `cannot tell the format of ${basename(fileName)} from its name: name it *.csv, *.tsv, *.parquet, *.json or *.ndjson, or pass a format`,
      { field: 'format' },
    );
  }
  return format;
}
