import type { ArtifactStore } from '../artifacts/index.js';
import type { Clock, Logger } from '../core/index.js';
import type { Database } from '../db/index.js';
import type { EventConsumer, EventStore } from '../events/index.js';
import type { RegistryService } from '../registry/index.js';
import { DeploymentService } from './deployments/deployment-service.js';
import { KyselyDeploymentStore } from './deployments/kysely-deployment-store.js';
import { modelFollower } from './deployments/model-follower.js';
import { ModelLoader } from './loader/model-loader.js';

/** Serving's services, built once by the composition root. */
export interface ServingServices {
  deployments: DeploymentService;
  loader: ModelLoader;
  /** Event consumers the composition root registers with the dispatcher. */
  consumers: EventConsumer[];
}

export interface ServingServicesOptions {
  db: Database;
  events: EventStore;
  registry: RegistryService;
  artifacts: ArtifactStore;
  logger: Logger;
  clock: Clock;
}

export function createServingServices(options: ServingServicesOptions): ServingServices {
  const loader = new ModelLoader(options.registry, options.artifacts);
  const deployments = new DeploymentService({
    store: new KyselyDeploymentStore(options.db, options.events),
    loader,
    clock: options.clock,
    logger: options.logger.child({ component: 'serving' }),
  });
  return { deployments, loader, consumers: [modelFollower(deployments)] };
}
