import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SOURCE_FORMATS, type DataServices } from '../../data/index.js';
import { InvalidArgumentError } from '../../core/index.js';
import { access } from '../auth/route-access.js';

const FORMAT_OF_MEDIA_TYPE: Record<string, (typeof SOURCE_FORMATS)[number]> = {
  'text/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'application/vnd.apache.parquet': 'parquet',
  'application/x-parquet': 'parquet',
  'application/x-ndjson': 'ndjson',
  'application/json': 'json',
};

/**
 * `PUT /api/v1/datasets/{name}/versions/upload`: the file is the request body, streamed to a
 * temp file (no size limit but the disk's) and ingested as a new version, so a remote client
 * needs no path on the server. The format comes from `?format=` or the Content-Type.
 */
export function datasetUploadRoutes(data: DataServices): FastifyPluginAsyncZod {
  return async (app) => {
    // Bytes, not JSON: hand the raw stream through, whatever the content type.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

    app.put(
      '/api/v1/datasets/:name/versions/upload',
      {
        config: access('EDIT'),
        schema: {
          tags: ['data'],
          summary: 'Upload a CSV, TSV, Parquet, JSON or NDJSON file as a new version',
          consumes: Object.keys(FORMAT_OF_MEDIA_TYPE),
          params: z.object({ name: z.string().min(1).max(128) }),
          querystring: z.object({
            format: z.enum(SOURCE_FORMATS).optional(),
            fileName: z.string().max(256).optional().describe('recorded as the source'),
            createdBy: z.string().max(256).optional(),
          }),
        },
      },
      async (request, reply) => {
        const mediaType = (request.headers['content-type'] ?? '')
          .split(';')[0]
          .trim()
          .toLowerCase();
        const format = request.query.format ?? FORMAT_OF_MEDIA_TYPE[mediaType];
        if (!format)
          throw new InvalidArgumentError(
            `cannot tell the upload's format from Content-Type "${mediaType}": pass ?format=${SOURCE_FORMATS.join('|')}`,
            { field: 'format' },
          );
        const dir = await mkdtemp(join(tmpdir(), 'gyre-upload-'));
        try {
          const file = join(dir, `upload.${format}`);
          await pipeline(request.raw, createWriteStream(file));
          const result = await data.datasets.ingest({
            source: file,
            name: request.params.name,
            format,
            createdBy: request.query.createdBy ?? request.principal?.name ?? 'api',
            recordAs: `upload:${request.query.fileName ?? `${request.params.name}.${format}`}`,
          });
          return reply.code(result.created ? 201 : 200).send(result);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    );
  };
}
