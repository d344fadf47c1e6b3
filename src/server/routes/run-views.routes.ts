import { extname } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  joinArtifactPath,
  validateArtifactPath,
  type ArtifactStore,
} from '../../artifacts/index.js';
import { requireStorePath, type TrackingService } from '../../tracking/index.js';
import { access } from '../auth/route-access.js';
import { attachmentDisposition } from '../content-disposition.js';
import { downsampleMinMax, type SampledPoint } from './metric-downsampling.js';

const runParams = z.object({ runId: z.string() });
const sampledPoint = z.object({
  step: z.number(),
  timestamp: z.number(),
  value: z.number().nullable().describe('null where the logged value was NaN or infinite'),
});

// What the artifact browser previews inline; anything else downloads.
const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.yaml': 'text/plain; charset=utf-8',
  '.yml': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
};
const contentTypeOf = (path: string) =>
  path.endsWith('/MLmodel') || path === 'MLmodel'
    ? 'text/plain; charset=utf-8'
    : (CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream');

/**
 * Read views of a run for the web UI and other clients: a metric history reduced for a chart
 * (so 100,000 points per metric cost the browser about a thousand), and the run's artifacts.
 */
export function runViewRoutes(
  tracking: TrackingService,
  artifacts: ArtifactStore,
): FastifyPluginAsyncZod {
  const { runs } = tracking;
  const tags = ['runs'];
  return async (app) => {
    app.get(
      '/api/v1/runs/:runId/metrics/:key/sampled',
      {
        config: access('READ', 'run'),
        schema: {
          tags,
          summary:
            "A metric's history reduced to at most `points` points for a chart (each bucket's min and max)",
          params: z.object({ runId: z.string(), key: z.string() }),
          querystring: z.object({
            points: z.coerce.number().int().min(4).max(20_000).default(1000),
          }),
          response: {
            200: z.object({
              key: z.string(),
              total: z.number().int().describe('points in the whole history'),
              points: z.array(sampledPoint),
            }),
          },
        },
      },
      async (request) => {
        const history = await runs.metricHistory(request.params.runId, request.params.key);
        const points: SampledPoint[] = history.items
          .map((m) => ({
            step: m.step,
            timestamp: m.timestamp,
            value: Number.isFinite(m.value) ? m.value : null,
          }))
          .sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
        return {
          key: request.params.key,
          total: points.length,
          points: downsampleMinMax(points, request.query.points),
        };
      },
    );

    app.get(
      '/api/v1/runs/:runId/artifacts',
      {
        config: access('READ', 'run'),
        schema: {
          tags,
          summary: "A run's artifacts, one directory level at a time",
          params: runParams,
          querystring: z.object({ path: z.string().max(1024).default('') }),
          response: {
            200: z.object({
              rootUri: z.string(),
              path: z.string(),
              files: z.array(
                z.object({ path: z.string(), isDir: z.boolean(), size: z.number().optional() }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const { artifactUri } = await runs.artifactRoot(request.params.runId);
        const root = requireStorePath(artifactUri);
        const path = validateArtifactPath(request.query.path, { allowRoot: true });
        const entries = await artifacts.list(joinArtifactPath(root, path));
        return {
          rootUri: artifactUri,
          path,
          files: entries
            .map((e) => ({
              path: e.path.slice(root.length + 1),
              isDir: e.isDir,
              ...(e.isDir ? {} : { size: e.size }),
            }))
            .sort((a, b) => Number(b.isDir) - Number(a.isDir) || a.path.localeCompare(b.path)),
        };
      },
    );

    app.get(
      '/api/v1/runs/:runId/artifacts/content',
      {
        config: access('READ', 'run'),
        schema: {
          tags,
          summary: 'One artifact of a run, streamed (images, JSON, CSV and text inline)',
          params: runParams,
          querystring: z.object({ path: z.string().min(1).max(1024) }),
        },
      },
      async (request, reply) => {
        const { artifactUri } = await runs.artifactRoot(request.params.runId);
        const root = requireStorePath(artifactUri);
        const path = validateArtifactPath(request.query.path);
        const stream = await artifacts.get(joinArtifactPath(root, path));
        const type = contentTypeOf(path);
        // An artifact is user content on the API's origin: never sniffed, and sandboxed so an
        // SVG or HTML file opened directly runs no script.
        reply.header('x-content-type-options', 'nosniff');
        reply.header(
          'content-security-policy',
          "sandbox; default-src 'none'; style-src 'unsafe-inline'",
        );
        if (type === 'application/octet-stream')
          reply.header('content-disposition', attachmentDisposition(path.split('/').pop()!));
        return reply.type(type).send(stream);
      },
    );
  };
}
