// Two connections to one SQLite file, as a server and a pipeline step's worker thread have:
// a transaction that reads and then writes must not fail because the other wrote meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from './sqlite-connection.js';

describe('SQLite transactions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gyre-sqlite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('take the write lock when they begin, so a read-then-write transaction never loses it', async () => {
    const file = join(dir, 'gyre.db');
    const db = openSqlite(`sqlite:${file}`);
    await sql`create table counter (n integer)`.execute(db.kysely);
    await sql`insert into counter values (0)`.execute(db.kysely);
    // The other writer does not wait at all: it shows whether the lock is already held.
    const other = new BetterSqlite3(file);
    other.pragma('busy_timeout = 0');

    let otherWrite: unknown;
    await db.kysely.transaction().execute(async (trx) => {
      const { rows } = await sql<{ n: number }>`select n from counter`.execute(trx);
      try {
        other.prepare('update counter set n = 100').run();
      } catch (error) {
        otherWrite = error;
      }
      await sql`update counter set n = ${rows[0].n + 1}`.execute(trx);
    });

    expect(String(otherWrite)).toMatch(/database is locked/);
    expect(other.prepare('select n from counter').get()).toEqual({ n: 1 });
    other.close();
    await db.close();
  });
});
