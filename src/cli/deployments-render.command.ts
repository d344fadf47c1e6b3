import { writeFile, rename } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../core/index.js';
import type { KubernetesRenderOptions } from '../deploy/index.js';
import { withGyre, type CliContext } from './context.js';
import { printJson } from './output.js';

interface RenderFlags {
  namespace?: string;
  image?: string;
  serviceAccount?: string;
  envSecret?: string;
  minReplicas?: string;
  maxReplicas?: string;
  replicas?: string;
  targetCpu?: string;
  targetRps?: string;
  cpu?: string;
  memory?: string;
  memoryLimit?: string;
  allowFromNamespace?: string[];
  serviceMonitor?: boolean;
  output?: string;
  json?: boolean;
}

function whole(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new InvalidArgumentError(`${flag} must be a whole number, got ${value}`, {
      field: flag.slice(2),
    });
  return Number(value);
}

/** Turns the flags into render options; those not given keep the configured defaults. */
export function renderOptionsOf(
  flags: RenderFlags,
  defaults: KubernetesRenderOptions,
): Partial<KubernetesRenderOptions> {
  const replicas = whole(flags.replicas, '--replicas');
  if (replicas !== undefined && (flags.minReplicas ?? flags.maxReplicas) !== undefined)
    throw new InvalidArgumentError('--replicas (a fixed size) excludes --min/--max-replicas', {
      field: 'replicas',
    });
  return {
    namespace: flags.namespace,
    image: flags.image,
    serviceAccountName: flags.serviceAccount,
    envSecret: flags.envSecret,
    minReplicas: replicas ?? whole(flags.minReplicas, '--min-replicas'),
    maxReplicas: replicas ?? whole(flags.maxReplicas, '--max-replicas'),
    targetCpuUtilization: whole(flags.targetCpu, '--target-cpu'),
    targetRequestsPerSecond: whole(flags.targetRps, '--target-rps'),
    resources: {
      requests: {
        cpu: flags.cpu ?? defaults.resources.requests.cpu,
        memory: flags.memory ?? defaults.resources.requests.memory,
      },
      limits: {
        ...defaults.resources.limits,
        memory: flags.memoryLimit ?? defaults.resources.limits.memory,
      },
    },
    allowFromNamespaces: flags.allowFromNamespace,
    serviceMonitor: flags.serviceMonitor,
  };
}

/** `gyre deployments render <name>`: the Kubernetes manifests that serve a deployment. */
export function registerDeploymentsRender(deployments: Command, ctx: CliContext): void {
  deployments
    .command('render <name>')
    .description(
      'print the Kubernetes manifests serving a deployment (Deployment, Service, HPA, PodDisruptionBudget, NetworkPolicy, ServiceMonitor) as YAML for kubectl apply -f - or GitOps; nothing is applied',
    )
    .option('--namespace <ns>', 'namespace (default from kubernetes.namespace)')
    .option('--image <ref>', 'Gyre image, a pinned tag or digest (default from kubernetes.image)')
    .option('--service-account <name>', 'service account of the pods')
    .option('--env-secret <name>', "Secret holding Gyre's environment (default gyre-env)")
    .option('--replicas <n>', 'a fixed number of pods (no autoscaler)')
    .option('--min-replicas <n>', 'autoscaler minimum (default 2)')
    .option('--max-replicas <n>', 'autoscaler maximum (default 10)')
    .option('--target-cpu <percent>', 'average CPU use the autoscaler aims at (default 70)')
    .option(
      '--target-rps <n>',
      'inference requests/s per pod the autoscaler aims at, via prometheus-adapter (default 100; 0: CPU only)',
    )
    .option('--cpu <quantity>', 'CPU request per pod (default 500m)')
    .option('--memory <quantity>', 'memory request per pod (default 512Mi)')
    .option('--memory-limit <quantity>', 'memory limit per pod (default 1Gi)')
    .option(
      '--allow-from-namespace <ns>',
      'another namespace whose pods may call the model (repeatable)',
      (v: string, p: string[] = []) => [...p, v],
    )
    .option('--no-service-monitor', 'leave out the ServiceMonitor (no Prometheus Operator)')
    .option('-o, --output <file>', 'write the YAML to a file instead of stdout')
    .option('--json', 'print the objects as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  gyre deployments render housing | kubectl apply -f -\n  gyre deployments render housing --min-replicas 3 --max-replicas 20 --target-rps 200 -o housing.yaml\n',
    )
    .action((name: string, flags: RenderFlags) =>
      withGyre(ctx, async ({ deploy }) => {
        const options = renderOptionsOf(flags, deploy.manifests.options());
        const rendered = await deploy.manifests.render(name, options);
        if (flags.json) return printJson(ctx, rendered.objects);
        if (flags.output) {
          const temp = `${flags.output}.${process.pid}.tmp`;
          await writeFile(temp, rendered.yaml);
          await rename(temp, flags.output);
          ctx.stderr.write(
            `wrote ${rendered.objects.length} objects for ${rendered.deployment} (revision ${rendered.revision}) to ${flags.output}\n`,
          );
          return;
        }
        ctx.stdout.write(rendered.yaml);
      }),
    );
}
