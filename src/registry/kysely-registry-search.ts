import type { Kysely } from 'kysely';
import { InvalidArgumentError } from '../core/index.js';
import type { SearchQuery } from './search-query.js';
import type { RegistryTables } from './tables.js';
import type { Page } from './types.js';

type Db = Kysely<RegistryTables>;
type ModelRow = RegistryTables['registered_models'];
type VersionRow = RegistryTables['model_versions'] & { name: string };

function offsetOf(token: string | undefined): number {
  if (!token) return 0;
  const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown };
  if (typeof parsed.o !== 'number') throw new InvalidArgumentError('invalid page_token');
  return parsed.o;
}

export async function searchModelRows(db: Db, query: SearchQuery): Promise<Page<ModelRow>> {
  if (query.filter) throw new InvalidArgumentError('filter is not supported yet');
  const offset = offsetOf(query.pageToken);
  const rows = await db
    .selectFrom('registered_models')
    .selectAll()
    .orderBy('name')
    .limit(query.maxResults + 1)
    .offset(offset)
    .execute();
  return page(rows, query.maxResults, offset);
}

export async function searchVersionRows(db: Db, query: SearchQuery): Promise<Page<VersionRow>> {
  if (query.filter) throw new InvalidArgumentError('filter is not supported yet');
  const offset = offsetOf(query.pageToken);
  const rows = await db
    .selectFrom('model_versions as v')
    .innerJoin('registered_models as m', 'm.id', 'v.model_id')
    .selectAll('v')
    .select('m.name')
    .orderBy('m.name')
    .orderBy('v.version', 'desc')
    .limit(query.maxResults + 1)
    .offset(offset)
    .execute();
  return page(rows, query.maxResults, offset);
}

function page<T>(rows: T[], max: number, offset: number): Page<T> {
  if (rows.length <= max) return { items: rows };
  return {
    items: rows.slice(0, max),
    nextPageToken: Buffer.from(JSON.stringify({ o: offset + max })).toString('base64url'),
  };
}
