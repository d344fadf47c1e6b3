// The runner on real child processes, on SQLite and PostgreSQL: a 10-step DAG with fan-out
// and fan-in, retry then success, a timeout, the step cache (hit, then a miss on a one-byte
// change), and cancellation killing a step's whole process tree.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeEachGyre } from '../src/test-gyre.js';

/** Running, or stopped but not yet gone; a zombie (exited, unreaped) counts as dead. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describeEachGyre('pipeline runner', (ctx) => {
  const scratch = () => mkdtempSync(join(tmpdir(), 'gyre-pipeline-'));

  it('runs a 10-step DAG with fan-out and fan-in, passing outputs downstream', async () => {
    const dir = scratch();
    const trace = join(dir, 'trace');
    const record = (name: string) => `echo ${name} >> ${trace}`;
    const fan = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7'];
    const steps: Record<string, unknown> = {
      start: {
        run: `${record('start')} && echo "seed=21" >> $GYRE_OUTPUTS`,
        outputs: { seed: 'integer' },
      },
      ...Object.fromEntries(
        fan.map((b) => [
          b,
          {
            needs: 'start',
            run: `${record(b)} && echo "value=$(( $GYRE_INPUT_SEED * 2 ))" >> $GYRE_OUTPUTS`,
            with: { seed: '${{ steps.start.outputs.seed }}' },
            outputs: { value: 'integer' },
          },
        ]),
      ),
      join: {
        needs: fan,
        run: `${record('join')} && echo "total=${'$'}{GYRE_INPUT_TOTAL}" >> $GYRE_OUTPUTS`,
        with: { total: '${{ steps.b1.outputs.value }}+${{ steps.b7.outputs.value }}' },
        outputs: { total: 'string' },
      },
      end: { needs: 'join', run: record('end') },
    };
    await ctx.gyre.pipelines.register({ spec: { name: 'dag', steps } });
    const { done } = await ctx.gyre.pipelines.startRun({ pipeline: 'dag' });
    const run = await done;
    expect(run.status).toBe('succeeded');
    const detail = await ctx.gyre.pipelines.getRun(run.id);
    expect(detail.steps).toHaveLength(10);
    expect(detail.steps.every((s) => s.status === 'succeeded')).toBe(true);
    expect(detail.steps.find((s) => s.step === 'join')?.outputs?.total.value).toBe('42+42');
    const order = readFileSync(trace, 'utf8').trim().split('\n');
    expect(order[0]).toBe('start');
    expect(order.slice(1, 8).sort()).toEqual(fan);
    expect(order.slice(8)).toEqual(['join', 'end']);
    // Every step is a nested tracking run under the pipeline's.
    const stepRun = await ctx.gyre.tracking.runs.get(detail.steps[0].trackingRunId!);
    expect(stepRun.tags.find((t) => t.key === 'mlflow.parentRunId')?.value).toBe(run.trackingRunId);
  });

  it('retries a failing step with backoff until it succeeds', async () => {
    const dir = scratch();
    const counter = join(dir, 'count');
    await ctx.gyre.pipelines.register({
      spec: {
        name: 'flaky',
        steps: {
          flaky: {
            run: `n=$(cat ${counter} 2>/dev/null || echo 0); echo $((n+1)) > ${counter}; [ $n -ge 2 ]`,
            retries: { count: 3, backoff: '10ms' },
          },
        },
      },
    });
    const run = await (await ctx.gyre.pipelines.startRun({ pipeline: 'flaky' })).done;
    expect(run.status).toBe('succeeded');
    const [step] = (await ctx.gyre.pipelines.getRun(run.id)).steps;
    expect(step.attempt).toBe(3);
    const log = await collectLog(run.id, 'flaky');
    expect(log).toContain('attempt 1 failed: exit code 1');
    expect(log).toContain('retrying in 20 ms');
  });

  it('fails a step that runs past its timeout', async () => {
    await ctx.gyre.pipelines.register({
      spec: { name: 'slow', steps: { slow: { run: 'sleep 30', timeout: '200ms' } } },
    });
    const run = await (await ctx.gyre.pipelines.startRun({ pipeline: 'slow' })).done;
    expect(run.status).toBe('failed');
    const [step] = (await ctx.gyre.pipelines.getRun(run.id)).steps;
    expect(step.status).toBe('failed');
    expect(step.error).toBe('timed out after 200 ms');
  });

  it('reuses cached outputs, and runs again when an input file changes by one byte', async () => {
    const dir = scratch();
    const data = join(dir, 'data.csv');
    writeFileSync(data, 'a,b\n1,2\n');
    const runs = join(dir, 'runs');
    await ctx.gyre.pipelines.register({
      spec: {
        name: 'cached',
        params: { data: { type: 'file' } },
        steps: {
          count: {
            run: `echo x >> ${runs}; echo "lines=$(wc -l < $GYRE_INPUT_DATA)" >> $GYRE_OUTPUTS`,
            with: { data: '${{ params.data }}' },
            outputs: { lines: 'integer' },
          },
        },
      },
    });
    const start = async () =>
      (await ctx.gyre.pipelines.startRun({ pipeline: 'cached', params: { data } })).done;
    const first = await start();
    const second = await start();
    expect((await ctx.gyre.pipelines.getRun(first.id)).steps[0].status).toBe('succeeded');
    const cached = (await ctx.gyre.pipelines.getRun(second.id)).steps[0];
    expect(cached.status).toBe('cached');
    expect(cached.outputs?.lines.value).toBe(2);
    writeFileSync(data, 'a,b\n1,3\n');
    const third = await start();
    expect((await ctx.gyre.pipelines.getRun(third.id)).steps[0].status).toBe('succeeded');
    expect(readFileSync(runs, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('kills the whole process tree of a cancelled step', async () => {
    const dir = scratch();
    const pids = join(dir, 'pids');
    await ctx.gyre.pipelines.register({
      spec: {
        name: 'tree',
        steps: {
          tree: {
            run: `sleep 300 & echo $! >> ${pids}; sh -c 'sleep 300 & echo $! >> ${pids}; wait' & wait`,
          },
        },
      },
    });
    const { run, done } = await ctx.gyre.pipelines.startRun({ pipeline: 'tree' });
    await expect
      .poll(() => existsSync(pids) && readFileSync(pids, 'utf8').trim().split('\n').length, {
        timeout: 10_000,
      })
      .toBe(2);
    const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(started.every(alive)).toBe(true);
    await ctx.gyre.pipelines.cancel(run.id);
    const final = await done;
    expect(final.status).toBe('cancelled');
    expect((await ctx.gyre.pipelines.getRun(run.id)).steps[0].status).toBe('cancelled');
    await expect.poll(() => started.filter(alive)).toEqual([]);
  });

  async function collectLog(runId: string, step: string): Promise<string> {
    const { readStepLog } = await import('../src/pipelines/index.js');
    let text = '';
    for await (const chunk of readStepLog(ctx.gyre.pipelines.store, runId, step))
      text += chunk.text;
    return text;
  }
});
