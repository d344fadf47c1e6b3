import { InvalidArgumentError } from '../core/index.js';
import type { Database } from './database.js';
import { openPostgres } from './postgres/postgres-connection.js';
import { openSqlite } from './sqlite/sqlite-connection.js';

export interface OpenDatabaseOptions {
  poolSize?: number;
}

type Opener = (url: string, options: OpenDatabaseOptions) => Database;

const OPENERS: Record<string, Opener> = {
  sqlite: (url) => openSqlite(url),
  postgres: (url, o) => openPostgres(url, { poolSize: o.poolSize ?? 10 }),
  postgresql: (url, o) => openPostgres(url, { poolSize: o.poolSize ?? 10 }),
};

/** Opens the metadata database named by a URL; the scheme picks the dialect. */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): Database {
  const scheme = /^([a-z]+):/i.exec(url)?.[1]?.toLowerCase();
  const opener = scheme ? OPENERS[scheme] : undefined;
  if (!opener) {
    throw new InvalidArgumentError(
      `unsupported database URL scheme "${scheme ?? url}": use one of ${Object.keys(OPENERS)
        .map((s) => `${s}:`)
        .join(', ')}`,
    );
  }
  return opener(url, options);
}
