import type { Command } from 'commander';
import type { Metric, Run } from '../tracking/index.js';
import { withGyre, type CliContext } from './context.js';
import { iso } from './experiments.command.js';
import { printJson, printTable } from './output.js';

/** JSON cannot hold NaN or ±Infinity: print them as strings. */
function jsonSafe(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
    ),
  );
}

const metricText = (m: Metric | undefined) => (m === undefined ? undefined : String(m.value));

function duration(run: Run): string | undefined {
  if (run.info.endTime === undefined) return undefined;
  const s = (run.info.endTime - run.info.startTime) / 1000;
  return s < 60 ? `${s.toFixed(1)}s` : `${(s / 60).toFixed(1)}m`;
}

function printRun(ctx: CliContext, run: Run): void {
  const i = run.info;
  const lines: [string, string | undefined][] = [
    ['run id', i.runId],
    ['name', i.runName],
    ['experiment', i.experimentId],
    ['status', i.status],
    ['lifecycle', i.lifecycleStage],
    ['user', i.userId || undefined],
    ['started', iso(i.startTime)],
    ['ended', iso(i.endTime)],
    ['artifacts', i.artifactUri],
  ];
  for (const [key, value] of lines) ctx.stdout.write(`${`${key}:`.padEnd(12)}${value ?? ''}\n`);
  const section = (title: string, rows: (string | number | undefined)[][], columns: string[]) => {
    if (rows.length === 0) return;
    ctx.stdout.write(`\n${title}:\n`);
    printTable(ctx, columns, rows);
  };
  section(
    'params',
    run.params.map((p) => [p.key, p.value]),
    ['KEY', 'VALUE'],
  );
  section(
    'metrics (latest)',
    run.metrics.map((m) => [m.key, metricText(m), m.step, iso(m.timestamp)]),
    ['KEY', 'VALUE', 'STEP', 'TIME'],
  );
  section(
    'tags',
    run.tags.map((t) => [t.key, t.value]),
    ['KEY', 'VALUE'],
  );
  section(
    'inputs',
    run.inputs.map((d) => [d.name, d.digest, d.context]),
    ['DATASET', 'DIGEST', 'CONTEXT'],
  );
  section(
    'outputs',
    run.outputs.map((o) => [o.name, o.version]),
    ['MODEL', 'VERSION'],
  );
}

/** Params and metrics of several runs side by side: one row per key, one column per run. */
export function compareRows(runs: Run[]): { columns: string[]; rows: (string | undefined)[][] } {
  const columns = ['KEY', ...runs.map((r) => r.info.runName || r.info.runId.slice(0, 8))];
  const rows: (string | undefined)[][] = [['run id', ...runs.map((r) => r.info.runId.slice(0, 8))]];
  const paramKeys = [...new Set(runs.flatMap((r) => r.params.map((p) => p.key)))].sort();
  for (const key of paramKeys)
    rows.push([`params.${key}`, ...runs.map((r) => r.params.find((p) => p.key === key)?.value)]);
  const metricKeys = [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.key)))].sort();
  for (const key of metricKeys)
    rows.push([
      `metrics.${key}`,
      ...runs.map((r) => metricText(r.metrics.find((m) => m.key === key))),
    ]);
  return { columns, rows };
}

/** `gyre runs list|show|compare`. */
export function registerRunsCommand(program: Command, ctx: CliContext): void {
  const runs = program.command('runs').description('list, show and compare runs');

  runs
    .command('list')
    .description('list the runs of an experiment, newest first')
    .option(
      '-e, --experiment <id>',
      'experiment id (repeat for several)',
      (v: string, p: string[]) => [...p, v],
      [],
    )
    .option(
      '--filter <filter>',
      'MLflow search filter, e.g. "metrics.rmse < 0.5 AND params.model = \'gbdt\'"',
    )
    .option(
      '--order-by <clause>',
      'e.g. "metrics.rmse ASC" (repeat for more)',
      (v: string, p: string[]) => [...p, v],
      [],
    )
    .option('--max-results <n>', 'at most this many', (v) => Number(v))
    .option('--json', 'print JSON')
    .action(
      async (options: {
        experiment: string[];
        filter?: string;
        orderBy: string[];
        maxResults?: number;
        json?: boolean;
      }) => {
        await withGyre(ctx, async (gyre) => {
          const experimentIds = options.experiment.length > 0 ? options.experiment : ['0'];
          // MLflow's search ignores unknown experiment ids; a user who mistyped one wants to know.
          for (const id of experimentIds) await gyre.tracking.experiments.get(id);
          const page = await gyre.tracking.runs.search({
            experimentIds,
            filter: options.filter,
            orderBy: options.orderBy,
            maxResults: options.maxResults,
          });
          if (options.json) return printJson(ctx, jsonSafe(page));
          printTable(
            ctx,
            ['RUN ID', 'NAME', 'STATUS', 'STARTED', 'DURATION', 'EXPERIMENT'],
            page.items.map((r) => [
              r.info.runId,
              r.info.runName,
              r.info.status,
              iso(r.info.startTime),
              duration(r),
              r.info.experimentId,
            ]),
          );
        });
      },
    );

  runs
    .command('show <runId>')
    .description('show a run: params, latest metrics, tags, inputs and outputs')
    .option('--json', 'print JSON')
    .action(async (runId: string, options: { json?: boolean }) => {
      await withGyre(ctx, async (gyre) => {
        const run = await gyre.tracking.runs.get(runId);
        if (options.json) printJson(ctx, jsonSafe(run));
        else printRun(ctx, run);
      });
    });

  runs
    .command('compare <runIds...>')
    .description('params and latest metrics of runs side by side')
    .option('--json', 'print JSON')
    .action(async (runIds: string[], options: { json?: boolean }) => {
      await withGyre(ctx, async (gyre) => {
        const fetched: Run[] = [];
        for (const id of runIds) fetched.push(await gyre.tracking.runs.get(id));
        const { columns, rows } = compareRows(fetched);
        if (options.json)
          printJson(ctx, {
            runs: fetched.map((r) => r.info.runId),
            rows: rows.slice(1).map(([key, ...values]) => ({ key, values })),
          });
        else printTable(ctx, columns, rows);
      });
    });
}
