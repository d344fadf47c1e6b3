import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../core/index.js';
import { LandingWatcher, type LandingOutcome } from '../data/index.js';
import { withGyre, type CliContext } from './context.js';
import { printJson, printTable } from './output.js';

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

function printOutcome(ctx: CliContext, o: LandingOutcome): void {
  const version = o.version ? ` → ${o.version.datasetName}@${o.version.version}` : '';
  ctx.stdout.write(`${o.zone}: ${o.path} ${o.status}${version}${o.error ? `: ${o.error}` : ''}\n`);
}

/** `gyre data zone …`, `gyre data watch`, `gyre data events`, `gyre data lineage`. */
export function registerDataZoneCommands(data: Command, ctx: CliContext): void {
  const zone = data
    .command('zone')
    .description('landing zones: watched directories or S3 prefixes');

  zone
    .command('add <name>')
    .description(
      'watch a directory or s3://bucket/prefix; each new file becomes a version of --dataset',
    )
    .requiredOption('--uri <uri>', 'a directory, file:// URI or s3://bucket/prefix')
    .requiredOption('--dataset <name>', 'the dataset new files become versions of')
    .option('--suite <file>', 'suite YAML each file must pass (failing files are quarantined)')
    .action(async (name: string, o: { uri: string; dataset: string; suite?: string }) => {
      const suiteYaml = o.suite ? readFileSync(o.suite, 'utf8') : undefined;
      const z = await withGyre(
        ctx,
        (g) => g.data.landing.createZone({ name, uri: o.uri, datasetName: o.dataset, suiteYaml }),
        { writes: true },
      );
      ctx.stdout.write(`watching ${z.uri} for dataset ${z.datasetName} (zone ${z.name})\n`);
    });

  zone
    .command('list')
    .description('list landing zones')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const zones = await withGyre(ctx, (g) => g.data.landing.listZones());
      if (o.json) return printJson(ctx, zones);
      printTable(
        ctx,
        ['NAME', 'DATASET', 'SUITE', 'URI'],
        zones.map((z) => [z.name, z.datasetName, z.suiteYaml ? 'yes' : '', z.uri]),
      );
    });

  zone
    .command('files <name>')
    .description(
      "a zone's processed files, newest first: registered, or quarantined with the reason",
    )
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const files = await withGyre(ctx, (g) => g.data.landing.listFiles(name));
      if (o.json) return printJson(ctx, files);
      printTable(
        ctx,
        ['PROCESSED', 'STATUS', 'PATH', 'DETAIL'],
        files.map((f) => [
          when(f.processedAt),
          f.status,
          f.path,
          f.quarantinePath ? `${String(f.detail?.error ?? '')} (${f.quarantinePath})` : '',
        ]),
      );
    });

  data
    .command('watch')
    .description(
      'process landing-zone files in the foreground until interrupted (gyre up does this in the background)',
    )
    .option('--zone <name>', 'only this zone')
    .option('--interval <ms>', 'poll interval in milliseconds', (v) => Number.parseInt(v, 10), 2000)
    .option('--once', 'process what is there now and exit')
    .option(
      '--sqs [queue-url]',
      "consume the landing bucket's S3 event notifications from SQS instead of listing (default: landing.sqs.queueUrl)",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  gyre data watch --once\n  gyre data watch --sqs https://sqs.eu-west-1.amazonaws.com/123456789012/gyre-prod-landing --once',
    )
    .action(async (o: { zone?: string; interval: number; once?: boolean; sqs?: string | true }) => {
      if (!(o.interval > 0))
        throw new InvalidArgumentError('--interval must be a positive number of milliseconds');
      await withGyre(
        ctx,
        async (g) => {
          if (o.sqs !== undefined) {
            const source = g.landingQueue({
              queueUrl: o.sqs === true ? undefined : o.sqs,
              onOutcome: (x) => printOutcome(ctx, x),
            });
            if (o.once) {
              const results = await source.receiveOnce();
              for (const r of results)
                if (r.action !== 'deleted')
                  ctx.stderr.write(
                    `message ${r.messageId}: ${r.action}${r.error ? `: ${r.error}` : ''}\n`,
                  );
              ctx.stderr.write(`${results.length} message(s) handled\n`);
              await source.stop();
              return;
            }
            ctx.stderr.write('consuming the landing queue (Ctrl-C to stop)\n');
            source.start();
            await new Promise<void>((resolve) => {
              const stop = () => void source.stop().then(resolve);
              process.once('SIGINT', stop);
              process.once('SIGTERM', stop);
            });
            return;
          }
          if (o.once) {
            for (const outcome of await g.data.landing.pollOnce(o.zone)) printOutcome(ctx, outcome);
            return;
          }
          const watcher = new LandingWatcher(g.data.landing, {
            intervalMs: o.interval,
            zone: o.zone,
            onOutcome: (x) => printOutcome(ctx, x),
          });
          ctx.stderr.write(`watching landing zones every ${o.interval} ms (Ctrl-C to stop)\n`);
          watcher.start();
          await new Promise<void>((resolve) => {
            const stop = () => void watcher.stop().then(resolve);
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
          });
        },
        { writes: true },
      );
    });

  data
    .command('events')
    .description('durable events after a cursor (dataset.version.created, ...)')
    .option('--after <id>', 'only events after this id', (v) => Number.parseInt(v, 10), 0)
    .option('--type <type>', 'only this type')
    .option('--json', 'print JSON')
    .action(async (o: { after: number; type?: string; json?: boolean }) => {
      const events = await withGyre(ctx, (g) => g.events.list({ afterId: o.after, type: o.type }));
      if (o.json) return printJson(ctx, events);
      printTable(
        ctx,
        ['ID', 'TIME', 'TYPE', 'SUBJECT'],
        events.map((e) => [e.id, when(e.createdAt), e.type, e.subject]),
      );
    });

  data
    .command('lineage <kind> <id>')
    .description(
      'lineage graph of a dataset (name@version), transform, run or model_version (name@version)',
    )
    .option('--direction <dir>', 'up (where it came from) or down (what was made from it)', 'up')
    .option('--json', 'print JSON')
    .action(async (kind: string, id: string, o: { direction: 'up' | 'down'; json?: boolean }) => {
      const graph = await withGyre(ctx, (g) => g.data.lineage.graph(kind, id, o.direction));
      if (o.json) return printJson(ctx, graph);
      ctx.stdout.write(`${graph.root} (${o.direction})\n`);
      for (const e of graph.edges) ctx.stdout.write(`  ${e.from} → ${e.to}\n`);
      if (graph.edges.length === 0) ctx.stdout.write('  (no lineage recorded)\n');
    });
}
