// Test-only (excluded from the build): the parts of Argo Workflows' CRDs (argoproj.io/v1alpha1
// WorkflowTemplate and CronWorkflow, as the Argo 3.x field reference defines them) Gyre renders,
// checked by hand; embedded Kubernetes types are checked by the caller's `kube` function.

/** Checks an embedded Kubernetes value (a container, a volume) as `type`; returns problems. */
export type KubeCheck = (value: unknown, type: string, path: string) => string[];

const NAME = /^[a-zA-Z0-9][-a-zA-Z0-9]*$/;
const DURATION = /^\d+(s|m|h)$/;
const TEMPLATE_KINDS = ['container', 'script', 'dag', 'steps', 'resource', 'suspend'];
const TEMPLATE_FIELDS = [
  'name',
  'metadata',
  'inputs',
  'outputs',
  'activeDeadlineSeconds',
  'retryStrategy',
  'tolerations',
  'nodeSelector',
  'volumes',
  ...TEMPLATE_KINDS,
];
const SPEC_FIELDS = [
  'entrypoint',
  'templates',
  'arguments',
  'serviceAccountName',
  'securityContext',
  'volumes',
  'podGC',
  'ttlStrategy',
  'activeDeadlineSeconds',
];
const RETRY_POLICIES = ['Always', 'OnFailure', 'OnError', 'OnTransientError'];

type O = Record<string, unknown>;
const isObject = (v: unknown): v is O => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknown(value: O, allowed: string[], path: string, problems: string[]): void {
  for (const k of Object.keys(value))
    if (!allowed.includes(k)) problems.push(`${path}.${k}: unknown field`);
}

function checkTemplate(t: O, path: string, kube: KubeCheck, problems: string[]): void {
  unknown(t, TEMPLATE_FIELDS, path, problems);
  if (typeof t.name !== 'string' || !NAME.test(t.name) || t.name.length > 128)
    problems.push(`${path}.name must be alphanumerics and '-'`);
  const kinds = TEMPLATE_KINDS.filter((k) => t[k] !== undefined);
  if (kinds.length !== 1) problems.push(`${path}: exactly one of ${TEMPLATE_KINDS.join('/')}`);
  if (t.container !== undefined) {
    const c = { name: 'main', ...(t.container as O) };
    problems.push(...kube(c, 'V1Container', `${path}.container`));
  }
  if (t.tolerations !== undefined)
    problems.push(...kube(t.tolerations, 'Array<V1Toleration>', `${path}.tolerations`));
  if (t.activeDeadlineSeconds !== undefined && !Number.isInteger(t.activeDeadlineSeconds))
    problems.push(`${path}.activeDeadlineSeconds must be an integer`);
  const retry = t.retryStrategy as O | undefined;
  if (retry !== undefined) {
    unknown(
      retry,
      ['limit', 'retryPolicy', 'backoff', 'expression'],
      `${path}.retryStrategy`,
      problems,
    );
    if (!(Number.isInteger(retry.limit) || typeof retry.limit === 'string'))
      problems.push(`${path}.retryStrategy.limit must be an int or string`);
    if (retry.retryPolicy !== undefined && !RETRY_POLICIES.includes(String(retry.retryPolicy)))
      problems.push(
        `${path}.retryStrategy.retryPolicy must be one of ${RETRY_POLICIES.join(', ')}`,
      );
    const b = retry.backoff as O | undefined;
    if (b) {
      unknown(
        b,
        ['duration', 'factor', 'maxDuration', 'cap'],
        `${path}.retryStrategy.backoff`,
        problems,
      );
      for (const d of ['duration', 'maxDuration'])
        if (b[d] !== undefined && !DURATION.test(String(b[d])))
          problems.push(`${path}.retryStrategy.backoff.${d} must be a duration like 10s`);
    }
  }
  const outputs = t.outputs as O | undefined;
  if (outputs)
    for (const [i, p] of ((outputs.parameters as O[] | undefined) ?? []).entries()) {
      unknown(p, ['name', 'valueFrom', 'default'], `${path}.outputs.parameters[${i}]`, problems);
      if (typeof (p.valueFrom as O | undefined)?.path !== 'string')
        problems.push(`${path}.outputs.parameters[${i}].valueFrom.path is required`);
    }
}

function checkDag(dag: O, templates: Set<string>, path: string, problems: string[]): void {
  const tasks = dag.tasks as O[] | undefined;
  if (!Array.isArray(tasks) || tasks.length === 0)
    return void problems.push(`${path}.tasks is required`);
  const names = new Set<string>();
  for (const [i, task] of tasks.entries()) {
    unknown(
      task,
      ['name', 'template', 'dependencies', 'arguments', 'when', 'depends'],
      `${path}.tasks[${i}]`,
      problems,
    );
    const name = String(task.name);
    if (!NAME.test(name)) problems.push(`${path}.tasks[${i}].name is not a valid task name`);
    if (names.has(name)) problems.push(`${path}.tasks[${i}].name ${name} is repeated`);
    names.add(name);
    if (!templates.has(String(task.template)))
      problems.push(`${path}.tasks[${i}].template ${String(task.template)} does not exist`);
  }
  for (const [i, task] of tasks.entries())
    for (const d of (task.dependencies as string[] | undefined) ?? [])
      if (!names.has(d)) problems.push(`${path}.tasks[${i}].dependencies: ${d} is not a task`);
}

/** Problems of an argoproj.io/v1alpha1 object; an empty list when it matches the CRD shape. */
export function checkArgoObject(o: O, kube: KubeCheck): string[] {
  const problems: string[] = [];
  const spec = o.spec;
  if (!isObject(spec)) return ['spec is required'];
  if (o.kind === 'WorkflowTemplate') {
    unknown(spec, SPEC_FIELDS, 'spec', problems);
    const templates = spec.templates as O[] | undefined;
    if (!Array.isArray(templates) || templates.length === 0) return ['spec.templates is required'];
    const names = new Set(templates.map((t) => String(t.name)));
    if (!names.has(String(spec.entrypoint)))
      problems.push(`spec.entrypoint ${String(spec.entrypoint)} names no template`);
    for (const [i, t] of templates.entries()) {
      checkTemplate(t, `spec.templates[${i}]`, kube, problems);
      if (isObject(t.dag)) checkDag(t.dag, names, `spec.templates[${i}].dag`, problems);
    }
    if (spec.securityContext !== undefined)
      problems.push(...kube(spec.securityContext, 'V1PodSecurityContext', 'spec.securityContext'));
    if (spec.volumes !== undefined)
      problems.push(...kube(spec.volumes, 'Array<V1Volume>', 'spec.volumes'));
    const params = (spec.arguments as O | undefined)?.parameters as O[] | undefined;
    for (const [i, p] of (params ?? []).entries())
      unknown(
        p,
        ['name', 'value', 'description', 'enum'],
        `spec.arguments.parameters[${i}]`,
        problems,
      );
  } else if (o.kind === 'CronWorkflow') {
    unknown(
      spec,
      [
        'schedule',
        'schedules',
        'timezone',
        'concurrencyPolicy',
        'startingDeadlineSeconds',
        'suspend',
        'workflowSpec',
        'successfulJobsHistoryLimit',
        'failedJobsHistoryLimit',
      ],
      'spec',
      problems,
    );
    if (typeof spec.schedule !== 'string' || spec.schedule.trim().split(/\s+/).length < 5)
      problems.push('spec.schedule must be a cron expression');
    if (!['Allow', 'Forbid', 'Replace'].includes(String(spec.concurrencyPolicy ?? 'Allow')))
      problems.push('spec.concurrencyPolicy must be Allow, Forbid or Replace');
    if (
      spec.startingDeadlineSeconds !== undefined &&
      !Number.isInteger(spec.startingDeadlineSeconds)
    )
      problems.push('spec.startingDeadlineSeconds must be an integer');
    const ref = (spec.workflowSpec as O | undefined)?.workflowTemplateRef as O | undefined;
    if (typeof ref?.name !== 'string')
      problems.push('spec.workflowSpec.workflowTemplateRef.name is required');
  } else problems.push(`${String(o.kind)}: not a kind Gyre renders`);
  return problems;
}
