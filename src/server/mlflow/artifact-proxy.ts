import { posix } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { joinArtifactPath, validateArtifactPath } from '../../artifacts/index.js';
import { NotFoundError } from '../../core/index.js';
import { PROXY_STORE_PREFIX } from '../../tracking/index.js';
import type { ArtifactStore } from '../../artifacts/index.js';
import { attachmentDisposition } from '../content-disposition.js';
import { access } from '../auth/route-access.js';
import { configureMlflowScope } from './mlflow-scope.js';
import { toMlflowJson } from './mlflow-json.js';

export const ARTIFACT_PROXY_PREFIXES = [
  '/api/2.0/mlflow-artifacts',
  '/ajax-api/2.0/mlflow-artifacts',
] as const;

/** The store path a proxied `<path>` names: confined under the proxy's prefix. */
function storePath(path: string, allowRoot = false): string {
  return joinArtifactPath(PROXY_STORE_PREFIX, validateArtifactPath(path, { allowRoot }));
}

/** The artifact path of a request; the router has already percent-decoded it, exactly once. */
function wildcard(request: FastifyRequest): string {
  return (request.params as { '*': string })['*'] ?? '';
}

/**
 * MLflow's artifact proxy (mlflow_artifacts.proto): clients upload, download, list and delete
 * run artifacts through the tracking server, which streams them to and from Gyre's
 * ArtifactStore. Uploads are passed through as raw streams, so they are not held in memory
 * and not limited by the JSON body limit.
 */
export async function registerArtifactProxy(
  app: FastifyInstance,
  artifacts: ArtifactStore,
): Promise<void> {
  for (const prefix of ARTIFACT_PROXY_PREFIXES) {
    await app.register(
      async (scope) => {
        configureMlflowScope(scope, { jsonBodies: false });
        // Any content type, JSON included, is artifact bytes here: hand the stream through.
        scope.removeAllContentTypeParsers();
        scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

        scope.put(
          '/artifacts/*',
          { config: access('EDIT', 'experiment') },
          async (request, reply) => {
            await artifacts.put(storePath(wildcard(request)), request.raw);
            return reply.type('application/json').send('{}');
          },
        );

        scope.get(
          '/artifacts/*',
          { config: access('READ', 'experiment') },
          async (request, reply) => {
            const path = storePath(wildcard(request));
            const info = await artifacts.stat(path);
            if (!info)
              throw new NotFoundError(`artifact '${wildcard(request)}' does not exist`, {
                path: wildcard(request),
              });
            const stream = await artifacts.get(path);
            return reply
              .type('application/octet-stream')
              .header('content-length', info.size)
              .header('content-disposition', attachmentDisposition(posix.basename(path)))
              .send(stream);
          },
        );

        scope.delete(
          '/artifacts/*',
          { config: access('EDIT', 'experiment') },
          async (request, reply) => {
            await artifacts.delete(storePath(wildcard(request)));
            return reply.type('application/json').send('{}');
          },
        );

        scope.get('/artifacts', { config: access('READ') }, async (request, reply) => {
          const path = (request.query as { path?: string }).path ?? '';
          const entries = await artifacts.list(storePath(path, true));
          const files = entries.map((e) => ({
            path: posix.basename(e.path),
            is_dir: e.isDir,
            file_size: e.isDir ? undefined : e.size,
          }));
          return reply
            .type('application/json')
            .send(toMlflowJson(files.length > 0 ? { files } : {}));
        });
      },
      { prefix },
    );
  }
}
