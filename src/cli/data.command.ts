import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { FailedPreconditionError, InvalidArgumentError } from '../core/index.js';
import {
  assertFormat,
  parseSuite,
  type DatasetVersion,
  type ValidationReport,
} from '../data/index.js';
import { withGyre, type CliContext } from './context.js';
import { profileRows, rounded, ROUNDING_NOTE } from './data-numbers.js';
import { progressBar } from './data-progress.js';
import { registerDataPiiCommands } from './data-pii.command.js';
import { registerDataZoneCommands } from './data-zone.command.js';
import { printJson, printTable } from './output.js';

/** Collects repeatable `key=value` options into a record. */
export function keyValue(flag: string) {
  return (value: string, previous: Record<string, string> = {}): Record<string, string> => {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`${flag} ${value}: expected key=value`);
    return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
  };
}

export function readSuite(file: string) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InvalidArgumentError(`suite file ${file} cannot be read`, { file });
  }
  return { suite: parseSuite(text, file), name: basename(file) };
}

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

function printVersion(ctx: CliContext, v: DatasetVersion): void {
  ctx.stdout.write(
    `${v.datasetName}@${v.version}  ${v.rowCount} rows  ${v.schema.length} columns  sha256:${v.digest.slice(0, 12)}  ${v.bytes} bytes (parquet)\n`,
  );
}

export function printReport(ctx: CliContext, report: ValidationReport): void {
  printTable(
    ctx,
    ['RESULT', 'SEVERITY', 'EXPECTATION', 'COLUMN', 'DETAIL'],
    report.results.map((r) => [
      r.passed ? 'pass' : 'FAIL',
      r.severity,
      r.expectation,
      r.column,
      r.message,
    ]),
  );
  ctx.stdout.write(
    `${report.passed ? 'passed' : 'FAILED'}: ${report.errors} error(s), ${report.warnings} warning(s)  (report ${report.id})\n`,
  );
}

export function registerDataCommands(program: Command, ctx: CliContext): void {
  const data = program
    .command('data')
    .description('versioned datasets: ingest, inspect, validate, transform, watch');

  data
    .command('add <file>')
    .description(
      'ingest a CSV, TSV, Parquet, JSON or NDJSON file (path, s3:// or artifacts: URI) as a new version',
    )
    .requiredOption('-n, --name <name>', 'dataset name')
    .option('--format <format>', 'csv, tsv, parquet, json or ndjson (default: from the file name)')
    .option(
      '--type <column=type>',
      "override a column's logical type (repeatable)",
      keyValue('--type'),
    )
    .option('--tag <key=value>', 'tag the version (repeatable)', keyValue('--tag'))
    .option('--suite <file>', 'validate first; a failing suite registers nothing')
    .option('--json', 'print JSON')
    .action(
      async (
        file: string,
        o: {
          name: string;
          format?: string;
          type?: Record<string, string>;
          tag?: Record<string, string>;
          suite?: string;
          json?: boolean;
        },
      ) => {
        const suite = o.suite ? readSuite(o.suite) : undefined;
        const progress = progressBar(ctx);
        const result = await withGyre(
          ctx,
          (g) =>
            g.data.datasets
              .ingest({
                source: file,
                name: o.name,
                format: o.format,
                types: o.type,
                tags: o.tag,
                createdBy: userInfo().username,
                suite,
                onProgress: progress.listener,
              })
              .finally(() => progress.done()),
          { writes: true },
        );
        if (o.json) return printJson(ctx, result);
        ctx.stdout.write(result.created ? 'added ' : 'unchanged: identical content is already ');
        printVersion(ctx, result.version);
      },
    );

  data
    .command('list')
    .description('list datasets')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await withGyre(ctx, (g) => g.data.datasets.listDatasets());
      if (o.json) return printJson(ctx, list);
      printTable(
        ctx,
        ['NAME', 'LATEST', 'UPDATED'],
        list.map((d) => [d.name, d.latestVersion, when(d.updatedAt)]),
      );
    });

  data
    .command('versions <name>')
    .description("list a dataset's versions")
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const versions = await withGyre(ctx, (g) => g.data.datasets.listVersions(name));
      if (o.json) return printJson(ctx, versions);
      printTable(
        ctx,
        ['VERSION', 'ROWS', 'COLUMNS', 'DIGEST', 'CREATED', 'BY', 'SOURCE'],
        versions.map((v) => [
          v.version,
          v.rowCount,
          v.schema.length,
          v.digest.slice(0, 12),
          when(v.createdAt),
          v.createdBy,
          v.source,
        ]),
      );
    });

  data
    .command('show <ref>')
    .description(
      'show a version (name@version, or name for the latest) with its schema and profile',
    )
    .option('--json', 'print JSON (version and full profile)')
    .action(async (ref: string, o: { json?: boolean }) => {
      const [version, profile] = await withGyre(
        ctx,
        async (g) =>
          [await g.data.datasets.getVersion(ref), await g.data.datasets.getProfile(ref)] as const,
      );
      if (o.json) return printJson(ctx, { ...version, profile });
      printVersion(ctx, version);
      ctx.stdout.write(
        `source: ${version.source}\ncreated: ${when(version.createdAt)} by ${version.createdBy}\n\n`,
      );
      printTable(
        ctx,
        ['COLUMN', 'TYPE', 'NULLS', 'DISTINCT', 'MIN', 'MAX', 'MEAN', 'TOP'],
        profileRows(profile.columns),
      );
      ctx.stdout.write(`\n${ROUNDING_NOTE}`);
    });

  data
    .command('diff <from> <to>')
    .description('schema and distribution changes between two versions (e.g. housing@1 housing@2)')
    .option('--json', 'print JSON')
    .action(async (from: string, to: string, o: { json?: boolean }) => {
      const diff = await withGyre(ctx, (g) => g.data.datasets.diff(from, to));
      if (o.json) return printJson(ctx, diff);
      ctx.stdout.write(
        `${diff.from.name}@${diff.from.version} (${diff.from.rowCount} rows) → ${diff.to.name}@${diff.to.version} (${diff.to.rowCount} rows)\n`,
      );
      for (const c of diff.schema.added)
        ctx.stdout.write(`+ column ${c.name} (${c.logicalType})\n`);
      for (const c of diff.schema.removed)
        ctx.stdout.write(`- column ${c.name} (${c.logicalType})\n`);
      for (const c of diff.schema.retyped)
        ctx.stdout.write(`~ column ${c.name}: ${c.from} → ${c.to}\n`);
      printTable(
        ctx,
        ['COLUMN', 'NULL% FROM', 'NULL% TO', 'MEAN FROM', 'MEAN TO', 'PSI'],
        diff.columns.map((c) => [
          c.name,
          (c.nullFraction.from * 100).toFixed(2),
          (c.nullFraction.to * 100).toFixed(2),
          rounded(c.mean?.from),
          rounded(c.mean?.to),
          c.psi === undefined ? '' : c.psi.toFixed(3) + (c.psi > 0.2 ? ' (shift)' : ''),
        ]),
      );
    });

  data
    .command('get <ref>')
    .description(
      'write a version to a file; the format follows the file name (csv, tsv, parquet, json, ndjson)',
    )
    .requiredOption('-o, --output <file>', 'file to write')
    .option('--format <format>', 'override the format the file name implies')
    .action(async (ref: string, o: { output: string; format?: string }) => {
      const format = o.format
        ? assertFormat(o.format)
        : assertFormat(/\.([a-z]+)$/i.exec(o.output)?.[1]?.toLowerCase() ?? 'csv');
      const progress = progressBar(ctx);
      const version = await withGyre(ctx, (g) =>
        g.data.datasets
          .exportVersion(ref, o.output, format, progress.listener)
          .finally(() => progress.done()),
      );
      ctx.stdout.write(
        `wrote ${version.datasetName}@${version.version} (${version.rowCount} rows) to ${o.output}\n`,
      );
    });

  data
    .command('validate <ref>')
    .description(
      'validate a version against a suite; exits non-zero when an error-severity expectation fails',
    )
    .requiredOption('--suite <file>', 'suite YAML')
    .option('--json', 'print the report as JSON')
    .action(async (ref: string, o: { suite: string; json?: boolean }) => {
      const { suite, name } = readSuite(o.suite);
      const report = await withGyre(ctx, (g) => g.data.datasets.validate(ref, suite, name), {
        writes: true,
      });
      if (o.json) printJson(ctx, report);
      else printReport(ctx, report);
      if (!report.passed)
        throw new FailedPreconditionError(
          `validation of ${ref} failed with ${report.errors} error(s)`,
        );
    });

  data
    .command('reports <ref>')
    .description("a version's stored validation reports, oldest first")
    .option('--json', 'print JSON')
    .action(async (ref: string, o: { json?: boolean }) => {
      const reports = await withGyre(ctx, (g) => g.data.datasets.listReports(ref));
      if (o.json) return printJson(ctx, reports);
      printTable(
        ctx,
        ['ID', 'TIME', 'RESULT', 'ERRORS', 'WARNINGS', 'SUITE'],
        reports.map((r) => [
          r.id,
          when(r.createdAt),
          r.passed ? 'passed' : 'FAILED',
          r.errors,
          r.warnings,
          r.suiteName,
        ]),
      );
    });

  data
    .command('report <id>')
    .description('show one stored validation report')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const report = await withGyre(ctx, (g) => g.data.datasets.getReport(id));
      if (o.json) return printJson(ctx, report);
      printReport(ctx, report);
    });

  data
    .command('transform')
    .description('run a DuckDB SELECT over dataset versions into a new version')
    .requiredOption('-n, --name <name>', 'dataset to create a version of')
    .requiredOption(
      '-i, --input <alias=ref>',
      'an input table: alias=name@version (repeatable)',
      keyValue('--input'),
    )
    .option('--sql <sql>', 'the SELECT')
    .option('--sql-file <file>', 'read the SELECT from a file')
    .option('--json', 'print JSON')
    .action(
      async (o: {
        name: string;
        input: Record<string, string>;
        sql?: string;
        sqlFile?: string;
        json?: boolean;
      }) => {
        const sql = o.sql ?? (o.sqlFile ? readFileSync(o.sqlFile, 'utf8') : undefined);
        if (!sql) throw new InvalidArgumentError('give the SELECT with --sql or --sql-file');
        const result = await withGyre(
          ctx,
          (g) =>
            g.data.transforms.runSql({
              name: o.name,
              sql,
              inputs: o.input,
              createdBy: userInfo().username,
            }),
          { writes: true },
        );
        if (o.json) return printJson(ctx, result);
        ctx.stdout.write(result.created ? 'created ' : 'unchanged: ');
        printVersion(ctx, result.version);
      },
    );

  data
    .command('split <ref>')
    .description('split a version into <prefix>-train, -validation and -test versions')
    .requiredOption(
      '--by <method>',
      'random (by --seed), hash (of --column) or time (ordered by --column)',
    )
    .option('--seed <n>', 'seed for random splits', (v) => Number.parseInt(v, 10))
    .option('--column <name>', 'key column (hash) or time column (time)')
    .option('--fractions <t,v,t>', 'train,validation,test fractions (default 0.8,0.1,0.1)')
    .option('--prefix <name>', 'output dataset prefix (default: the dataset name)')
    .option('--json', 'print JSON')
    .action(
      async (
        ref: string,
        o: {
          by: 'random' | 'hash' | 'time';
          seed?: number;
          column?: string;
          fractions?: string;
          prefix?: string;
          json?: boolean;
        },
      ) => {
        const parts = o.fractions?.split(',').map(Number);
        if (parts && parts.length !== 3)
          throw new InvalidArgumentError('--fractions needs three numbers: train,validation,test');
        const fractions = parts
          ? { train: parts[0], validation: parts[1], test: parts[2] }
          : undefined;
        const result = await withGyre(
          ctx,
          (g) =>
            g.data.transforms.split({
              source: ref,
              by: o.by,
              seed: o.seed,
              column: o.column,
              fractions,
              prefix: o.prefix,
              createdBy: userInfo().username,
            }),
          { writes: true },
        );
        if (o.json) return printJson(ctx, result);
        for (const r of Object.values(result)) printVersion(ctx, r.version);
      },
    );

  registerDataZoneCommands(data, ctx);
  registerDataPiiCommands(data, ctx);
}
