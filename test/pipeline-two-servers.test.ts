// Two real `gyre server` processes on one PostgreSQL database: exactly one holds the
// scheduler lease, every scheduled time fires once, and when the holder is killed (-9) the
// other takes the schedule over.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl } from '../src/db/test-database.js';
import { runGyre, startGyre, type ServingGyre } from './fixtures/gyre-process.js';

const dir = mkdtempSync(join(tmpdir(), 'gyre-two-servers-'));
const servers: ServingGyre[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  id: string;
  status: string;
  ownerId?: string;
  params: { at?: string };
}

describe('a schedule with two servers on PostgreSQL', { timeout: 120_000 }, () => {
  it('fires each time once, on the lease holder, and moves when the holder dies', async () => {
    const db = await createTestDatabaseUrl('postgres');
    const env = {
      GYRE_HOME: join(dir, '.gyre'),
      GYRE_DATABASE_URL: db.url,
      GYRE_LOG_LEVEL: 'warn',
    };
    writeFileSync(
      join(dir, 'tick.yaml'),
      `name: tick
params:
  at: ""
triggers:
  - schedule: "* * * * * *"
    params: { at: "\${{ trigger.scheduled_time }}" }
steps:
  tick:
    run: "true"
`,
    );
    expect((await runGyre(['pipelines', 'register', 'tick.yaml'], { cwd: dir, env })).code).toBe(0);
    for (let i = 0; i < 2; i++)
      servers.push(await startGyre(['server', '--port', '0'], { cwd: dir, env }));
    const runs = async () =>
      (
        (await (
          await fetch(`${servers[1].url}/api/v1/pipeline-runs?pipeline=tick&maxResults=1000`)
        ).json()) as { runs: Run[] }
      ).runs;
    await expect
      .poll(async () => (await runs()).filter((r) => r.status === 'succeeded').length, {
        timeout: 30_000,
      })
      .toBeGreaterThanOrEqual(3);

    // One owner (the lease holder) ran them all; find its process.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    // (A run just created has no owner yet: count the finished ones.)
    const owners = new Set(
      (await runs()).filter((r) => r.status === 'succeeded').map((r) => r.ownerId),
    );
    expect(owners.size).toBe(1);
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pipeline_owners where id = $1',
      [[...owners][0]],
    );
    const leader = servers.find((s) => s.child.pid === rows[0].pid)!;
    expect(leader).toBeDefined();
    const before = (await runs()).length;
    await leader.stop('SIGKILL');
    const survivor = servers.find((s) => s !== leader)!;

    const after = async () =>
      (
        (await (
          await fetch(`${survivor.url}/api/v1/pipeline-runs?pipeline=tick&maxResults=1000`)
        ).json()) as { runs: Run[] }
      ).runs;
    await expect
      .poll(
        async () =>
          (await after()).filter((r) => r.status === 'succeeded' && !owners.has(r.ownerId)).length,
        { timeout: 30_000 },
      )
      .toBeGreaterThanOrEqual(2);
    const all = await after();
    expect(all.length).toBeGreaterThan(before);
    const times = all.map((r) => r.params.at);
    expect(new Set(times).size).toBe(times.length);
    await client.end();
    await survivor.stop();
    await db.drop();
  });
});
