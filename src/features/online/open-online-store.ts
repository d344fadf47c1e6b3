import { InvalidArgumentError } from '../../core/index.js';
import type { Database } from '../../db/index.js';
import type { OnlineStore } from './online-store.js';
import { RedisOnlineStore } from './redis/redis-online-store.js';
import { SqlOnlineStore } from './sql/sql-online-store.js';

/** Online store backends by URL scheme: a plain map, so adding one is one line. */
const BACKENDS: Record<string, (url: string, db: Database) => OnlineStore> = {
  sql: (_url, db) => new SqlOnlineStore(db),
  redis: (url) => new RedisOnlineStore(url),
  rediss: (url) => new RedisOnlineStore(url),
};

/** `sql` (the metadata database), `redis://host:6379/0` or `rediss://…`. */
export function openOnlineStore(url: string, db: Database): OnlineStore {
  const scheme = /^([a-z]+)(:|$)/.exec(url)?.[1];
  const open = scheme !== undefined ? BACKENDS[scheme] : undefined;
  if (!open)
    throw new InvalidArgumentError(
      `features.onlineStore: unknown online store ${JSON.stringify(url)}; known: ${Object.keys(BACKENDS).join(', ')}`,
      { field: 'features.onlineStore' },
    );
  return open(url, db);
}
