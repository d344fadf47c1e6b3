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
