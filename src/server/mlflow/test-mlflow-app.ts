// Test-only (excluded from the build): the app and request helpers shared by the MLflow
// endpoint contract suites. Each `use…App` registers its own beforeEach/afterEach, so a
// suite gets a fresh app over the fresh database that describeEachDatabase provides.
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openArtifactStore, type ArtifactStore } from '../../artifacts/index.js';
import { fixedClock } from '../../core/index.js';
import type { Database } from '../../db/index.js';
import { KyselyRegistryStore, RegistryService } from '../../registry/index.js';
import type { Gyre } from '../../gyre.js';
import { createTrackingService } from '../../tracking/index.js';
import { buildApp } from '../app.js';
import { registerMlflowApi } from './mlflow-plugin.js';
import { registerRegistryEndpoints } from './registry-endpoints.js';

export const MLFLOW_API = '/api/2.0/mlflow';
/** The registry suites' fixed clock start. */
export const T0 = 1_700_000_000_000;
/** The one run the registry suites' run lookup knows. */
export const RUN = 'c'.repeat(32);
export const INVALID = [400, 'INVALID_PARAMETER_VALUE'];
export const MISSING = [404, 'RESOURCE_DOES_NOT_EXIST'];

/** `[status, error_code]` of an MLflow error reply, for compact assertions. */
export const errorOf = (res: { statusCode: number; json(): { error_code: string } }) => [
  res.statusCode,
  res.json().error_code,
];

export interface MlflowTestApp {
  readonly app: FastifyInstance;
  readonly artifacts: ArtifactStore;
  post(
    path: string,
    payload: object,
    method?: 'POST' | 'PATCH' | 'DELETE',
  ): Promise<LightMyRequestResponse>;
  get(path: string, query?: Record<string, string | string[]>): Promise<LightMyRequestResponse>;
}

interface BuiltApp {
  app: FastifyInstance;
  artifacts: ArtifactStore;
  /** Removes what the build made besides the app. */
  cleanup?(): void;
}

function useApp(build: () => Promise<BuiltApp>): MlflowTestApp {
  let current: BuiltApp | undefined;
  const live = () => {
    if (!current) throw new Error('MLflow test app used outside a test');
    return current;
  };
  beforeEach(async () => {
    current = await build();
  });
  afterEach(async () => {
    await current?.app.close();
    current?.cleanup?.();
    current = undefined;
  });
  return {
    get app() {
      return live().app;
    },
    get artifacts() {
      return live().artifacts;
    },
    post: (path, payload, method = 'POST') =>
      live().app.inject({ method, url: `${MLFLOW_API}/${path}`, payload }),
    get: (path, query = {}) =>
      live().app.inject({ method: 'GET', url: `${MLFLOW_API}/${path}`, query }),
  };
}

/** The whole Gyre app, as the tracking contract suites use it. */
export function useTrackingMlflowApp(ctx: { readonly gyre: Gyre }): MlflowTestApp {
  return useApp(async () => ({
    app: await buildApp(ctx.gyre, { version: '0.0.0-test' }),
    artifacts: ctx.gyre.artifacts,
  }));
}

/**
 * Only the MLflow plugin with the registry endpoints, over a run lookup that knows one run
 * (RUN) and a fixed clock, so replies can be compared whole.
 */
export function useRegistryMlflowApp(ctx: { readonly db: Database }): MlflowTestApp {
  return useApp(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-mlflow-test-'));
    const artifacts = openArtifactStore(dir);
    const registry = new RegistryService({
      store: new KyselyRegistryStore(ctx.db),
      artifacts,
      runs: {
        getRun: async (runId) =>
          runId === RUN
            ? {
                runId,
                artifactUri: `mlflow-artifacts:/0/${RUN}/artifacts`,
                datasets: [],
                metrics: [],
              }
            : undefined,
      },
      clock: fixedClock(T0),
    });
    const app = Fastify();
    const tracking = createTrackingService(ctx.db);
    await registerMlflowApi(app, { version: '0.0.0', registry, tracking, artifacts }, [
      registerRegistryEndpoints,
    ]);
    return { app, artifacts, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  });
}

/** Registers `name` with `count` versions whose sources are s3://bucket/<name>/<n>. */
export async function createModelWithVersions(
  t: MlflowTestApp,
  name: string,
  count: number,
): Promise<void> {
  await t.post('registered-models/create', { name });
  for (let i = 0; i < count; i++)
    await t.post('model-versions/create', { name, source: `s3://bucket/${name}/${i + 1}` });
}
