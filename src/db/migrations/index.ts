import type { Migration } from 'kysely';
import * as instance from './0001-instance.js';
import * as data from './0004-data.js';

/**
 * Every migration, in order. Forward-only: once released a migration never changes; a fix is
 * a new migration. Names sort in application order.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-instance': instance,
  '0004-data': data,
};
