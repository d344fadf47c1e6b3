import { rename, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../core/index.js';
import { renderArgoWorkflow, toYaml } from '../deploy/index.js';
import { withGyre, type CliContext } from './context.js';
import { printJson } from './output.js';

const FORMATS = ['argo'] as const;

/** `gyre pipelines export <name> --format argo`: a pipeline for another engine. */
export function registerPipelinesExport(pipelines: Command, ctx: CliContext): void {
  pipelines
    .command('export <name>')
    .description(
      'export a registered pipeline for another engine: --format argo prints an Argo Workflows WorkflowTemplate (one DAG task per step) and a CronWorkflow per schedule',
    )
    .requiredOption('--format <format>', `target: ${FORMATS.join(', ')}`)
    .option('--version <n>', 'pipeline version (default: the latest)')
    .option('--namespace <ns>', 'namespace (default from kubernetes.namespace)')
    .option('--image <ref>', 'image of steps that name none (default from kubernetes.image)')
    .option('--service-account <name>', 'service account of the workflow pods')
    .option('-o, --output <file>', 'write the YAML to a file instead of stdout')
    .option('--json', 'print the objects as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  gyre pipelines export nightly --format argo | kubectl apply -n argo -f -\n  argo submit --from workflowtemplate/gyre-nightly\n',
    )
    .action(
      (
        name: string,
        flags: {
          format: string;
          version?: string;
          namespace?: string;
          image?: string;
          serviceAccount?: string;
          output?: string;
          json?: boolean;
        },
      ) =>
        withGyre(ctx, async ({ pipelines, config, deploy }) => {
          if (!(FORMATS as readonly string[]).includes(flags.format))
            throw new InvalidArgumentError(
              `--format ${flags.format} is not known; use one of ${FORMATS.join(', ')}`,
              { field: 'format' },
            );
          if (flags.version !== undefined && !/^\d+$/.test(flags.version))
            throw new InvalidArgumentError(
              `--version must be a whole number, got ${flags.version}`,
              {
                field: 'version',
              },
            );
          const version = await pipelines.getVersion(
            name,
            flags.version === undefined ? undefined : Number(flags.version),
          );
          // Checked like the deployment manifests' options (namespace and image names).
          const checked = deploy.manifests.options({
            namespace: flags.namespace,
            image: flags.image,
            serviceAccountName: flags.serviceAccount,
          });
          const objects = renderArgoWorkflow(version.spec, {
            namespace: checked.namespace,
            image: checked.image,
            serviceAccountName: checked.serviceAccountName,
            envSecret: config.kubernetes.envSecret,
          });
          if (flags.json) return printJson(ctx, objects);
          const yaml = toYaml(objects);
          if (!flags.output) return void ctx.stdout.write(yaml);
          const temp = `${flags.output}.${process.pid}.tmp`;
          await writeFile(temp, yaml);
          await rename(temp, flags.output);
          ctx.stderr.write(
            `wrote ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')} (${name} version ${version.version}) to ${flags.output}\n`,
          );
        }),
    );
}
