// Crash recovery with the real server, on SQLite and PostgreSQL: `kill -9` of `gyre server`
// mid-run leaves a step's process orphaned; the next start marks the run interrupted (the
// finished step stays finished) and kills the orphan; `gyre pipelines resume` then finishes
// the run without running the finished step again.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS, createTestDatabaseUrl } from '../src/db/test-database.js';
import { runGyre, startGyre } from './fixtures/gyre-process.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

const pipelineYaml = (dir: string) => `name: long
steps:
  first:
    run: echo once >> ${dir}/first.count
  slow:
    needs: first
    run: |
      if [ -f ${dir}/resume-ok ]; then exit 0; fi
      sleep 300 &
      echo $! > ${dir}/slow.pid
      wait
  last:
    needs: slow
    run: echo finished > ${dir}/last.out
`;

for (const dialect of TEST_DIALECTS) {
  describe(`pipeline crash recovery [${dialect}]`, { timeout: 120_000 }, () => {
    it('interrupts the run of a killed server, kills its orphans, and resumes through the cache', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gyre-crash-'));
      dirs.push(dir);
      const db = await createTestDatabaseUrl(dialect);
      const env = { GYRE_HOME: join(dir, '.gyre'), GYRE_DATABASE_URL: db.url };
      writeFileSync(join(dir, 'pipeline.yaml'), pipelineYaml(dir));
      const server = await startGyre(['server', '--port', '0'], { cwd: dir, env });
      const registered = await runGyre(['pipelines', 'register', 'pipeline.yaml'], {
        cwd: dir,
        env,
      });
      expect(registered.stderr).toBe('');
      const trigger = await fetch(`${server.url}/api/v1/pipelines/long/trigger`, {
        method: 'POST',
      });
      expect(trigger.status).toBe(202);
      const { run } = (await trigger.json()) as { run: { id: string } };
      await expect.poll(() => existsSync(join(dir, 'slow.pid')), { timeout: 30_000 }).toBe(true);
      const orphan = Number(readFileSync(join(dir, 'slow.pid'), 'utf8'));

      await server.stop('SIGKILL');
      expect(alive(orphan)).toBe(true);

      const restarted = await startGyre(['server', '--port', '0'], { cwd: dir, env });
      const state = async () =>
        (await (await fetch(`${restarted.url}/api/v1/pipeline-runs/${run.id}`)).json()) as {
          status: string;
          steps: { step: string; status: string }[];
        };
      await expect
        .poll(async () => (await state()).status, { timeout: 30_000 })
        .toBe('interrupted');
      expect((await state()).steps.map((s) => `${s.step}:${s.status}`)).toEqual([
        'first:succeeded',
        'slow:interrupted',
        'last:pending',
      ]);
      await expect.poll(() => alive(orphan), { timeout: 10_000 }).toBe(false);
      expect(await restarted.stop()).toBe(0);

      writeFileSync(join(dir, 'resume-ok'), '');
      const resumed = await runGyre(['pipelines', 'resume', run.id], { cwd: dir, env });
      expect(resumed.stderr).not.toContain('gyre:');
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toContain(`pipeline run ${run.id} (long v1) succeeded`);
      expect(readFileSync(join(dir, 'first.count'), 'utf8')).toBe('once\n');
      expect(readFileSync(join(dir, 'last.out'), 'utf8')).toBe('finished\n');
      await db.drop();
    });
  });
}
