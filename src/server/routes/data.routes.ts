import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  LINEAGE_KINDS,
  LOGICAL_TYPES,
  SOURCE_FORMATS,
  SPLIT_METHODS,
  parseSuite,
  type DataServices,
} from '../../data/index.js';
import { access } from '../auth/route-access.js';

const name = z.string().min(1).max(128);
const versionParam = z.union([z.literal('latest'), z.coerce.number().int().positive()]);
const ref = (n: string, v: number | 'latest') => (v === 'latest' ? n : `${n}@${v}`);
const tags = z.record(z.string(), z.string()).optional();

const CONTENT_TYPES: Record<(typeof SOURCE_FORMATS)[number], string> = {
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
};

/** Datasets and versions, validation, transforms, landing zones and lineage. */
export function dataRoutes(data: DataServices): FastifyPluginAsyncZod {
  return async (app) => {
    const { datasets } = data;
    const tags_ = ['data'];

    app.get(
      '/api/v1/datasets',
      { config: access('READ'), schema: { tags: tags_, summary: 'List datasets' } },
      async () => ({
        datasets: await datasets.listDatasets(),
      }),
    );

    app.post(
      '/api/v1/datasets/:name/versions',
      {
        config: access('EDIT'),
        schema: {
          tags: tags_,
          summary:
            'Ingest a file as a new version: s3://, artifacts:, or a server path under an allowed source root',
          params: z.object({ name }),
          body: z.strictObject({
            source: z.string().min(1),
            format: z.enum(SOURCE_FORMATS).optional(),
            types: z.record(z.string(), z.enum(LOGICAL_TYPES)).optional(),
            tags,
            createdBy: z.string().max(256).optional(),
            suite: z.string().optional(),
          }),
        },
      },
      async (request, reply) => {
        const { format, types, createdBy, suite } = request.body;
        // Over HTTP a path is the server's file: only allowed roots may be read.
        const source = await data.sources.check(request.body.source);
        const result = await datasets.ingest({
          source,
          name: request.params.name,
          format,
          types,
          tags: request.body.tags,
          createdBy: createdBy ?? 'api',
          suite: suite === undefined ? undefined : { suite: parseSuite(suite, 'body.suite') },
        });
        return reply.code(result.created ? 201 : 200).send(result);
      },
    );

    app.get(
      '/api/v1/datasets/:name',
      {
        config: access('READ'),
        schema: { tags: tags_, summary: 'A dataset', params: z.object({ name }) },
      },
      async (request) => datasets.getDataset(request.params.name),
    );

    app.get(
      '/api/v1/datasets/:name/versions',
      {
        config: access('READ'),
        schema: { tags: tags_, summary: "A dataset's versions", params: z.object({ name }) },
      },
      async (request) => ({ versions: await datasets.listVersions(request.params.name) }),
    );

    const versionParams = z.object({ name, version: versionParam });

    app.get(
      '/api/v1/datasets/:name/versions/:version',
      {
        config: access('READ'),
        schema: { tags: tags_, summary: 'A version (or `latest`)', params: versionParams },
      },
      async (request) => datasets.getVersion(ref(request.params.name, request.params.version)),
    );

    app.get(
      '/api/v1/datasets/:name/versions/:version/profile',
      {
        config: access('READ'),
        schema: { tags: tags_, summary: "A version's profile", params: versionParams },
      },
      async (request) => datasets.getProfile(ref(request.params.name, request.params.version)),
    );

    app.get(
      '/api/v1/datasets/:name/versions/:version/content',
      {
        config: access('READ'),
        schema: {
          tags: tags_,
          summary: "A version's content as CSV, TSV, Parquet, JSON or NDJSON",
          params: versionParams,
          querystring: z.object({ format: z.enum(SOURCE_FORMATS).default('parquet') }),
        },
      },
      async (request, reply) => {
        const { format } = request.query;
        const dir = await mkdtemp(join(tmpdir(), 'gyre-export-'));
        const file = join(dir, `data.${format}`);
        try {
          const version = await datasets.exportVersion(
            ref(request.params.name, request.params.version),
            file,
            format,
          );
          const stream = createReadStream(file);
          stream.on('close', () => void rm(dir, { recursive: true, force: true }));
          return reply
            .header('content-type', CONTENT_TYPES[format])
            .header(
              'content-disposition',
              `attachment; filename="${version.datasetName}-${version.version}.${format}"`,
            )
            .send(stream);
        } catch (error) {
          await rm(dir, { recursive: true, force: true });
          throw error;
        }
      },
    );

    app.get(
      '/api/v1/datasets/:name/diff',
      {
        config: access('READ'),
        schema: {
          tags: tags_,
          summary: 'Schema and distribution changes between two versions',
          params: z.object({ name }),
          querystring: z.object({ from: versionParam, to: versionParam }),
        },
      },
      async (request) => {
        const { name: n } = request.params;
        return datasets.diff(ref(n, request.query.from), ref(n, request.query.to));
      },
    );

    app.post(
      '/api/v1/datasets/:name/versions/:version/validations',
      {
        config: access('EDIT'),
        schema: {
          tags: tags_,
          summary: 'Validate a version against a suite (YAML) and store the report',
          params: versionParams,
          body: z.strictObject({ suite: z.string(), suiteName: z.string().max(256).optional() }),
        },
      },
      async (request, reply) => {
        const suiteName = request.body.suiteName;
        const suite = parseSuite(request.body.suite, suiteName ?? 'body.suite');
        const report = await datasets.validate(
          ref(request.params.name, request.params.version),
          suite,
          suiteName,
        );
        return reply.code(201).send(report);
      },
    );

    app.get(
      '/api/v1/datasets/:name/versions/:version/validations',
      {
        config: access('READ'),
        schema: { tags: tags_, summary: "A version's validation reports", params: versionParams },
      },
      async (request) => ({
        reports: await datasets.listReports(ref(request.params.name, request.params.version)),
      }),
    );

    app.get(
      '/api/v1/validation-reports/:id',
      {
        config: access('READ'),
        schema: {
          tags: tags_,
          summary: 'A validation report',
          params: z.object({ id: z.string() }),
        },
      },
      async (request) => datasets.getReport(request.params.id),
    );

    app.post(
      '/api/v1/transforms/sql',
      {
        config: access('EDIT'),
        schema: {
          tags: tags_,
          summary: 'Run a DuckDB SELECT over versions into a new version',
          body: z.strictObject({
            name,
            sql: z.string().min(1),
            inputs: z.record(z.string(), z.string()),
            createdBy: z.string().max(256).optional(),
            tags,
          }),
        },
      },
      async (request, reply) => {
        const result = await data.transforms.runSql({
          ...request.body,
          createdBy: request.body.createdBy ?? 'api',
        });
        return reply.code(result.created ? 201 : 200).send(result);
      },
    );

    app.post(
      '/api/v1/transforms/split',
      {
        config: access('EDIT'),
        schema: {
          tags: tags_,
          summary: 'Split a version into train / validation / test versions',
          body: z.strictObject({
            source: z.string().min(1),
            by: z.enum(SPLIT_METHODS),
            seed: z.number().int().optional(),
            column: z.string().optional(),
            fractions: z
              .strictObject({ train: z.number(), validation: z.number(), test: z.number() })
              .optional(),
            prefix: name.optional(),
            createdBy: z.string().max(256).optional(),
          }),
        },
      },
      async (request, reply) => reply.code(201).send(await data.transforms.split(request.body)),
    );

    app.get(
      '/api/v1/landing-zones',
      { config: access('READ'), schema: { tags: tags_, summary: 'List landing zones' } },
      async () => ({ zones: await data.landing.listZones() }),
    );

    app.post(
      '/api/v1/landing-zones',
      {
        config: access('MANAGE'),
        schema: {
          tags: tags_,
          summary: 'Watch a directory or S3 prefix; each new file becomes a version',
          body: z.strictObject({
            name,
            uri: z.string().min(1),
            datasetName: name,
            suite: z.string().optional(),
          }),
        },
      },
      async (request, reply) => {
        const { suite, ...zone } = request.body;
        const uri = await data.sources.checkZoneRoot(zone.uri);
        return reply
          .code(201)
          .send(await data.landing.createZone({ ...zone, uri, suiteYaml: suite }));
      },
    );

    app.get(
      '/api/v1/landing-zones/:name/files',
      {
        config: access('READ'),
        schema: {
          tags: tags_,
          summary: "A zone's processed files: registered or quarantined with the reason",
          params: z.object({ name }),
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        },
      },
      async (request) => ({
        files: await data.landing.listFiles(request.params.name, request.query.limit),
      }),
    );

    app.post(
      '/api/v1/landing-zones/:name/poll',
      {
        config: access('EDIT'),
        schema: { tags: tags_, summary: 'Process new files now', params: z.object({ name }) },
      },
      async (request) => ({ outcomes: await data.landing.pollOnce(request.params.name) }),
    );

    app.get(
      '/api/v1/lineage/:kind/:id',
      {
        config: access('READ'),
        schema: {
          tags: ['lineage'],
          summary: 'The lineage graph of a dataset version, transform, run or model version',
          params: z.object({ kind: z.enum(LINEAGE_KINDS), id: z.string().min(1) }),
          querystring: z.object({ direction: z.enum(['up', 'down']).default('up') }),
        },
      },
      async (request) =>
        data.lineage.graph(request.params.kind, request.params.id, request.query.direction),
    );
  };
}
