// The few git operations the GitOps writer needs, through the git command line (installed
// wherever a GitOps repository is checked out), so no git library is bundled.
import { execFile } from 'node:child_process';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  UnavailableError,
} from '../../core/index.js';

export interface GitIdentity {
  name: string;
  email: string;
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git in `cwd`; never throws for a non-zero exit (the caller decides). */
export function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...env },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof (error as { code?: unknown }).code !== 'number') {
          const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
          reject(
            missing
              ? new FailedPreconditionError('git is not installed (the GitOps writer runs git)')
              : error,
          );
          return;
        }
        resolve({ code: error ? Number((error as { code: number }).code) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs git and returns stdout trimmed; a failure becomes an error naming the command. */
export async function gitOk(cwd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await git(cwd, args, env);
  if (r.code !== 0) {
    const detail = (r.stderr || r.stdout).trim().split('\n').slice(-3).join('; ');
    const message = `git ${args[0]} failed in ${cwd}: ${detail}`;
    // Another writer holding the index lock is worth retrying; anything else is not.
    if (/index\.lock|Unable to create .*\.lock/.test(detail)) throw new UnavailableError(message);
    throw new FailedPreconditionError(message);
  }
  return r.stdout.trim();
}

/** The top level of the work tree containing `dir`; refuses what is not a git work tree. */
export async function workTreeRoot(dir: string): Promise<string> {
  const r = await git(dir, ['rev-parse', '--show-toplevel']).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new InvalidArgumentError(`--gitops ${dir} does not exist`, { gitops: dir });
    throw error;
  });
  if (r.code !== 0)
    throw new InvalidArgumentError(`--gitops ${dir} is not inside a git work tree`, {
      gitops: dir,
    });
  return r.stdout.trim();
}

/** A name for the repository in history: its origin URL (credentials removed), else its path. */
export async function repositoryName(root: string): Promise<string> {
  const r = await git(root, ['remote', 'get-url', 'origin']);
  const url = r.code === 0 ? r.stdout.trim() : '';
  return url ? url.replace(/\/\/[^/@]*@/, '//') : root;
}

/** The checked-out branch, or undefined on a detached HEAD. */
export async function currentBranch(root: string): Promise<string | undefined> {
  const r = await git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** Whether the repository has an identity for committers (user.name and user.email). */
export async function hasCommitter(root: string): Promise<boolean> {
  const name = await git(root, ['config', 'user.name']);
  const email = await git(root, ['config', 'user.email']);
  return (
    name.code === 0 && email.code === 0 && name.stdout.trim() !== '' && email.stdout.trim() !== ''
  );
}
