// The Kubernetes executor: one Job per `run` step attempt, watched to completion.
export { KubernetesExecutor, type KubernetesExecutorOptions } from './kubernetes-executor.js';
export {
  buildStepJob,
  jobName,
  DEFAULT_JOB_SETTINGS,
  STEP_LABELS,
  STEP_SELECTOR,
  type JobSettings,
} from './job-spec.js';
export type { KubernetesConnection } from './kubernetes-client.js';
