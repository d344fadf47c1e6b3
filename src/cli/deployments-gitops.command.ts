import type { Command } from 'commander';
import { InvalidArgumentError } from '../core/index.js';
import { withGyre, type CliContext } from './context.js';
import { printJson } from './output.js';

const short = (sha: string) => sha.slice(0, 12);

/** `gyre deployments apply <name> --gitops <repo-dir>`: a revision as a GitOps commit. */
export function registerDeploymentsGitOps(deployments: Command, ctx: CliContext): void {
  deployments
    .command('apply <name>')
    .description(
      "write a deployment revision's Kubernetes manifests into a GitOps repository and commit them with the revision's author and reason (Argo CD then applies the commit)",
    )
    .requiredOption('--gitops <repo-dir>', "a directory in the GitOps repository's work tree")
    .option(
      '--path <dir>',
      "the repository directory for this deployment's manifests (default: deployments/<name>)",
    )
    .option('--revision <n>', 'the revision to write (default: the current one)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new InvalidArgumentError(
          `--revision must be a revision number, got ${JSON.stringify(v)}`,
          {
            field: 'revision',
          },
        );
      return n;
    })
    .option('--push', 'push the branch to origin after committing')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      [
        '',
        'The directory is replaced as a whole and committed alone (nothing else in the work tree);',
        'a directory with uncommitted edits is refused. The commit is linked to the revision:',
        '`gyre deployments history <name>` shows it.',
        '',
        'Examples:',
        '  gyre deployments apply housing --gitops ../gyre-gitops',
        '  gyre deployments apply housing --gitops . --path environments/prod/deployments/housing --push',
      ].join('\n'),
    )
    .action(
      (
        name: string,
        o: { gitops: string; path?: string; revision?: number; push?: boolean; json?: boolean },
      ) =>
        withGyre(
          ctx,
          async (g) => {
            const r = await g.deploy.gitops.apply({
              deployment: name,
              repoDir: o.gitops,
              path: o.path,
              revision: o.revision,
              push: o.push,
            });
            if (o.json) return printJson(ctx, r);
            const where = `${r.repository} ${r.path}${r.branch ? ` on ${r.branch}` : ''}`;
            ctx.stdout.write(
              r.changed
                ? `${r.deployment}: revision ${r.revision} committed ${short(r.sha)} to ${where} (${r.files.length} files)${r.pushed ? ', pushed' : ''}\n`
                : `${r.deployment}: revision ${r.revision} unchanged in ${where}, carried by ${short(r.sha)}\n`,
            );
          },
          { writes: true },
        ),
    );
}
