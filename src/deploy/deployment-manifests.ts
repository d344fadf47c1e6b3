import type { DeploymentService } from '../serving/index.js';
import type { KubernetesObject } from './kubernetes-object.js';
import { renderDeploymentManifests } from './render-deployment.js';
import { resolveRenderOptions, type KubernetesRenderOptions } from './render-options.js';
import { toYaml } from './to-yaml.js';

/** A deployment's manifests, as objects and as the YAML `kubectl apply -f -` takes. */
export interface RenderedManifests {
  deployment: string;
  revision: number;
  objects: KubernetesObject[];
  yaml: string;
}

/**
 * `gyre deployments render`: a stored deployment as Kubernetes manifests, with the configured
 * defaults (`kubernetes.*`) under what the caller overrides. Rendering never applies anything:
 * that is for `kubectl`, the API or GitOps.
 */
export class DeploymentManifests {
  constructor(
    private readonly deps: {
      deployments: DeploymentService;
      defaults: Partial<KubernetesRenderOptions>;
    },
  ) {}

  /** The options a render with these overrides would use (checked). */
  options(overrides: Partial<KubernetesRenderOptions> = {}): KubernetesRenderOptions {
    const defined = Object.fromEntries(
      Object.entries(overrides).filter(([, v]) => v !== undefined),
    );
    return resolveRenderOptions({ ...this.deps.defaults, ...defined });
  }

  async render(
    name: string,
    overrides: Partial<KubernetesRenderOptions> = {},
  ): Promise<RenderedManifests> {
    const options = this.options(overrides);
    const deployment = await this.deps.deployments.get(name);
    const objects = renderDeploymentManifests(deployment, options);
    return {
      deployment: deployment.name,
      revision: deployment.current.revision,
      objects,
      yaml: toYaml(objects),
    };
  }
}
