import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.js';

describe('withStatementCache', () => {
  it('reuses the prepared statement for the same SQL', () => {
    const db = withStatementCache(new BetterSqlite3(':memory:'));
    expect(db.prepare('select 1 as x')).toBe(db.prepare('select 1 as x'));
    expect(db.prepare('select 1 as x')).not.toBe(db.prepare('select 2 as x'));
    db.close();
  });

  it('prepares a fresh statement while the cached one is still being iterated', () => {
    const raw = new BetterSqlite3(':memory:');
    raw.exec('create table t (v integer); insert into t values (1), (2), (3);');
    const db = withStatementCache(raw);
    const sql = 'select v from t order by v';
    const outer = db.prepare(sql).iterate([]);
    const first = outer.next().value as { v: number };
    // A nested use of the same SQL while the outer iteration is open must still work.
    expect(db.prepare(sql).all([])).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }]);
    expect([first, ...outer]).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }]);
    db.close();
  });

  it('stays within its capacity', () => {
    const db = withStatementCache(new BetterSqlite3(':memory:'), 2);
    const a = db.prepare('select 1');
    db.prepare('select 2');
    db.prepare('select 3');
    expect(db.prepare('select 1')).not.toBe(a);
    db.close();
  });
});
