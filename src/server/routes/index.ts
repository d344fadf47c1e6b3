import type { FastifyInstance } from 'fastify';
import type { Gyre } from '../../gyre.js';
import { registerMlflowApi } from '../mlflow/mlflow-plugin.js';
import { accessRoutes } from './access.routes.js';
import { dataRoutes } from './data.routes.js';
import { deployRoutes } from './deploy.routes.js';
import { deploymentRoutes } from './deployments.routes.js';
import { datasetUploadRoutes } from './dataset-upload.routes.js';
import { eventRoutes } from './events.routes.js';
import { featureRoutes } from './features.routes.js';
import { governanceRoutes } from './governance.routes.js';
import { healthRoutes } from './health.routes.js';
import { monitoringRoutes } from './monitoring.routes.js';
import { pipelineRoutes } from './pipelines.routes.js';
import { registryRoutes } from './registry.routes.js';
import { runViewRoutes } from './run-views.routes.js';
import { trackingRoutes } from './tracking.routes.js';

/** Every route group, one line each; each group lives in routes/<domain>.routes.ts. */
export async function registerRoutes(
  app: FastifyInstance,
  gyre: Gyre,
  version: string,
): Promise<void> {
  await app.register(healthRoutes(gyre.db));
  await app.register(trackingRoutes(gyre.tracking));
  await app.register(runViewRoutes(gyre.tracking, gyre.artifacts));
  await registerMlflowApi(app, { ...gyre, version });
  await app.register(registryRoutes(gyre.registry));
  await app.register(dataRoutes(gyre.data));
  await app.register(datasetUploadRoutes(gyre.data));
  await app.register(eventRoutes(gyre.events));
  await app.register(featureRoutes(gyre.features));
  await app.register(deploymentRoutes(gyre.serving.deployments));
  await app.register(deployRoutes(gyre.deploy.manifests));
  await app.register(pipelineRoutes(gyre.pipelines));
  await app.register(monitoringRoutes(gyre.monitoring));
  await app.register(accessRoutes(gyre.auth));
  await app.register(governanceRoutes(gyre.governance, gyre.data.pii));
}
