import type { Command } from 'commander';
import { InvalidArgumentError } from '../core/index.js';
import {
  readDefinitionsDir,
  type FeatureViewDefinition,
  type StoredDefinition,
} from '../features/index.js';
import { withGyre, type CliContext } from './context.js';
import { cliUser } from './deploy.command.js';
import { printJson, printTable } from './output.js';

const iso = (ms: number | undefined) =>
  ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function duration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  const units: [number, string][] = [
    [604_800_000, 'w'],
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1000, 's'],
  ];
  for (const [size, unit] of units)
    if (Math.abs(ms) >= size && ms % size === 0) return `${ms / size}${unit}`;
  for (const [size, unit] of units)
    if (Math.abs(ms) >= size) return `${(ms / size).toFixed(1)}${unit}`;
  return `${ms}ms`;
}

/** `--start` / `--end`: epoch milliseconds or an ISO 8601 time. */
function timeOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new InvalidArgumentError(
      `${flag} takes epoch milliseconds or an ISO 8601 time, got ${value}`,
      {
        field: flag.replace(/^--/, ''),
      },
    );
  return ms;
}

const KIND_ORDER = ['entity', 'feature_view', 'feature_service'];

const viewSource = (v: FeatureViewDefinition) =>
  'dataset' in v.source
    ? v.source.dataset
    : `sql over ${Object.values(v.source.inputs).join(', ')}`;

function viewRows(views: StoredDefinition<FeatureViewDefinition>[]) {
  return views.map(({ definition: v, version }) => [
    v.name,
    version,
    v.entities.join(','),
    v.features.length,
    duration(v.ttl),
    v.owner ?? '',
    Object.entries(v.tags)
      .map(([k, t]) => (t ? `${k}=${t}` : k))
      .join(','),
    viewSource(v),
  ]);
}

/** `gyre features …`: definitions, discovery, training sets, materialization, online lookups. */
export function registerFeaturesCommand(program: Command, ctx: CliContext): void {
  const features = program
    .command('features')
    .description(
      'the feature store: entities, feature views and services; point-in-time training sets; online features',
    );

  features
    .command('apply <dir>')
    .description(
      'validate and register the definitions in the YAML files under <dir> (kind: entity, feature_view, feature_service); prints the plan',
    )
    .option('--plan', 'only print what would change; register nothing')
    .option('--json', 'print the plan as JSON')
    .action((dir: string, o: { plan?: boolean; json?: boolean }) =>
      withGyre(
        ctx,
        async (gyre) => {
          const located = await readDefinitionsDir(dir);
          const fileOf = new Map(located.map((l) => [l.definition, l.file]));
          const result = await gyre.features.registry.apply(
            located.map((l) => l.definition),
            {
              createdBy: cliUser(),
              dryRun: o.plan ?? false,
              fileOf: (d) => fileOf.get(d) ?? `${d.kind} ${d.name}`,
            },
          );
          if (o.json) return printJson(ctx, result);
          printTable(
            ctx,
            ['KIND', 'NAME', 'CHANGE', 'VERSION'],
            [...result.plan]
              .sort(
                (a, b) =>
                  KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
                  a.name.localeCompare(b.name),
              )
              .map((p) => [p.kind, p.name, p.change, p.version]),
          );
          const count = (c: string) => result.plan.filter((p) => p.change === c).length;
          ctx.stdout.write(
            `${count('added')} added, ${count('changed')} changed, ${count('unchanged')} unchanged${o.plan ? ' (plan only: nothing registered)' : ''}\n`,
          );
        },
        { writes: !o.plan },
      ),
    );

  features
    .command('list')
    .description('list or search feature views (all filters must match)')
    .option('--name <text>', 'part of the name')
    .option('--tag <tag>', 'a tag key, or key=value')
    .option('--owner <owner>', 'the owner')
    .option('--entity <entity>', 'an entity the view describes')
    .option('--query <text>', 'part of the name, description or a feature name')
    .option('--json', 'print JSON')
    .action(
      (o: {
        name?: string;
        tag?: string;
        owner?: string;
        entity?: string;
        query?: string;
        json?: boolean;
      }) =>
        withGyre(ctx, async (gyre) => {
          const { json, ...filter } = o;
          const views = await gyre.features.registry.views(filter);
          if (json) return printJson(ctx, views);
          printTable(
            ctx,
            ['VIEW', 'VERSION', 'ENTITIES', 'FEATURES', 'TTL', 'OWNER', 'TAGS', 'SOURCE'],
            viewRows(views),
          );
        }),
    );

  features
    .command('show <view>')
    .description(
      'a feature view: features, source dataset versions, services, deployments and models using it, freshness and profiles',
    )
    .option('--json', 'print JSON')
    .action((name: string, o: { json?: boolean }) =>
      withGyre(ctx, async (gyre) => {
        const d = await gyre.features.discovery.describeView(name);
        if (o.json) return printJson(ctx, d);
        const v = d.view.definition;
        const out = (label: string, value: string) =>
          ctx.stdout.write(`${label.padEnd(15)}${value}\n`);
        out('view:', `${v.name} (version ${d.view.version} of ${d.versions})`);
        if (v.description) out('description:', v.description);
        out('owner:', v.owner ?? '-');
        out('entities:', `${v.entities.join(', ')} (join keys ${d.joinKeys.join(', ')})`);
        out('timestamp:', `${v.timestampColumn}, ttl ${duration(v.ttl)}`);
        out('source:', `${viewSource(v)} → ${d.sources.join(', ') || '(not found)'}`);
        out('services:', d.services.join(', ') || '-');
        out(
          'deployments:',
          d.deployments.map((x) => `${x.deployment} (${x.models.join(', ')})`).join(', ') || '-',
        );
        out('training sets:', d.trainingSets.join(', ') || '-');
        out('models:', d.models.join(', ') || '-');
        out(
          'freshness:',
          d.freshness.lastMaterializedAt === undefined
            ? 'never materialized'
            : `materialized ${iso(d.freshness.lastMaterializedAt)}, newest value ${iso(d.freshness.latestEventMs)} (lag ${duration(d.freshness.lagMs)})`,
        );
        printTable(
          ctx,
          ['FEATURE', 'TYPE', 'NULLS', 'MEAN', 'MIN', 'MAX', 'DESCRIPTION'],
          v.features.map((f) => {
            const p = d.profiles[f.name];
            return [
              f.name,
              f.type,
              p ? p.nullFraction.toFixed(3) : '',
              p?.mean !== undefined ? p.mean.toPrecision(4) : '',
              p?.min ?? '',
              p?.max ?? '',
              f.description ?? '',
            ];
          }),
        );
      }),
    );

  features
    .command('services')
    .description('list feature services and the features they select')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withGyre(ctx, async (gyre) => {
        const services = await gyre.features.registry.services();
        if (o.json) return printJson(ctx, services);
        printTable(
          ctx,
          ['SERVICE', 'VERSION', 'FEATURES', 'OWNER'],
          services.map((s) => [
            s.name,
            s.version,
            s.definition.features.join(' '),
            s.definition.owner ?? '',
          ]),
        );
      }),
    );

  features
    .command('entities')
    .description('list entities and their join keys')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withGyre(ctx, async (gyre) => {
        const entities = await gyre.features.registry.entities();
        if (o.json) return printJson(ctx, entities);
        printTable(
          ctx,
          ['ENTITY', 'VERSION', 'JOIN KEYS', 'DESCRIPTION'],
          entities.map((e) => [
            e.name,
            e.version,
            e.definition.joinKeys.join(','),
            e.definition.description ?? '',
          ]),
        );
      }),
    );

  features
    .command('training-set')
    .description(
      "join entity rows to a feature service's values as of each row's timestamp (never a later value, none older than the TTL); registers a dataset version with lineage to every source",
    )
    .requiredOption('--service <name>', 'the feature service')
    .option(
      '--entities <file>',
      'entity rows: .parquet, .csv or .ndjson with join keys and a timestamp',
    )
    .option('--entities-dataset <ref>', 'entity rows from a dataset version instead, e.g. labels@2')
    .option('--timestamp-column <name>', "the entity rows' timestamp column", 'event_timestamp')
    .option(
      '--drop-keys',
      'leave the join keys and timestamp out: only labels and features (to train on)',
    )
    .option('--output <file>', 'also write the training set to this Parquet file')
    .option(
      '--dataset <name>',
      'register as a version of this dataset (default <service>-training)',
    )
    .option('--json', 'print JSON')
    .action(
      (o: {
        service: string;
        entities?: string;
        entitiesDataset?: string;
        timestampColumn: string;
        dropKeys?: boolean;
        output?: string;
        dataset?: string;
        json?: boolean;
      }) =>
        withGyre(
          ctx,
          async (gyre) => {
            if ((o.entities === undefined) === (o.entitiesDataset === undefined))
              throw new InvalidArgumentError('give --entities <file> or --entities-dataset <ref>', {
                field: 'entities',
              });
            const started = Date.now();
            const result = await gyre.features.trainingSets.build({
              service: o.service,
              entities:
                o.entities !== undefined ? { path: o.entities } : { dataset: o.entitiesDataset! },
              timestampColumn: o.timestampColumn,
              dropKeys: o.dropKeys ?? false,
              ...(o.output ? { output: o.output } : {}),
              ...(o.dataset ? { dataset: o.dataset } : {}),
              createdBy: cliUser(),
              onStage: (stage) => ctx.stderr.write(`${stage}…\n`),
            });
            if (o.json) return printJson(ctx, result);
            ctx.stdout.write(
              `${result.version.datasetName}@${result.version.version}: ${result.rows} rows, ${result.columns.length} columns${result.created ? '' : ' (same content as before)'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
            );
            ctx.stdout.write(`sources: ${result.sources.join(', ')}\n`);
            if (result.output) ctx.stdout.write(`written to ${result.output}\n`);
          },
          { writes: true },
        ),
    );

  features
    .command('materialize')
    .description(
      'write the latest value per entity of feature views to the online store (event times in (--start, --end])',
    )
    .option('--view <name...>', 'only these views (default: every view)')
    .option('--start <time>', 'only event times after this (epoch ms or ISO 8601)')
    .option('--end <time>', 'only event times at or before this (default now)')
    .option('--json', 'print JSON')
    .action((o: { view?: string[]; start?: string; end?: string; json?: boolean }) =>
      withGyre(
        ctx,
        async (gyre) => {
          const startMs = timeOption(o.start, '--start');
          const endMs = timeOption(o.end, '--end');
          const done = await gyre.features.materializer.materialize({
            ...(o.view ? { views: o.view } : {}),
            ...(startMs !== undefined ? { startMs } : {}),
            ...(endMs !== undefined ? { endMs } : {}),
            onProgress: (view, written, total) =>
              ctx.stderr.write(`${view}: ${written}/${total} entities\n`),
          });
          if (o.json) return printJson(ctx, done);
          printTable(
            ctx,
            ['VIEW', 'ENTITIES', 'NEWEST VALUE', 'UP TO', 'STORE', 'SOURCES'],
            done.map((m) => [
              m.view,
              m.rows,
              iso(m.maxEventMs),
              iso(m.endMs),
              m.store,
              m.sources.join(', '),
            ]),
          );
        },
        { writes: true },
      ),
    );

  features
    .command('online')
    .description("a feature service's online values for one entity")
    .requiredOption('--service <name>', 'the feature service')
    .requiredOption('--entity <value...>', 'the join key value, or key=value for each join key')
    .option('--at <time>', 'judge the TTLs as of this time (epoch ms or ISO 8601; default now)')
    .option('--json', 'print JSON')
    .action((o: { service: string; entity: string[]; at?: string; json?: boolean }) =>
      withGyre(ctx, async (gyre) => {
        const plan = await gyre.features.online.plan(o.service);
        const row: Record<string, string> = {};
        for (const part of o.entity) {
          const eq = part.indexOf('=');
          if (eq > 0) row[part.slice(0, eq)] = part.slice(eq + 1);
          else if (plan.joinKeys.length === 1) row[plan.joinKeys[0]] = part;
          else
            throw new InvalidArgumentError(
              `--entity: ${o.service} needs ${plan.joinKeys.join(', ')}: give key=value for each`,
              { field: 'entity' },
            );
        }
        const found = await gyre.features.online.get(o.service, [row], timeOption(o.at, '--at'));
        if (o.json) return printJson(ctx, { ...found, rows: undefined, features: found.rows[0] });
        printTable(
          ctx,
          ['FEATURE', 'VALUE'],
          Object.entries(found.rows[0]).map(([k, v]) => [k, v === null ? '(missing)' : String(v)]),
        );
      }),
    );
}
