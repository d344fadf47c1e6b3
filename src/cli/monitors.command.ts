import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { InvalidArgumentError } from '../core/index.js';
import type { EvaluateOutcome, FeedbackLabel, MonitorResult } from '../monitoring/index.js';
import { withGyre, type CliContext } from './context.js';
import { cliUser } from './deploy.command.js';
import { printJson, printTable } from './output.js';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const fixed = (x: number | undefined, digits = 3) => (x === undefined ? '' : x.toFixed(digits));

function printResult(ctx: CliContext, r: MonitorResult): void {
  ctx.stdout.write(
    `window ${r.seq}: ${iso(r.windowStart)} .. ${iso(r.windowEnd)}, ${r.rows} rows` +
      `${r.modelVersion ? `, model version ${r.modelVersion}` : ''}\n` +
      `drift share ${fixed(r.driftShare, 2)}${r.datasetDrift ? ' (dataset drift)' : ''}\n`,
  );
  printTable(
    ctx,
    ['FEATURE', 'TEST', 'SCORE', 'THRESHOLD', 'DRIFTED'],
    [...r.features, ...(r.prediction ? [r.prediction] : [])].map((f) => [
      f.feature,
      f.test,
      fixed(f.score, 4),
      f.threshold,
      f.drifted ? 'yes' : '',
    ]),
  );
  const metrics = Object.entries(r.realized.metrics);
  ctx.stdout.write(
    `realized (${r.realized.labelledRows} labelled): ${metrics.map(([k, v]) => `${k} ${fixed(v, 4)}`).join(', ') || '-'}\n`,
  );
}

function printOutcome(ctx: CliContext, outcome: EvaluateOutcome, json?: boolean): void {
  if (json) return printJson(ctx, outcome);
  if (outcome.status === 'skipped') {
    ctx.stdout.write(`skipped: ${outcome.reason}\n`);
    return;
  }
  printResult(ctx, outcome.result!);
  for (const a of outcome.alerts) ctx.stdout.write(`alert ${a.rule}: ${a.change} (${a.id})\n`);
  for (const a of outcome.actions) ctx.stdout.write(`action ${a.kind}: ${a.outcome}\n`);
}

/** `--alert "name: when"` (repeatable) as alert rules with defaults. */
const collect = (value: string, previous: string[] = []) => [...previous, value];

interface CreateOptions {
  file?: string;
  deployment?: string;
  dataset?: string;
  profile?: boolean;
  target?: string;
  rows?: string;
  durationMs?: string;
  column?: string[];
  alert?: string[];
  severity?: string;
  for?: string;
  retrain?: boolean;
  json?: boolean;
}

function monitorInput(name: string, o: CreateOptions): unknown {
  if (o.file) {
    const text = readFileSync(o.file, 'utf8');
    const raw = (o.file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as Record<
      string,
      unknown
    >;
    return { ...raw, name };
  }
  if (!o.deployment)
    throw new InvalidArgumentError('--deployment is required (or --file)', { field: 'deployment' });
  if (!o.dataset)
    throw new InvalidArgumentError('--dataset is required (or --file)', { field: 'dataset' });
  const number = (flag: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${flag} takes a positive whole number, got ${v}`, {
        field: flag,
      });
    return n;
  };
  return {
    name,
    deployment: o.deployment,
    reference: {
      dataset: o.dataset,
      source: o.profile ? 'profile' : 'parquet',
      ...(o.target ? { target: o.target } : {}),
    },
    window: o.durationMs
      ? { durationMs: number('--duration-ms', o.durationMs) }
      : { rows: number('--rows', o.rows ?? '1000') },
    ...(o.column ? { columns: o.column } : {}),
    alerts: (o.alert ?? []).map((text) => {
      const at = text.indexOf(':');
      if (at <= 0)
        throw new InvalidArgumentError(`--alert takes "name: condition", got ${text}`, {
          field: 'alert',
        });
      return {
        name: text.slice(0, at).trim(),
        when: text.slice(at + 1).trim(),
        ...(o.for ? { for: number('--for', o.for) } : {}),
        ...(o.severity ? { severity: o.severity } : {}),
        actions: o.retrain ? [{ kind: 'pipeline' }] : [],
      };
    }),
  };
}

/** Reads `request_id[,row_index],label` or `routing_key,time,label` CSV (a header row first). */
export function readLabelsCsv(text: string): FeedbackLabel[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2)
    throw new InvalidArgumentError('the labels file has no rows', { field: 'file' });
  const header = lines[0].split(',').map((h) => h.trim());
  const at = (name: string) => header.indexOf(name);
  const label = at('label');
  if (label < 0)
    throw new InvalidArgumentError('the labels file needs a label column', { field: 'label' });
  const value = (cell: string) =>
    cell === 'true' ? true : cell === 'false' ? false : Number(cell);
  return lines.slice(1).map((line) => {
    const cells = line.split(',').map((c) => c.trim());
    if (at('request_id') >= 0)
      return {
        requestId: cells[at('request_id')],
        ...(at('row_index') >= 0 ? { rowIndex: Number(cells[at('row_index')]) } : {}),
        label: value(cells[label]),
      };
    if (at('routing_key') >= 0 && at('time') >= 0) {
      const time = cells[at('time')];
      return {
        routingKey: cells[at('routing_key')],
        time: /^\d+$/.test(time) ? Number(time) : time,
        label: value(cells[label]),
      };
    }
    throw new InvalidArgumentError(
      'the labels file needs request_id (and optionally row_index), or routing_key and time',
      { field: 'file' },
    );
  }) as FeedbackLabel[];
}

/** `gyre monitors ...`, `gyre alerts ...` and `gyre feedback send`. */
export function registerMonitoringCommands(program: Command, ctx: CliContext): void {
  const monitors = program
    .command('monitors')
    .description('drift, quality and realized performance of deployments, window by window');
  monitors
    .command('list')
    .description('list monitors with their latest window')
    .option('--deployment <name>', 'only this deployment')
    .option('--json', 'print JSON')
    .action((o: { deployment?: string; json?: boolean }) =>
      withGyre(ctx, async ({ monitoring }) => {
        const all = await monitoring.service.listMonitors(o.deployment);
        if (o.json) return printJson(ctx, all);
        printTable(
          ctx,
          ['NAME', 'DEPLOYMENT', 'WINDOW', 'LAST CHECKED', 'ROWS', 'DRIFT SHARE', 'DRIFT'],
          all.map((m) => [
            m.name,
            m.spec.deployment,
            m.spec.window.kind === 'count'
              ? `${m.spec.window.rows} rows`
              : `${m.spec.window.durationMs} ms`,
            m.latest ? iso(m.latest.windowEnd) : '-',
            m.latest?.rows,
            fixed(m.latest?.driftShare, 2),
            m.latest?.datasetDrift ? 'yes' : '',
          ]),
        );
      }),
    );
  monitors
    .command('show <name>')
    .description("show a monitor's definition and latest window result")
    .option('--json', 'print JSON')
    .action((name: string, o: { json?: boolean }) =>
      withGyre(ctx, async ({ monitoring }) => {
        const m = await monitoring.service.getMonitor(name);
        if (o.json) return printJson(ctx, m);
        ctx.stdout.write(`name:       ${m.name}\ndeployment: ${m.spec.deployment}\n`);
        ctx.stdout.write(
          `reference:  ${JSON.stringify(m.spec.reference)}\nwindow:     ${JSON.stringify(m.spec.window)}\n`,
        );
        for (const r of m.spec.alerts)
          ctx.stdout.write(`alert:      ${r.name}: ${r.when} (for ${r.for}, ${r.severity})\n`);
        if (m.latest) printResult(ctx, m.latest);
        else ctx.stdout.write('no window checked yet\n');
      }),
    );
  monitors
    .command('create <name>')
    .description('create a monitor from flags or a YAML/JSON file (see docs/monitoring.md)')
    .option('-f, --file <path>', 'the whole definition as YAML or JSON')
    .option('--deployment <name>', 'the deployment to watch')
    .option('--dataset <ref>', 'the reference: a dataset (housing) or version (housing@3)')
    .option('--profile', "use the dataset's stored profile (reads no data)")
    .option('--target <column>', 'the dataset column the model predicts (prediction drift)')
    .option('--rows <n>', 'each window: the latest N predictions since the last (default 1000)')
    .option('--duration-ms <ms>', 'each window: the last N milliseconds instead')
    .option('--column <name>', 'a model input to check (repeatable; default: all)', collect)
    .option('--alert <rule>', 'an alert rule, "name: condition" (repeatable)', collect)
    .option('--for <n>', 'windows a condition must hold before its alert fires')
    .option('--severity <level>', 'info, warning or critical')
    .option('--retrain', "alerts emit monitoring.alert.fired for pipelines' alert: triggers")
    .option('--json', 'print JSON')
    .action((name: string, o: CreateOptions) =>
      withGyre(
        ctx,
        async ({ monitoring }) => {
          const m = await monitoring.service.createMonitor(monitorInput(name, o));
          if (o.json) return printJson(ctx, m);
          ctx.stdout.write(`created monitor ${m.name} on deployment ${m.spec.deployment}\n`);
        },
        { writes: true },
      ),
    );
  monitors
    .command('evaluate <name>')
    .description("check the monitor's next window now, store it and move its alerts")
    .option('--json', 'print JSON')
    .action((name: string, o: { json?: boolean }) =>
      withGyre(
        ctx,
        async ({ monitoring }) =>
          printOutcome(ctx, await monitoring.service.evaluate(name), o.json),
        {
          writes: true,
        },
      ),
    );
  monitors
    .command('delete <name>')
    .description('delete a monitor and its results')
    .action((name: string) =>
      withGyre(
        ctx,
        async ({ monitoring }) => {
          await monitoring.service.deleteMonitor(name);
          ctx.stdout.write(`deleted monitor ${name}\n`);
        },
        { writes: true },
      ),
    );

  const alerts = program.command('alerts').description('alerts raised by monitor rules');
  alerts
    .command('list')
    .description('list alerts, newest first')
    .option('--state <state>', 'pending, firing or resolved')
    .option('--deployment <name>', 'only this deployment')
    .option('--json', 'print JSON')
    .action(
      (o: { state?: 'pending' | 'firing' | 'resolved'; deployment?: string; json?: boolean }) =>
        withGyre(ctx, async ({ monitoring }) => {
          const all = await monitoring.service.listAlerts({
            state: o.state,
            deployment: o.deployment,
          });
          if (o.json) return printJson(ctx, all);
          printTable(
            ctx,
            ['ID', 'RULE', 'DEPLOYMENT', 'SEVERITY', 'STATE', 'SINCE', 'ACKED BY'],
            all.map((a) => [
              a.id,
              a.rule,
              a.deployment,
              a.severity,
              a.state,
              iso(a.since),
              a.ackedBy,
            ]),
          );
        }),
    );
  alerts
    .command('show <id>')
    .description('show an alert with its evidence (the windows behind it) and its actions')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withGyre(ctx, async ({ monitoring }) => {
        const a = await monitoring.service.getAlert(id);
        if (o.json) return printJson(ctx, a);
        ctx.stdout.write(
          `alert ${a.id}: ${a.rule} on ${a.deployment} (monitor ${a.monitor})\n${a.severity}, ${a.state} since ${iso(a.since)}` +
            `${a.ackedBy ? `, acknowledged by ${a.ackedBy}` : ''}\n`,
        );
        printTable(
          ctx,
          ['WINDOW', 'ENDED', 'VALUE', 'HELD'],
          a.evidence.map((e) => [e.seq, iso(e.windowEnd), String(e.value), e.held ? 'yes' : 'no']),
        );
        for (const x of a.actions)
          ctx.stdout.write(`action ${x.kind}: ${x.outcome} ${JSON.stringify(x.detail)}\n`);
      }),
    );
  alerts
    .command('ack <id>')
    .description('acknowledge a pending or firing alert')
    .action((id: string) =>
      withGyre(
        ctx,
        async ({ monitoring }) => {
          const a = await monitoring.service.ackAlert(id, cliUser());
          ctx.stdout.write(`acknowledged ${a.id} (${a.rule}, ${a.state})\n`);
        },
        { writes: true },
      ),
    );

  program
    .command('feedback')
    .description('ground-truth labels for predictions')
    .command('send <deployment> <file>')
    .description('send labels from CSV: request_id[,row_index],label or routing_key,time,label')
    .action((deployment: string, file: string) =>
      withGyre(
        ctx,
        async ({ monitoring }) => {
          const labels = readLabelsCsv(readFileSync(file, 'utf8'));
          let total = { accepted: 0, duplicates: 0, updated: 0 };
          for (let i = 0; i < labels.length; i += 10_000) {
            const c = await monitoring.feedback.send(deployment, labels.slice(i, i + 10_000));
            total = {
              accepted: total.accepted + c.accepted,
              duplicates: total.duplicates + c.duplicates,
              updated: total.updated + c.updated,
            };
          }
          ctx.stdout.write(
            `${total.accepted} labels stored, ${total.duplicates} already known, ${total.updated} corrected\n`,
          );
        },
        { writes: true },
      ),
    );
}
