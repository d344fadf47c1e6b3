import { InvalidArgumentError } from '../../core/index.js';
import type { PipelineSpec, StepSpec, TriggerSpec } from '../../pipelines/index.js';
import { kubernetesName, labelValue } from '../kubernetes-name.js';
import type { KubernetesObject } from '../kubernetes-object.js';
import { restrictedContainerSecurity, restrictedPodSecurity } from '../pod-security.js';

/** Where and how the exported workflow runs. */
export interface ArgoExportOptions {
  namespace: string;
  /** The image of steps that name none (the Gyre image). */
  image: string;
  serviceAccountName?: string;
  /** Secret whose keys become every step's environment. */
  envSecret?: string;
}

const ARGO = 'argoproj.io/v1alpha1';
const OUT = '/tmp/gyre/out';

const invalid = (field: string, message: string) =>
  new InvalidArgumentError(`${field}: ${message}`, { field });

/** An Argo task or template name (alphanumerics and `-`, at most 63). */
const argoName = (step: string) => kubernetesName(step);

const STEP_REF = /^\s*steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)\s*$/;
const PARAM_REF = /^\s*params\.([A-Za-z0-9_-]+)\s*$/;

/**
 * A Gyre template as Argo's: `${{ steps.a.outputs.b }}` → `{{tasks.a.outputs.parameters.b}}`,
 * `${{ params.p }}` → `{{workflow.parameters.p}}`. Anything else (an expression Argo cannot
 * evaluate the same way) is refused, naming where it is.
 */
function translate(text: string, field: string): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, inner: string) => {
    const step = STEP_REF.exec(inner);
    if (step) return `{{tasks.${argoName(step[1])}.outputs.parameters.${step[2]}}}`;
    const param = PARAM_REF.exec(inner);
    if (param) return `{{workflow.parameters.${param[1]}}}`;
    throw invalid(
      field,
      `\${{${inner}}} has no Argo equivalent (only steps.<step>.outputs.<name> and params.<name> export)`,
    );
  });
}

const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const envName = (name: string) => `GYRE_INPUT_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/**
 * What each step container runs: the command, then each `name=value` line it wrote to
 * $GYRE_OUTPUTS as a file Argo reads the output parameter from.
 */
const WRAPPER = [
  `mkdir -p "$GYRE_OUTPUT_DIR" ${OUT}/params`,
  '( eval "$GYRE_STEP_COMMAND" ) || exit $?',
  'if [ -f "$GYRE_OUTPUTS" ]; then',
  `  while IFS= read -r line; do printf '%s' "\${line#*=}" > "${OUT}/params/\${line%%=*}"; done < "$GYRE_OUTPUTS"`,
  'fi',
].join('\n');

function stepTemplate(name: string, step: StepSpec, options: ArgoExportOptions): object {
  const at = (field: string) => `steps.${name}.${field}`;
  if (step.run === undefined)
    throw invalid(
      at('uses'),
      `built-in step ${step.uses} runs inside Gyre; the Argo export covers run steps (run this pipeline with gyre, or as Jobs with pipelines.executor: kubernetes)`,
    );
  if (step.if !== undefined)
    throw invalid(at('if'), 'conditions do not export to Argo; split the pipeline or drop the if');
  for (const [output, spec] of Object.entries(step.outputs))
    if (spec.type === 'artifact')
      throw invalid(at(`outputs.${output}`), 'artifact outputs do not export to Argo');
  const env = [
    ...Object.entries(step.with).map(([k, v]) => ({
      name: envName(k),
      value: translate(text(v), at(`with.${k}`)),
    })),
    ...Object.entries(step.env).map(([k, v]) => ({ name: k, value: translate(v, at(`env.${k}`)) })),
    ...Object.entries(step.secrets ?? {}).map(([k, ref]) => ({
      name: k,
      valueFrom: {
        secretKeyRef: {
          name: ref.slice(0, ref.indexOf('/')),
          key: ref.slice(ref.indexOf('/') + 1),
        },
      },
    })),
    { name: 'GYRE_STEP', value: name },
    { name: 'GYRE_PIPELINE_RUN_ID', value: '{{workflow.name}}' },
    { name: 'GYRE_OUTPUT_DIR', value: `${OUT}/files` },
    { name: 'GYRE_OUTPUTS', value: `${OUT}/outputs.env` },
    { name: 'GYRE_STEP_COMMAND', value: translate(step.run, at('run')) },
    { name: 'HOME', value: '/tmp' },
  ];
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (step.resources?.cpu !== undefined) requests.cpu = String(step.resources.cpu);
  if (step.resources?.memory) requests.memory = limits.memory = step.resources.memory;
  if (step.resources?.gpu)
    requests['nvidia.com/gpu'] = limits['nvidia.com/gpu'] = String(step.resources.gpu);
  const retries = step.retries.count;
  return {
    name: argoName(name),
    metadata: { labels: { 'gyre.dev/step': labelValue(name) } },
    ...(step.timeoutMs !== undefined
      ? { activeDeadlineSeconds: Math.max(1, Math.ceil(step.timeoutMs / 1000)) }
      : {}),
    ...(retries > 0
      ? {
          retryStrategy: {
            limit: retries,
            retryPolicy: 'Always',
            backoff: {
              duration: `${Math.max(1, Math.round(step.retries.backoffMs / 1000))}s`,
              factor: 2,
              maxDuration: `${Math.max(1, Math.round(step.retries.maxDelayMs / 1000))}s`,
            },
          },
        }
      : {}),
    ...(step.resources?.gpu
      ? { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] }
      : {}),
    container: {
      image: step.image ?? options.image,
      command: ['/bin/sh', '-c', WRAPPER],
      workingDir: '/tmp',
      env,
      ...(options.envSecret
        ? { envFrom: [{ secretRef: { name: options.envSecret, optional: true } }] }
        : {}),
      resources: {
        ...(Object.keys(requests).length ? { requests } : {}),
        ...(Object.keys(limits).length ? { limits } : {}),
      },
      securityContext: restrictedContainerSecurity(),
      volumeMounts: [{ name: 'scratch', mountPath: '/tmp' }],
    },
    ...(Object.keys(step.outputs).length
      ? {
          outputs: {
            parameters: Object.keys(step.outputs).map((output) => ({
              name: output,
              valueFrom: { path: `${OUT}/params/${output}` },
            })),
          },
        }
      : {}),
  };
}

/**
 * A pipeline as an Argo WorkflowTemplate (one DAG task per step, `needs` as dependencies,
 * retries and timeouts carried over), plus one CronWorkflow per schedule trigger — for teams
 * that run Argo Workflows already. Gyre's tracking, cache and lineage stay with Gyre's runner;
 * the export is the same DAG on Argo's engine.
 */
export function renderArgoWorkflow(
  spec: PipelineSpec,
  options: ArgoExportOptions,
): KubernetesObject[] {
  const name = kubernetesName(spec.name, 'gyre-');
  const labels = {
    'app.kubernetes.io/managed-by': 'gyre',
    'app.kubernetes.io/part-of': 'gyre',
    'gyre.dev/pipeline': labelValue(spec.name),
  };
  const templates = Object.entries(spec.steps).map(([step, s]) => stepTemplate(step, s, options));
  const tasks = Object.entries(spec.steps).map(([step, s]) => ({
    name: argoName(step),
    template: argoName(step),
    ...(s.needs.length ? { dependencies: s.needs.map(argoName) } : {}),
  }));
  const workflowTemplate: KubernetesObject = {
    apiVersion: ARGO,
    kind: 'WorkflowTemplate',
    metadata: {
      name,
      namespace: options.namespace,
      labels,
      ...(spec.description ? { annotations: { 'gyre.dev/description': spec.description } } : {}),
    },
    spec: {
      entrypoint: 'pipeline',
      ...(options.serviceAccountName ? { serviceAccountName: options.serviceAccountName } : {}),
      ...(Object.keys(spec.params).length
        ? {
            arguments: {
              parameters: Object.entries(spec.params).map(([p, param]) => ({
                name: p,
                ...(param.default !== undefined ? { value: text(param.default) } : {}),
                ...(param.description ? { description: param.description } : {}),
              })),
            },
          }
        : {}),
      securityContext: restrictedPodSecurity(),
      volumes: [{ name: 'scratch', emptyDir: {} }],
      podGC: { strategy: 'OnWorkflowSuccess' },
      templates: [{ name: 'pipeline', dag: { tasks } }, ...templates],
    },
  };
  const schedules = spec.triggers.filter(
    (t): t is Extract<TriggerSpec, { schedule: string }> => 'schedule' in t,
  );
  const crons: KubernetesObject[] = schedules.map((trigger, i) => ({
    apiVersion: ARGO,
    kind: 'CronWorkflow',
    metadata: {
      name: schedules.length === 1 ? name : kubernetesName(`${spec.name}-${i + 1}`, 'gyre-'),
      namespace: options.namespace,
      labels,
    },
    spec: {
      schedule: trigger.schedule,
      ...(trigger.timezone ? { timezone: trigger.timezone } : {}),
      // As Gyre's scheduler: one run at a time; `missed: catch_up` runs a missed time once.
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: trigger.missed === 'catch_up' ? 86_400 : 0,
      workflowSpec: {
        workflowTemplateRef: { name },
        ...(trigger.params
          ? {
              arguments: {
                parameters: Object.entries(trigger.params).map(([p, v]) => ({
                  name: p,
                  value: text(v),
                })),
              },
            }
          : {}),
      },
    },
  }));
  return [workflowTemplate, ...crons];
}
