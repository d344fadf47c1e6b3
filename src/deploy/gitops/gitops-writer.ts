// Writes a set of files (a deployment's rendered manifests) into one directory of a git
// repository and commits exactly that directory with the change's author and reason, so a
// GitOps controller (Argo CD, deploy/argocd) applies it. The directory is replaced as a
// whole: manifests that are no longer rendered are removed. Nothing else in the work tree is
// touched or committed, and a directory with uncommitted edits is refused rather than
// overwritten.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix } from 'node:path';
import { FailedPreconditionError, InvalidArgumentError } from '../../core/index.js';
import {
  currentBranch,
  gitOk,
  hasCommitter,
  repositoryName,
  workTreeRoot,
  type GitIdentity,
} from './git-repository.js';

export interface GitOpsWrite {
  /** Any directory inside the repository's work tree. */
  repoDir: string;
  /** The directory, relative to the repository root, that holds exactly `files`. */
  path: string;
  /** File name (may contain `/`) → content. */
  files: Record<string, string>;
  author: GitIdentity;
  /** First line: the subject; the rest: the body (reason, trailers). */
  message: string;
  /** Push the branch to its upstream after committing. */
  push?: boolean;
}

export interface GitOpsWriteResult {
  /** The commit that holds the files (the last one that wrote them, when nothing changed). */
  sha: string;
  changed: boolean;
  pushed: boolean;
  repository: string;
  branch?: string;
  path: string;
}

/** Who commits when the repository has no identity configured (the author is still the user). */
export const GYRE_COMMITTER: GitIdentity = { name: 'Gyre', email: 'gyre@localhost' };

/** Checks a repository-relative path: no absolute paths, no `..`, no `.git`. */
export function checkRepoPath(path: string, what = 'path'): string {
  const normalized = posix.normalize(path.replace(/\\/g, '/')).replace(/\/+$/, '');
  const parts = normalized.split('/');
  if (
    path === '' ||
    isAbsolute(path) ||
    normalized === '.' ||
    parts.includes('..') ||
    parts.includes('.git')
  )
    throw new InvalidArgumentError(
      `${what} ${JSON.stringify(path)} must be a relative path inside the repository`,
      {
        [what]: path,
      },
    );
  return normalized;
}

// One write at a time per repository in this process; git's own lock guards across processes.
const queues = new Map<string, Promise<unknown>>();

export async function writeToGitOps(request: GitOpsWrite): Promise<GitOpsWriteResult> {
  const path = checkRepoPath(request.path);
  for (const name of Object.keys(request.files)) checkRepoPath(name, 'file');
  if (Object.keys(request.files).length === 0)
    throw new InvalidArgumentError('nothing to write: no manifests');
  const root = await workTreeRoot(request.repoDir);
  const previous = queues.get(root) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => write(root, path, request));
  queues.set(root, run);
  try {
    return await run;
  } finally {
    if (queues.get(root) === run) queues.delete(root);
  }
}

async function write(root: string, path: string, request: GitOpsWrite): Promise<GitOpsWriteResult> {
  const dirty = await gitOk(root, ['status', '--porcelain', '--untracked-files=all', '--', path]);
  if (dirty !== '')
    throw new FailedPreconditionError(
      `${path} in ${root} has uncommitted changes; commit or discard them first:\n${dirty}`,
      { path },
    );
  const target = join(root, path);
  await replaceDirectory(target, request.files);
  await gitOk(root, ['add', '--all', '--', path]);
  const staged = await gitOk(root, ['diff', '--cached', '--name-only', '--', path]);
  const branch = await currentBranch(root);
  const repository = await repositoryName(root);
  if (staged === '') {
    // Unchanged: the commit that last wrote this directory is the one that carries it.
    const last = await gitOk(root, ['log', '-1', '--format=%H', '--', path]).catch(() => '');
    return { sha: last, changed: false, pushed: false, repository, branch, path };
  }
  const committer = (await hasCommitter(root))
    ? {}
    : { GIT_COMMITTER_NAME: GYRE_COMMITTER.name, GIT_COMMITTER_EMAIL: GYRE_COMMITTER.email };
  const [subject, ...body] = request.message.split('\n');
  const messageArgs = [
    '-m',
    subject,
    ...(body.join('\n').trim() ? ['-m', body.join('\n').trim()] : []),
  ];
  // `--only -- path` commits that directory alone, whatever else is staged in the index.
  await gitOk(
    root,
    [
      'commit',
      '--no-verify',
      '--author',
      `${request.author.name} <${request.author.email}>`,
      ...messageArgs,
      '--only',
      '--',
      path,
    ],
    committer,
  );
  const sha = await gitOk(root, ['rev-parse', 'HEAD']);
  let pushed = false;
  if (request.push) {
    if (!branch) throw new FailedPreconditionError(`cannot push from a detached HEAD in ${root}`);
    await gitOk(root, ['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`]);
    pushed = true;
  }
  return { sha, changed: true, pushed, repository, branch, path };
}

/** Makes `dir` hold exactly `files`: each written to a temp name and renamed, extras removed. */
async function replaceDirectory(dir: string, files: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const wanted = new Set(Object.keys(files).map((f) => posix.normalize(f)));
  for (const existing of await listFiles(dir))
    if (!wanted.has(existing)) await rm(join(dir, existing), { force: true });
  for (const [name, content] of Object.entries(files)) {
    const file = join(dir, name);
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, content);
    await rename(temp, file);
  }
  await removeEmptyDirs(dir);
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out;
}

async function removeEmptyDirs(dir: string): Promise<boolean> {
  let empty = true;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && (await removeEmptyDirs(join(dir, entry.name))))
      await rm(join(dir, entry.name), { recursive: true });
    else empty = false;
  }
  return empty;
}
