export {
  openSqlSession,
  withSqlSession,
  sqlString,
  sqlIdent,
  type SqlSession,
  type SqlRow,
  type SqlValue,
  type SqlColumn,
} from './duck-session.js';
export {
  nextDown,
  summarizeParquetWindow,
  type ParquetWindow,
  type WindowColumnRequest,
  type WindowColumnSummary,
  type WindowSummary,
} from './parquet-window-summary.js';
export {
  TableFileWriter,
  writeTableFile,
  type TableColumn,
  type TableColumnType,
  type TableFileFormat,
} from './table-file-writer.js';
export { convertCsvFile, preloadDuckDb } from './csv-to-file.js';
export {
  openTableChunks,
  type TableChunk,
  type ChunkColumn,
  type TableChunksOptions,
  type TableShape,
} from './table-chunks.js';
