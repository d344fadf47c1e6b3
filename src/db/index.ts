export type { Database, Dialect, FoundationTables } from './database.js';
export { openDatabase, type OpenDatabaseOptions } from './open-database.js';
export { migrateToLatest, migrationStatus, type MigrationStatus } from './migrate.js';
export { isUniqueViolation } from './unique-violation.js';
