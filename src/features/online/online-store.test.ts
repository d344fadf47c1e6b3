// One contract for every online store backend: the SQL tables (SQLite and PostgreSQL) and
// Redis (the throwaway server scripts/test-services.sh starts on 127.0.0.1:56379).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/test-database.js';
import { entityKey, type OnlineStore } from './online-store.js';
import { RedisOnlineStore } from './redis/redis-online-store.js';
import { SqlOnlineStore } from './sql/sql-online-store.js';

const REDIS_URL = process.env.GYRE_TEST_REDIS_URL ?? 'redis://127.0.0.1:56379';

function contract(open: () => OnlineStore) {
  it('returns what was written, undefined for unknown entities, in the order asked', async () => {
    const store = open();
    await store.write('stats', [
      { entityKey: 'c1', eventMs: 1000, values: { n: 1, amount: 2.5, tier: 'gold', vip: true } },
      { entityKey: 'c2', eventMs: 2000, values: { n: 2, amount: null, tier: 'basic', vip: false } },
    ]);
    expect(await store.read('stats', ['c2', 'missing', 'c1'])).toEqual([
      { eventMs: 2000, values: { n: 2, amount: null, tier: 'basic', vip: false } },
      undefined,
      { eventMs: 1000, values: { n: 1, amount: 2.5, tier: 'gold', vip: true } },
    ]);
    // Views are separate namespaces.
    expect(await store.read('other', ['c1'])).toEqual([undefined]);
  });

  it('keeps the newer value: an older write never moves a value back in time', async () => {
    const store = open();
    await store.write('stats', [{ entityKey: 'c1', eventMs: 5000, values: { n: 5 } }]);
    await store.write('stats', [{ entityKey: 'c1', eventMs: 4000, values: { n: 4 } }]);
    expect((await store.read('stats', ['c1']))[0]?.values).toEqual({ n: 5 });
    await store.write('stats', [{ entityKey: 'c1', eventMs: 5000, values: { n: 50 } }]);
    await store.write('stats', [{ entityKey: 'c1', eventMs: 6000, values: { n: 6 } }]);
    expect(await store.read('stats', ['c1'])).toEqual([{ eventMs: 6000, values: { n: 6 } }]);
  });

  it('writes and reads more rows than one batch holds, with composite keys', async () => {
    const store = open();
    const rows = Array.from({ length: 1234 }, (_, i) => ({
      entityKey: entityKey([`c${i}`, i % 3]),
      eventMs: i,
      values: { i },
    }));
    await store.write('big', rows);
    const read = await store.read('big', rows.map((r) => r.entityKey).reverse());
    expect(read.map((r) => r?.values.i)).toEqual(rows.map((r) => r.values.i).reverse());
  });
}

describeEachDatabase('SqlOnlineStore', (ctx) => {
  contract(() => new SqlOnlineStore(ctx.db));
});

describe('RedisOnlineStore', () => {
  const stores: RedisOnlineStore[] = [];
  let prefix: string;
  beforeEach(() => {
    prefix = `gyre-test:${Date.now()}-${Math.random().toString(36).slice(2)}:`;
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  contract(() => {
    const store = new RedisOnlineStore(REDIS_URL, prefix);
    stores.push(store);
    return store;
  });

  it('says the store is unavailable when Redis cannot be reached', async () => {
    const store = new RedisOnlineStore('redis://127.0.0.1:1', prefix);
    stores.push(store);
    await expect(store.read('stats', ['c1'])).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
