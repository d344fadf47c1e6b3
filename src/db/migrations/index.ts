import type { Migration } from 'kysely';
import * as instance from './0001-instance.js';
import * as tracking from './0002-tracking.js';
import * as registry from './0003-registry.js';
import * as data from './0004-data.js';
import * as eventCursors from './0005-event-cursors.js';
import * as pipelines from './0006-pipelines.js';
import * as serving from './0007-serving.js';
import * as auth from './0008-auth.js';
import * as monitoring from './0009-monitoring.js';
import * as features from './0010-features.js';
import * as governance from './0011-governance.js';
import * as gitops from './0012-gitops.js';

/**
 * Every migration, in order. Forward-only: once released a migration never changes; a fix is
 * a new migration. Names sort in application order.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-instance': instance,
  '0002-tracking': tracking,
  '0003-registry': registry,
  '0004-data': data,
  '0005-event-cursors': eventCursors,
  '0006-pipelines': pipelines,
  '0007-serving': serving,
  '0008-auth': auth,
  '0009-monitoring': monitoring,
  '0010-features': features,
  '0011-governance': governance,
  '0012-gitops': gitops,
};
