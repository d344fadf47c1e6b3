// Public surface of deploy: Gyre's objects rendered as Kubernetes manifests (model
// deployments, Argo Workflows) and their YAML. A GitOps writer builds on these.
export type { KubernetesObject } from './kubernetes-object.js';
export { kubernetesName, labelValue } from './kubernetes-name.js';
export { toYaml } from './to-yaml.js';
export {
  DEFAULT_RENDER_OPTIONS,
  resolveRenderOptions,
  type ContainerResources,
  type KubernetesRenderOptions,
} from './render-options.js';
export { renderDeploymentManifests, REQUESTS_PER_SECOND_METRIC } from './render-deployment.js';
export { restrictedContainerSecurity, restrictedPodSecurity, GYRE_UID } from './pod-security.js';
export { DeploymentManifests, type RenderedManifests } from './deployment-manifests.js';
export { renderArgoWorkflow, type ArgoExportOptions } from './argo/render-argo-workflow.js';
export {
  GitOpsService,
  authorOf,
  commitMessage,
  manifestFiles,
  type GitOpsApplyRequest,
  type GitOpsApplyResult,
  type ManifestRenderer,
  type RenderedObject,
} from './gitops/gitops-service.js';
export {
  KyselyGitOpsCommitStore,
  type GitOpsCommitRecord,
  type GitOpsCommitStore,
} from './gitops/gitops-store.js';
export { writeToGitOps, type GitOpsWrite, type GitOpsWriteResult } from './gitops/gitops-writer.js';
