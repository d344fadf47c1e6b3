import type { EventConsumer, GyreEvent } from '../../events/index.js';
import {
  MODEL_ALIAS_CHANGED,
  MODEL_VERSION_CREATED,
  type ModelEventPayload,
} from '../../registry/index.js';
import type { DeploymentService } from './deployment-service.js';

/**
 * Keeps deployments that follow a moving model reference on its current version: an alias
 * moving (`models:/housing@champion`) or a new version (`models:/housing/latest`) appends a
 * revision to each deployment routing to it, and servers then swap. Runs in the event
 * dispatcher of a long-running Gyre; delivery is at least once and `follow` is idempotent.
 */
export function modelFollower(deployments: DeploymentService): EventConsumer {
  return {
    name: 'serving.model-follower',
    types: [MODEL_ALIAS_CHANGED, MODEL_VERSION_CREATED],
    async handle(event: GyreEvent) {
      const { name, alias, version } = event.payload as unknown as ModelEventPayload;
      if (event.type === MODEL_ALIAS_CHANGED && alias !== undefined) {
        // A deleted alias has no version to move to: deployments keep what they serve.
        if (version === undefined) return;
        await deployments.follow(
          `models:/${name}@${alias}`,
          `${name}@${alias} moved to version ${version}`,
        );
      } else if (event.type === MODEL_VERSION_CREATED) {
        await deployments.follow(
          `models:/${name}/latest`,
          `${name} version ${version} is the latest`,
        );
      }
    },
  };
}
