// Pipeline overhead on the embedded shape (SQLite, local executor), measured in one run:
//   1. an empty 10-step DAG (start → 7 in parallel → join → end) of `run: "true"` steps,
//      against the floor: the same DAG of `sh -c true` spawned by plain Node, no bookkeeping;
//   2. the same DAG of no-op built-in steps (worker threads, warm);
//   3. trigger to first step: an HTTP trigger and a dataset event, until the first step starts.
// Targets (issue 9): ≤ 0.5 s, ≤ 0.1 s, ≤ 200 ms. The anchors for scale — Prefect ~0.4 s per
// task, Dagster 3–6 s per run start, Argo ~10 s requeue — are QUOTED from their users' reports,
// not measured here (none of them can be installed on this machine).
//
//   npm run build && npx tsx bench/pipelines/run.ts
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { createGyre, type Gyre } from '../../src/gyre.js';
import { buildApp, listen } from '../../src/server/index.js';

const REPEATS = 7;
const FAN = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7'];

function dag(name: string, step: Record<string, unknown>) {
  return {
    name,
    steps: {
      start: { ...step, cache: false },
      ...Object.fromEntries(FAN.map((b) => [b, { ...step, needs: 'start', cache: false }])),
      join: { ...step, needs: FAN, cache: false },
      end: { ...step, needs: 'join', cache: false },
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function timeRuns(gyre: Gyre, pipeline: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    const run = await (await gyre.pipelines.startRun({ pipeline })).done;
    if (run.status !== 'succeeded') throw new Error(`${pipeline} ${run.status}: ${run.error}`);
    times.push(performance.now() - t0);
  }
  return times;
}

/** The floor: the same DAG shape as bare `sh -c true` processes. */
async function bareDag(): Promise<number> {
  const sh = () =>
    new Promise<void>((resolve) => spawn('/bin/sh', ['-c', 'true']).on('exit', () => resolve()));
  const t0 = performance.now();
  await sh();
  await Promise.all(FAN.map(sh));
  await sh();
  await sh();
  return performance.now() - t0;
}

async function firstStepLatency(gyre: Gyre, runId: string, since: number): Promise<number> {
  for (;;) {
    const steps = await gyre.pipelines.store.listSteps(runId);
    const started = steps.map((s) => s.startedAt).filter((t): t is number => t !== undefined);
    if (started.length > 0) return Math.min(...started) - since;
    await new Promise((r) => setTimeout(r, 2));
  }
}

const home = mkdtempSync(join(tmpdir(), 'gyre-bench-pipelines-'));
const gyre = await createGyre(loadConfig({ cwd: home, env: { GYRE_HOME: home } }));
try {
  await gyre.pipelines.register({ spec: dag('run-true', { run: 'true' }) });
  await gyre.pipelines.register({ spec: dag('noop', { uses: 'util/noop' }) });
  const bare: number[] = [];
  for (let i = 0; i < REPEATS; i++) bare.push(await bareDag());
  const runTrue = await timeRuns(gyre, 'run-true');
  const coldNoop = (await timeRuns(gyre, 'noop'))[0];
  const noop = await timeRuns(gyre, 'noop');

  // Triggers: a server on loopback (the lease holder), as in production.
  const app = await buildApp(gyre, { version: 'bench' });
  const url = await listen(app, { host: '127.0.0.1', port: 0 });
  gyre.start({ apiUrl: url });
  await gyre.pipelines.register({
    spec: {
      name: 'on-data',
      triggers: [{ dataset: 'bench' }],
      steps: { first: { run: 'true', cache: false } },
    },
  });
  const http: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = Date.now();
    const response = await fetch(`${url}/api/v1/pipelines/on-data/trigger`, { method: 'POST' });
    const { run } = (await response.json()) as { run: { id: string } };
    http.push(await firstStepLatency(gyre, run.id, t0));
    await gyre.pipelines.waitFor(run.id, 20);
  }
  // Wait for the trigger consumer to hold the lease and have its cursor.
  while (
    (
      await gyre.db.kysely
        .selectFrom('event_cursors' as never)
        .selectAll()
        .execute()
    ).length === 0
  )
    await new Promise((r) => setTimeout(r, 20));
  const event: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const file = join(home, `bench-${i}.csv`);
    writeFileSync(file, `x\n${i}\n`);
    const before = (await gyre.pipelines.listRuns({ pipeline: 'on-data' })).items.length;
    const { version } = await gyre.data.datasets.ingest({ source: file, name: 'bench' });
    let runs = (await gyre.pipelines.listRuns({ pipeline: 'on-data' })).items;
    while (runs.length === before) {
      await new Promise((r) => setTimeout(r, 2));
      runs = (await gyre.pipelines.listRuns({ pipeline: 'on-data' })).items;
    }
    event.push(await firstStepLatency(gyre, runs[0].id, version.createdAt));
    await gyre.pipelines.waitFor(runs[0].id, 20);
  }
  await app.close();

  const rows = [
    [
      'empty 10-step DAG, run: "true"',
      median(runTrue),
      500,
      `bare sh -c true DAG ${ms(median(bare))}`,
    ],
    [
      'empty 10-step DAG, no-op built-ins (warm)',
      median(noop),
      100,
      `first run (workers starting) ${ms(coldNoop)}`,
    ],
    ['trigger → first step, HTTP', median(http), 200, 'Prefect ~0.4 s/task (quoted)'],
    [
      'trigger → first step, dataset event',
      median(event),
      200,
      'Dagster 3–6 s/run start, Argo ~10 s requeue (quoted)',
    ],
  ] as const;
  console.log(
    `\nPipelines on SQLite, local executor; median of ${REPEATS} runs (${process.platform}, node ${process.version})\n`,
  );
  console.log(
    `${'measure'.padEnd(44)}${'gyre'.padStart(12)}${'target'.padStart(10)}  ${'met'.padEnd(5)}anchor`,
  );
  for (const [name, value, target, anchor] of rows)
    console.log(
      `${name.padEnd(44)}${ms(value).padStart(12)}${`${target} ms`.padStart(10)}  ${(value <= target ? 'yes' : 'NO').padEnd(5)}${anchor}`,
    );
  console.log(
    `\nrun: "true" DAG vs the bare floor: ${(median(runTrue) / median(bare)).toFixed(1)}× (${ms((median(runTrue) - median(bare)) / 10)} of bookkeeping per step)`,
  );
} finally {
  await gyre.close();
  rmSync(home, { recursive: true, force: true });
}
