import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../core/index.js';
import { PII_KINDS, type PiiScanReport } from '../data/index.js';
import { withGyre, type CliContext } from './context.js';
import { printJson, printTable } from './output.js';

const pct = (f: number) => `${Math.round(f * 100)}%`;

function printScan(ctx: CliContext, report: PiiScanReport): void {
  ctx.stdout.write(
    `${report.dataset}@${report.version}: ${report.sampledRows} rows sampled (values are never shown)\n`,
  );
  printTable(
    ctx,
    ['COLUMN', 'BY NAME', 'BY CONTENT', 'SUGGESTED', 'TAGGED'],
    report.columns.map((c) => [
      c.column,
      c.byName ?? '',
      c.byContent
        ? `${c.byContent.kind} ${c.byContent.matches}/${c.byContent.sampled} (${pct(c.byContent.fraction)})`
        : '',
      c.suggested ?? '',
      c.tagged ?? '',
    ]),
  );
}

/** `gyre data scan-pii` and `gyre data pii list|tag|untag`. */
export function registerDataPiiCommands(data: Command, ctx: CliContext): void {
  data
    .command('scan-pii <dataset>')
    .description(
      'look for personal data (emails, phone and card numbers, telling column names) in a dataset version; --confirm tags what it suggests',
    )
    .option('--sample <rows>', 'rows sampled for content patterns', '1000')
    .option('--confirm', 'tag every suggested column that has no tag yet')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Examples:
  gyre data scan-pii customers            # the newest version
  gyre data scan-pii customers@2 --confirm

Tagged columns are hashed or dropped in the prediction log of every model trained from the
dataset (or from what was derived from it): see docs/governance.md.`,
    )
    .action((ref: string, o: { sample: string; confirm?: boolean; json?: boolean }) =>
      withGyre(
        ctx,
        async (gyre) => {
          const sample = Number(o.sample);
          if (!Number.isInteger(sample) || sample < 1)
            throw new InvalidArgumentError('--sample must be a positive whole number', {
              field: 'sample',
            });
          const report = await gyre.data.pii.scan(ref, sample);
          const tagged = o.confirm
            ? await gyre.data.pii.confirm(report, `local:${userInfo().username}`)
            : undefined;
          if (o.json) return printJson(ctx, tagged ? { ...report, tagged } : report);
          printScan(ctx, report);
          if (tagged) {
            const names = Object.entries(tagged).map(([c, k]) => `${c} (${k})`);
            ctx.stdout.write(
              names.length ? `tagged: ${names.join(', ')}\n` : 'nothing new to tag\n',
            );
          } else if (report.columns.some((c) => c.suggested && !c.tagged))
            ctx.stdout.write(
              `confirm with: gyre data scan-pii ${ref} --confirm   (or tag by hand: gyre data pii tag ${report.dataset} <column>=<kind>)\n`,
            );
        },
        { writes: o.confirm === true },
      ),
    );

  const pii = data.command('pii').description('PII tags on dataset columns');
  pii
    .command('list <dataset>')
    .description("a dataset's PII tags")
    .option('--json', 'print JSON')
    .action((dataset: string, o: { json?: boolean }) =>
      withGyre(ctx, async (gyre) => {
        const tags = await gyre.data.pii.list(dataset);
        if (o.json) return printJson(ctx, tags);
        printTable(
          ctx,
          ['COLUMN', 'KIND', 'BY', 'AT'],
          tags.map((t) => [t.column, t.kind, t.taggedBy, new Date(t.taggedAt).toISOString()]),
        );
      }),
    );
  pii
    .command('tag <dataset> <column=kind...>')
    .description(`tag columns as personal data; kinds: ${PII_KINDS.join(', ')}`)
    .action((dataset: string, pairs: string[]) =>
      withGyre(
        ctx,
        async (gyre) => {
          const tags: Record<string, string> = {};
          for (const pair of pairs) {
            const eq = pair.indexOf('=');
            if (eq <= 0)
              throw new InvalidArgumentError(`${pair}: use <column>=<kind>, e.g. email=email`, {
                field: 'column',
              });
            tags[pair.slice(0, eq)] = pair.slice(eq + 1);
          }
          const now = await gyre.data.pii.tag(dataset, tags, `local:${userInfo().username}`);
          ctx.stdout.write(`${dataset}: ${now.map((t) => `${t.column} (${t.kind})`).join(', ')}\n`);
        },
        { writes: true },
      ),
    );
  pii
    .command('untag <dataset> <column...>')
    .description('remove PII tags from columns')
    .action((dataset: string, columns: string[]) =>
      withGyre(
        ctx,
        async (gyre) => {
          await gyre.data.pii.tag(
            dataset,
            Object.fromEntries(columns.map((c) => [c, null])),
            `local:${userInfo().username}`,
          );
          ctx.stdout.write(`untagged ${columns.join(', ')} of ${dataset}\n`);
        },
        { writes: true },
      ),
    );
}
