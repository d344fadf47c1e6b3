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
