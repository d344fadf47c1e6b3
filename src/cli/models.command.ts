import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { InvalidArgumentError } from '../core/index.js';
import { cardMarkdown, type CardFieldPatch } from '../governance/index.js';
import type { ModelVersion, RegisteredModelDetail } from '../registry/index.js';
import { withGyre, type CliContext } from './context.js';
import { printJson, printTable } from './output.js';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** JSON cannot hold NaN or ±Infinity; print lineage metric values that are not finite as strings. */
function jsonSafe(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
    ),
  );
}

function newest(model: RegisteredModelDetail): number | undefined {
  const versions = model.latestVersions.map((v) => v.version);
  return versions.length > 0 ? Math.max(...versions) : undefined;
}

function printVersions(ctx: CliContext, versions: ModelVersion[]): void {
  printTable(
    ctx,
    ['VERSION', 'STAGE', 'STATUS', 'ALIASES', 'RUN', 'CREATED', 'SOURCE'],
    versions.map((v) => [
      v.version,
      v.stage,
      v.status,
      v.aliases.join(','),
      v.runId,
      iso(v.createdAt),
      v.source,
    ]),
  );
}

function printModel(ctx: CliContext, model: RegisteredModelDetail): void {
  const lines: [string, string | undefined][] = [
    ['name', model.name],
    ['description', model.description],
    ['created', iso(model.createdAt)],
    ['updated', iso(model.updatedAt)],
    [
      'tags',
      Object.entries(model.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
    ],
    ['aliases', model.aliases.map((a) => `${a.alias}→${a.version}`).join(', ')],
  ];
  for (const [key, value] of lines) ctx.stdout.write(`${`${key}:`.padEnd(13)}${value ?? ''}\n`);
  if (model.latestVersions.length === 0) return;
  ctx.stdout.write('\nlatest version per stage:\n');
  printVersions(ctx, model.latestVersions);
}

function registerAliasCommands(models: Command, ctx: CliContext): void {
  const alias = models.command('alias').description('point model aliases at versions');
  alias
    .command('set <name> <alias> <version>')
    .description('point <alias> at <version>, re-pointing it if it exists')
    .option('--json', 'print the version as JSON')
    .action((name: string, aliasName: string, version: string, options: { json?: boolean }) =>
      withGyre(
        ctx,
        async ({ registry }) => {
          await registry.setAlias(name, aliasName, version);
          const target = await registry.getVersionByAlias(name, aliasName);
          if (options.json) printJson(ctx, jsonSafe(target));
          else ctx.stdout.write(`${name}@${aliasName} → version ${target.version}\n`);
        },
        { writes: true },
      ),
    );
  alias
    .command('delete <name> <alias>')
    .description('delete an alias (the version stays)')
    .option('--json', 'print JSON')
    .action((name: string, aliasName: string, options: { json?: boolean }) =>
      withGyre(
        ctx,
        async ({ registry }) => {
          await registry.deleteAlias(name, aliasName);
          if (options.json) printJson(ctx, { name, alias: aliasName, deleted: true });
          else ctx.stdout.write(`deleted alias ${name}@${aliasName}\n`);
        },
        { writes: true },
      ),
    );
}

const CARD_FIELDS: Record<string, keyof CardFieldPatch> = {
  intended_use: 'intendedUse',
  owner: 'owner',
  limitations: 'limitations',
};

/** `--set owner=risk-team` pairs as a card patch; an unknown field names the known ones. */
function cardPatch(pairs: string[]): CardFieldPatch {
  const patch: CardFieldPatch = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const field = CARD_FIELDS[eq > 0 ? pair.slice(0, eq) : pair];
    if (!field)
      throw new InvalidArgumentError(
        `--set ${pair}: use <field>=<text> with field one of ${Object.keys(CARD_FIELDS).join(', ')}`,
        { field: 'set' },
      );
    patch[field] = pair.slice(eq + 1);
  }
  return patch;
}

/** `fraud/3` or `fraud@champion` → name and version reference. */
function versionRef(ref: string): { name: string; version?: string; alias?: string } {
  const slash = ref.lastIndexOf('/');
  const at = ref.lastIndexOf('@');
  if (slash > 0) return { name: ref.slice(0, slash), version: ref.slice(slash + 1) };
  if (at > 0) return { name: ref.slice(0, at), alias: ref.slice(at + 1) };
  throw new InvalidArgumentError(`model "${ref}": use <name>/<version> or <name>@<alias>`, {
    field: 'model',
  });
}

function registerCardCommand(models: Command, ctx: CliContext): void {
  models
    .command('card <model>')
    .description(
      'the model card of a version (fraud/3 or fraud@champion): lineage, data, metrics, gates, deployments, monitoring',
    )
    .option('--format <format>', 'md or json', 'md')
    .option(
      '--set <field=text...>',
      'edit a field first: intended_use, owner or limitations (empty text clears it)',
    )
    .addHelpText(
      'after',
      `
Examples:
  gyre models card fraud/3
  gyre models card fraud@champion --format json
  gyre models card fraud/3 --set owner=risk-team --set "intended_use=Scoring card payments"`,
    )
    .action((model: string, options: { format: string; set?: string[] }) =>
      withGyre(
        ctx,
        async ({ registry, governance }) => {
          if (options.format !== 'md' && options.format !== 'json')
            throw new InvalidArgumentError(`--format ${options.format}: use md or json`, {
              field: 'format',
            });
          const ref = versionRef(model);
          const version =
            ref.version ?? (await registry.getVersionByAlias(ref.name, ref.alias!)).version;
          const card = options.set
            ? await governance.cards.patchFields(
                ref.name,
                version,
                cardPatch(options.set),
                `local:${userInfo().username}`,
              )
            : await governance.cards.card(ref.name, version);
          if (options.format === 'json') printJson(ctx, jsonSafe(card));
          else ctx.stdout.write(cardMarkdown(card));
        },
        { writes: options.set !== undefined },
      ),
    );
}

/** `gyre models list|show|versions|card` and `gyre models alias set|delete`. */
export function registerModelsCommand(program: Command, ctx: CliContext): void {
  const models = program.command('models').description('the model registry');
  models
    .command('list')
    .description('list registered models')
    .option('--filter <filter>', 'MLflow filter, e.g. "name LIKE \'fraud%\'"')
    .option('--order-by <clause...>', 'e.g. "last_updated_timestamp DESC"')
    .option('--max-results <n>', 'at most this many (default 100)')
    .option('--json', 'print JSON')
    .action(
      (options: { filter?: string; orderBy?: string[]; maxResults?: string; json?: boolean }) =>
        withGyre(ctx, async ({ registry }) => {
          const page = await registry.searchModels({
            filter: options.filter,
            orderBy: options.orderBy,
            maxResults: options.maxResults === undefined ? undefined : Number(options.maxResults),
          });
          if (options.json) return printJson(ctx, jsonSafe(page));
          printTable(
            ctx,
            ['NAME', 'LATEST', 'ALIASES', 'UPDATED', 'DESCRIPTION'],
            page.items.map((m) => [
              m.name,
              newest(m),
              m.aliases.map((a) => `${a.alias}→${a.version}`).join(','),
              iso(m.updatedAt),
              m.description,
            ]),
          );
          if (page.nextPageToken) ctx.stdout.write('(more models: use --max-results)\n');
        }),
    );
  models
    .command('show <name>')
    .description('show a registered model: tags, aliases and the latest version per stage')
    .option('--json', 'print JSON')
    .action((name: string, options: { json?: boolean }) =>
      withGyre(ctx, async ({ registry }) => {
        const model = await registry.getModel(name);
        if (options.json) printJson(ctx, jsonSafe(model));
        else printModel(ctx, model);
      }),
    );
  models
    .command('versions <name>')
    .description("list a model's versions, newest first")
    .option('--filter <filter>', 'MLflow filter, e.g. "tags.validated = \'yes\'"')
    .option('--json', 'print JSON')
    .action((name: string, options: { filter?: string; json?: boolean }) =>
      withGyre(ctx, async ({ registry }) => {
        await registry.getModel(name);
        const page = await registry.searchVersions({ filter: options.filter, modelName: name });
        if (options.json) printJson(ctx, jsonSafe(page.items));
        else printVersions(ctx, page.items);
      }),
    );
  registerCardCommand(models, ctx);
  registerAliasCommands(models, ctx);
}
