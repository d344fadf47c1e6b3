import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import type { FoundationTables } from '../db/index.js';
import { describeEachDatabase } from '../db/test-database.js';
import { compileFilter } from './filter-compiler.js';
import { parseFilter } from './filter-parser.js';
import { compileOrderBy, parseOrderBy } from './order-by.js';
import {
  ID_OPERATORS,
  NUMBER_OPERATORS,
  STRING_OPERATORS,
  type SearchFields,
} from './search-fields.js';

type Tables = {
  items: { id: string; name: string; created: number };
  item_tags: { item_id: string; key: string; value: string };
  item_scores: { item_id: string; key: string; value: number; is_nan: number };
};

const FIELDS: SearchFields = {
  entity: 'items',
  ownerColumn: 'items.id',
  attributes: {
    id: { column: 'items.id', type: 'string', operators: ID_OPERATORS },
    name: { column: 'items.name', type: 'string', operators: STRING_OPERATORS },
    created: { column: 'items.created', type: 'number', operators: NUMBER_OPERATORS },
  },
  tag: {
    table: 'item_tags',
    ownerColumn: 'item_id',
    keyColumn: 'key',
    valueColumn: 'value',
    type: 'string',
    operators: STRING_OPERATORS,
  },
  metric: {
    table: 'item_scores',
    ownerColumn: 'item_id',
    keyColumn: 'key',
    valueColumn: 'value',
    nanColumn: 'is_nan',
    type: 'number',
    operators: NUMBER_OPERATORS,
  },
};

describeEachDatabase('search filter compiler', (ctx) => {
  const db = (): Kysely<FoundationTables & Tables> => ctx.db.kysely.withTables<Tables>();

  async function seed(): Promise<void> {
    await sql`create table items (id text primary key, name text not null, created bigint not null)`.execute(
      db(),
    );
    await sql`create table item_tags (item_id text, key text, value text)`.execute(db());
    await sql`create table item_scores (item_id text, key text, value double precision, is_nan integer)`.execute(
      db(),
    );
    await db()
      .insertInto('items')
      .values([
        { id: 'a', name: 'Alpha', created: 100 },
        { id: 'b', name: 'alpha-2', created: 200 },
        { id: 'c', name: 'gamma_50%', created: 300 },
      ])
      .execute();
    await db()
      .insertInto('item_tags')
      .values([
        { item_id: 'a', key: 'x', value: "a' OR 1=1 --" },
        { item_id: 'b', key: 'x', value: 'b' },
        { item_id: 'c', key: 'team', value: 'Vision' },
      ])
      .execute();
    await db()
      .insertInto('item_scores')
      .values([
        { item_id: 'a', key: 'rmse', value: 0.5, is_nan: 0 },
        { item_id: 'b', key: 'rmse', value: 0, is_nan: 1 },
        { item_id: 'c', key: 'rmse', value: 0.2, is_nan: 0 },
      ])
      .execute();
  }

  async function ids(filter: string, orderBy: string[] = ['id']): Promise<string[]> {
    let query = db().selectFrom('items').select('items.id');
    const where = compileFilter(parseFilter(filter), FIELDS, ctx.dialect);
    if (where) query = query.where(where);
    for (const o of compileOrderBy(orderBy.map(parseOrderBy), FIELDS))
      query = query.orderBy(o.expression, o.direction);
    return (await query.execute()).map((r) => r.id);
  }

  it('filters on attributes, tags and metrics with bound values', async () => {
    await seed();
    expect(await ids('')).toEqual(['a', 'b', 'c']);
    expect(await ids('created > 150')).toEqual(['b', 'c']);
    expect(await ids("created >= '200' AND created < 300.5")).toEqual(['b', 'c']);
    expect(await ids("tags.x = 'b'")).toEqual(['b']);
    expect(await ids("tags.x != 'b'")).toEqual(['a']);
    expect(await ids('metrics.rmse < 1')).toEqual(['a', 'c']);
    expect(await ids("id IN ('a', 'c') AND metrics.rmse > 0.3")).toEqual(['a']);
    expect(await ids("id NOT IN ('a')")).toEqual(['b', 'c']);
  });

  it('treats an injection attempt as a literal value', async () => {
    await seed();
    expect(await ids("tags.x = 'a'' OR 1=1 --'")).toEqual(['a']);
    expect(await ids("tags.x = 'zz'' OR ''1''=''1'")).toEqual([]);
    expect(await ids("name = 'x\"; drop table items; --'")).toEqual([]);
    expect(await ids('')).toEqual(['a', 'b', 'c']);
  });

  it('gives LIKE and ILIKE the same meaning on both dialects', async () => {
    await seed();
    expect(await ids("name LIKE 'alpha%'")).toEqual(['b']);
    expect(await ids("name ILIKE 'alpha%'")).toEqual(['a', 'b']);
    expect(await ids("name LIKE '%\\%'")).toEqual(['c']);
    expect(await ids("name LIKE 'gamma\\_%'")).toEqual(['c']);
    expect(await ids("name LIKE 'alph_'")).toEqual([]);
    expect(await ids("tags.team ILIKE 'vis%'")).toEqual(['c']);
    expect(await ids("tags.team LIKE 'vis%'")).toEqual([]);
  });

  it('orders by keyed values with missing ones last in either direction', async () => {
    await seed();
    expect(await ids('', ['metrics.rmse ASC', 'id'])).toEqual(['c', 'a', 'b']);
    expect(await ids('', ['metrics.rmse DESC', 'id'])).toEqual(['a', 'c', 'b']);
    expect(await ids('', ['created DESC'])).toEqual(['c', 'b', 'a']);
  });

  it('refuses what the entity does not allow, naming it', async () => {
    await seed();
    await expect(ids("params.a = 'x'")).rejects.toThrow(
      /'params.a' cannot be used to search items/,
    );
    await expect(ids("nope = 'x'")).rejects.toThrow(/unknown attribute 'nope'/);
    await expect(ids("metrics.rmse LIKE 'x'")).rejects.toThrow(/operator 'LIKE' is not supported/);
    await expect(ids("metrics.rmse > 'abc'")).rejects.toThrow(/compares numbers/);
    await expect(ids('name = 3')).rejects.toThrow(/compares strings/);
    await expect(ids('', ['bogus'])).rejects.toThrow(/cannot be ordered by 'bogus'/);
  });
});
