import type { Command } from 'commander';
import { VIEW_TYPES, type Experiment, type ViewType } from '../tracking/index.js';
import { withGyre, type CliContext } from './context.js';
import { printJson, printTable } from './output.js';

export const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Parses repeated `--tag key=value` options. */
export function collectTag(value: string, previous: { key: string; value: string }[]) {
  const at = value.indexOf('=');
  if (at <= 0) throw new Error(`--tag must be key=value, got "${value}"`);
  return [...previous, { key: value.slice(0, at), value: value.slice(at + 1) }];
}

function viewTypeOption(value: string | undefined): ViewType | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase().replace(/-/g, '_');
  const known = { ACTIVE: 'ACTIVE_ONLY', DELETED: 'DELETED_ONLY' } as Record<string, ViewType>;
  const view = (VIEW_TYPES as readonly string[]).includes(upper)
    ? (upper as ViewType)
    : known[upper];
  if (!view) throw new Error(`--view must be one of active, deleted, all; got "${value}"`);
  return view;
}

function printExperiments(ctx: CliContext, experiments: Experiment[]): void {
  printTable(
    ctx,
    ['ID', 'NAME', 'STAGE', 'CREATED', 'ARTIFACT LOCATION'],
    experiments.map((e) => [
      e.experimentId,
      e.name,
      e.lifecycleStage,
      iso(e.creationTime),
      e.artifactLocation,
    ]),
  );
}

/** `gyre experiments list|create`. */
export function registerExperimentsCommand(program: Command, ctx: CliContext): void {
  const experiments = program.command('experiments').description('list and create experiments');

  experiments
    .command('list')
    .description('list experiments (active ones unless --view says otherwise)')
    .option('--filter <filter>', 'MLflow search filter, e.g. "name LIKE \'housing%\'"')
    .option('--view <view>', 'active, deleted or all')
    .option('--max-results <n>', 'at most this many', (v) => Number(v))
    .option('--json', 'print JSON')
    .action(
      async (options: { filter?: string; view?: string; maxResults?: number; json?: boolean }) => {
        const viewType = viewTypeOption(options.view);
        await withGyre(ctx, async (gyre) => {
          const page = await gyre.tracking.experiments.search({
            filter: options.filter,
            viewType,
            maxResults: options.maxResults,
            orderBy: ['experiment_id ASC'],
          });
          if (options.json) printJson(ctx, page);
          else printExperiments(ctx, page.items);
        });
      },
    );

  experiments
    .command('create <name>')
    .description('create an experiment; prints its id')
    .option(
      '--artifact-location <uri>',
      'where its runs keep artifacts (default mlflow-artifacts:/<id>)',
    )
    .option('--tag <key=value>', 'a tag; repeat for more', collectTag, [])
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        options: {
          artifactLocation?: string;
          tag: { key: string; value: string }[];
          json?: boolean;
        },
      ) => {
        await withGyre(
          ctx,
          async (gyre) => {
            const experiment = await gyre.tracking.experiments.create({
              name,
              artifactLocation: options.artifactLocation,
              tags: options.tag,
            });
            if (options.json) printJson(ctx, experiment);
            else ctx.stdout.write(`${experiment.experimentId}\n`);
          },
          { writes: true },
        );
      },
    );
}
