import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db/index.js';
import {
  compileFilter,
  compileOrderBy,
  decodePageToken,
  nextPageToken,
  parseFilter,
  parseOrderBy,
  type CompiledOrder,
  type SearchFields,
  type SearchQuery,
} from '../search/index.js';
import { MODEL_SEARCH_FIELDS, VERSION_SEARCH_FIELDS } from './registry-search-fields.js';
import type { VersionSearchQuery } from './store.js';
import type { RegistryTables } from './tables.js';
import type { Page } from './types.js';

type Db = Kysely<RegistryTables>;
type ModelRow = RegistryTables['registered_models'];
type VersionRow = RegistryTables['model_versions'] & { name: string };

/** The user's order, then a total order so pages never overlap or skip rows. */
function ordering(query: SearchQuery, fields: SearchFields, tieBreak: string[]): CompiledOrder[] {
  return compileOrderBy([...query.orderBy, ...tieBreak].map(parseOrderBy), fields);
}

interface Orderable<Q> {
  orderBy(expression: CompiledOrder['expression'], direction: 'asc' | 'desc'): Q;
}

function applyOrder<Q extends Orderable<Q>>(query: Q, orders: CompiledOrder[]): Q {
  return orders.reduce((q, o) => q.orderBy(o.expression, o.direction), query);
}

/** Registered models matching an MLflow filter, ordered (default `name ASC`) and paged. */
export async function searchModelRows(
  db: Db,
  dialect: Dialect,
  query: SearchQuery,
): Promise<Page<ModelRow>> {
  const cursor = decodePageToken(query.pageToken);
  const where = compileFilter(parseFilter(query.filter), MODEL_SEARCH_FIELDS, dialect);
  let select = db.selectFrom('registered_models').selectAll('registered_models');
  if (where) select = select.where(where);
  select = applyOrder(select, ordering(query, MODEL_SEARCH_FIELDS, ['name ASC']));
  const rows = await select
    .limit(query.maxResults + 1)
    .offset(cursor.offset)
    .execute();
  return pageOf(rows, query.maxResults, cursor);
}

/** Model versions matching an MLflow filter, ordered (default `name ASC, version DESC`) and paged. */
export async function searchVersionRows(
  db: Db,
  dialect: Dialect,
  query: VersionSearchQuery,
): Promise<Page<VersionRow>> {
  const cursor = decodePageToken(query.pageToken);
  const where = compileFilter(parseFilter(query.filter), VERSION_SEARCH_FIELDS, dialect);
  let select = db
    .selectFrom('model_versions')
    .innerJoin('registered_models', 'registered_models.id', 'model_versions.model_id')
    .selectAll('model_versions')
    .select(sql<string>`registered_models.name`.as('name'));
  if (where) select = select.where(where);
  if (query.modelName !== undefined)
    select = select.where('registered_models.name', '=', query.modelName);
  select = applyOrder(
    select,
    ordering(query, VERSION_SEARCH_FIELDS, ['name ASC', 'version_number DESC']),
  );
  const rows = await select
    .limit(query.maxResults + 1)
    .offset(cursor.offset)
    .execute();
  return pageOf(rows, query.maxResults, cursor);
}

function pageOf<T>(rows: T[], max: number, cursor: { offset: number }): Page<T> {
  const items = rows.slice(0, max);
  const token = nextPageToken(cursor, items.length, rows.length > max);
  return token ? { items, nextPageToken: token } : { items };
}
