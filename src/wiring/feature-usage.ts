import type { FeatureUsage } from '../features/index.js';
import type { DeploymentService } from '../serving/index.js';

/** The deployments that enrich requests from feature services (serving comes after features). */
export function featureUsage(deployments: DeploymentService): FeatureUsage {
  return {
    async deploymentsUsing(services) {
      if (services.length === 0) return [];
      return (await deployments.list())
        .filter((d) => {
          const service = d.current.spec.featureService;
          return service !== undefined && services.includes(service);
        })
        .map((d) => ({
          deployment: d.name,
          service: d.current.spec.featureService!,
          models: d.current.routes.map((r) => r.key),
        }));
    },
  };
}
