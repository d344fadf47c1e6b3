import { createHash } from 'node:crypto';
import type { V1EnvVar, V1Job } from '@kubernetes/client-node';
import type { StepTask } from '../executor.js';

/** How step Jobs are shaped; the composition root fills it from `kubernetes.*` settings. */
export interface JobSettings {
  namespace: string;
  /** The image of steps that name none (the Gyre image). */
  image: string;
  serviceAccountName?: string;
  /** Secret whose keys become every step's environment (database URL, S3 credentials). */
  envSecret?: string;
  /** Seconds a finished Job stays (its pod and logs with it). */
  ttlSecondsAfterFinished: number;
  /** Node labels GPU steps are scheduled by. */
  gpuNodeSelector: Record<string, string>;
  /** Extended resource name of a GPU. */
  gpuResource: string;
}

export const DEFAULT_JOB_SETTINGS: Omit<JobSettings, 'namespace' | 'image'> = {
  ttlSecondsAfterFinished: 3600,
  gpuNodeSelector: {},
  gpuResource: 'nvidia.com/gpu',
};

/** Labels every step Job carries; the watch selects on the first two. */
export const STEP_LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  component: 'app.kubernetes.io/component',
  pipeline: 'gyre.dev/pipeline',
  run: 'gyre.dev/run',
  step: 'gyre.dev/step',
  attempt: 'gyre.dev/attempt',
} as const;
export const STEP_SELECTOR = `${STEP_LABELS.managedBy}=gyre,${STEP_LABELS.component}=pipeline-step`;

/** The container's name in every step pod (logs are read from it). */
export const STEP_CONTAINER = 'step';

/** A line the wrapper prints for each declared output the command wrote to $GYRE_OUTPUTS. */
export const OUTPUT_MARKER = '::gyre-output::';

/**
 * What a step pod runs: the command in a subshell, then its `$GYRE_OUTPUTS` lines echoed with
 * a marker (the executor reads outputs from the log — the pod's files are gone with it), and
 * the command's exit code. Plain POSIX sh, so any image with /bin/sh can run a step.
 */
const WRAPPER = [
  'mkdir -p "$GYRE_OUTPUT_DIR"',
  `printf '%s' "$GYRE_INPUTS_JSON" > "$GYRE_INPUTS"`,
  '( eval "$GYRE_STEP_COMMAND" )',
  '__gyre_rc=$?',
  `if [ -f "$GYRE_OUTPUTS" ]; then sed 's/^/${OUTPUT_MARKER}/' "$GYRE_OUTPUTS"; fi`,
  'exit $__gyre_rc',
].join('\n');

const label = (value: string) =>
  value
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'x';

const envName = (name: string) => `GYRE_INPUT_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
const asText = (v: unknown) =>
  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

/**
 * A Job's name: readable (`gyre-<step>-`) and unique per run, step and attempt through a hash,
 * within the 63 characters a Job's pods' labels allow.
 */
export function jobName(task: Pick<StepTask, 'runId' | 'step' | 'attempt'>): string {
  const hash = createHash('sha256')
    .update(`${task.runId}\n${task.step}\n${task.attempt}`)
    .digest('hex')
    .slice(0, 10);
  const step = task.step
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30);
  return `gyre-${step ? `${step}-` : ''}${hash}`;
}

/** The Job running one attempt of a `run` step. */
export function buildStepJob(task: StepTask, settings: JobSettings): V1Job {
  const name = jobName(task);
  const labels = {
    [STEP_LABELS.managedBy]: 'gyre',
    [STEP_LABELS.component]: 'pipeline-step',
    [STEP_LABELS.pipeline]: label(task.pipeline ?? 'none'),
    [STEP_LABELS.run]: label(task.runId),
    [STEP_LABELS.step]: label(task.step),
    [STEP_LABELS.attempt]: String(task.attempt),
  };
  const env: V1EnvVar[] = [
    ...Object.entries(task.inputs).map(([k, v]) => ({ name: envName(k), value: asText(v) })),
    ...Object.entries(task.env).map(([k, v]) => ({ name: k, value: v })),
    ...Object.entries(task.secrets ?? {}).map(([k, ref]) => {
      const slash = ref.indexOf('/');
      return {
        name: k,
        valueFrom: { secretKeyRef: { name: ref.slice(0, slash), key: ref.slice(slash + 1) } },
      };
    }),
    { name: 'GYRE_INPUTS_JSON', value: JSON.stringify(task.inputs) },
    { name: 'GYRE_INPUTS', value: '/tmp/gyre/inputs.json' },
    { name: 'GYRE_OUTPUT_DIR', value: '/tmp/gyre/out' },
    { name: 'GYRE_OUTPUTS', value: '/tmp/gyre/outputs.env' },
    { name: 'GYRE_STEP', value: task.step },
    { name: 'GYRE_PIPELINE_RUN_ID', value: task.runId },
    { name: 'GYRE_STEP_COMMAND', value: task.command ?? 'true' },
    { name: 'HOME', value: '/tmp' },
  ];
  const gpu = task.resources?.gpu;
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (task.resources?.cpu !== undefined) requests.cpu = String(task.resources.cpu);
  if (task.resources?.memory !== undefined) requests.memory = limits.memory = task.resources.memory;
  if (gpu) requests[settings.gpuResource] = limits[settings.gpuResource] = String(gpu);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: settings.namespace, labels },
    spec: {
      // Gyre owns retries (with its backoff, cache and logs): Kubernetes never re-runs a pod.
      backoffLimit: 0,
      ...(task.timeoutMs !== undefined
        ? { activeDeadlineSeconds: Math.max(1, Math.ceil(task.timeoutMs / 1000)) }
        : {}),
      ttlSecondsAfterFinished: settings.ttlSecondsAfterFinished,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          ...(settings.serviceAccountName
            ? { serviceAccountName: settings.serviceAccountName }
            : {}),
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            fsGroup: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          ...(gpu
            ? {
                nodeSelector: settings.gpuNodeSelector,
                tolerations: [
                  { key: settings.gpuResource, operator: 'Exists', effect: 'NoSchedule' },
                ],
              }
            : {}),
          containers: [
            {
              name: STEP_CONTAINER,
              image: task.image ?? settings.image,
              command: ['/bin/sh', '-c', WRAPPER],
              workingDir: '/tmp',
              env,
              ...(settings.envSecret
                ? { envFrom: [{ secretRef: { name: settings.envSecret, optional: true } }] }
                : {}),
              resources: {
                ...(Object.keys(requests).length ? { requests } : {}),
                ...(Object.keys(limits).length ? { limits } : {}),
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'scratch', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'scratch', emptyDir: {} }],
        },
      },
    },
  };
}
