// The GitOps writer against real git repositories in temp directories (and a bare one as the
// remote), and its commit store on SQLite and PostgreSQL.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeEachDatabase } from '../../db/test-database.js';
import { KyselyGitOpsCommitStore } from './gitops-store.js';
import { writeToGitOps } from './gitops-writer.js';

const sh = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }).trim();

const alice = { name: 'alice', email: 'alice@example.com' };
const manifests = {
  'deployment.yaml': 'kind: Deployment\n',
  'service.yaml': 'kind: Service\n',
};

describe('GitOps writer', () => {
  let dir: string;
  let repo: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gyre-gitops-'));
    // This machine's git identity must not leak in: the repositories have none of their own.
    writeFileSync(join(dir, 'gitconfig'), '');
    vi.stubEnv('GIT_CONFIG_GLOBAL', join(dir, 'gitconfig'));
    vi.stubEnv('GIT_CONFIG_NOSYSTEM', '1');
    repo = join(dir, 'repo');
    sh(dir, 'init', '--quiet', '-b', 'main', repo);
    writeFileSync(join(repo, 'README.md'), 'gitops\n');
    sh(repo, 'add', 'README.md');
    sh(
      repo,
      '-c',
      'user.name=setup',
      '-c',
      'user.email=setup@example.com',
      'commit',
      '-qm',
      'init',
    );
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits the files with the author and the reason, once', async () => {
    const first = await writeToGitOps({
      repoDir: repo,
      path: 'environments/dev/deployments/housing',
      files: manifests,
      author: alice,
      message: 'deploy housing: revision 2\n\nretrained on day 2\n\nGyre-Revision: 2',
    });
    expect(first).toMatchObject({ changed: true, pushed: false, branch: 'main', repository: repo });
    expect(first.sha).toBe(sh(repo, 'rev-parse', 'HEAD'));
    expect(sh(repo, 'log', '-1', '--format=%an <%ae>|%cn|%s|%b')).toBe(
      'alice <alice@example.com>|Gyre|deploy housing: revision 2|retrained on day 2\n\nGyre-Revision: 2',
    );
    expect(sh(repo, 'show', '--name-only', '--format=', 'HEAD').split('\n')).toEqual([
      'environments/dev/deployments/housing/deployment.yaml',
      'environments/dev/deployments/housing/service.yaml',
    ]);
    // An unrelated commit later; then the same manifests again: nothing to commit, and the
    // commit that holds them is still the one that wrote them.
    writeFileSync(join(repo, 'other.txt'), 'x\n');
    sh(repo, 'add', 'other.txt');
    sh(repo, '-c', 'user.name=x', '-c', 'user.email=x@example.com', 'commit', '-qm', 'other');
    const again = await writeToGitOps({
      repoDir: join(repo, 'environments'),
      path: 'environments/dev/deployments/housing',
      files: manifests,
      author: alice,
      message: 'deploy housing: revision 3',
    });
    expect(again).toMatchObject({ changed: false, sha: first.sha });
    // A repository with its own identity commits as it (the author stays the user).
    sh(repo, 'config', 'user.name', 'gitops-bot');
    sh(repo, 'config', 'user.email', 'bot@example.com');
    await writeToGitOps({
      repoDir: repo,
      path: 'environments/dev/deployments/housing',
      files: { 'deployment.yaml': 'kind: Deployment\n' },
      author: alice,
      message: 'deploy housing: revision 3',
    });
    expect(sh(repo, 'log', '-1', '--format=%an|%cn')).toBe('alice|gitops-bot');
  });

  it('replaces the directory: manifests no longer rendered are removed', async () => {
    const path = 'envs/dev/housing';
    await writeToGitOps({ repoDir: repo, path, files: manifests, author: alice, message: 'a' });
    await writeToGitOps({
      repoDir: repo,
      path,
      files: { 'deployment.yaml': 'kind: Deployment\nspec: {}\n' },
      author: alice,
      message: 'b',
    });
    expect(existsSync(join(repo, path, 'service.yaml'))).toBe(false);
    expect(sh(repo, 'show', '--name-status', '--format=', 'HEAD').split('\n')).toEqual([
      `M\t${path}/deployment.yaml`,
      `D\t${path}/service.yaml`,
    ]);
  });

  it('commits only its directory, and refuses one with uncommitted edits', async () => {
    writeFileSync(join(repo, 'README.md'), 'edited, staged, not ours\n');
    sh(repo, 'add', 'README.md');
    await writeToGitOps({
      repoDir: repo,
      path: 'd',
      files: manifests,
      author: alice,
      message: 'x',
    });
    expect(sh(repo, 'show', '--name-only', '--format=', 'HEAD')).not.toContain('README.md');
    expect(sh(repo, 'diff', '--cached', '--name-only')).toBe('README.md');

    writeFileSync(join(repo, 'd', 'service.yaml'), 'hand edit\n');
    await expect(
      writeToGitOps({ repoDir: repo, path: 'd', files: manifests, author: alice, message: 'y' }),
    ).rejects.toThrow(/d in .* has uncommitted changes/);
    expect(readFileSync(join(repo, 'd', 'service.yaml'), 'utf8')).toBe('hand edit\n');
  });

  it('pushes to the upstream when asked, naming the remote without credentials', async () => {
    const remote = join(dir, 'remote.git');
    sh(dir, 'init', '--quiet', '--bare', '-b', 'main', remote);
    sh(repo, 'remote', 'add', 'origin', remote);
    sh(repo, 'push', '--quiet', 'origin', 'main');
    const result = await writeToGitOps({
      repoDir: repo,
      path: 'd',
      files: manifests,
      author: alice,
      message: 'x',
      push: true,
    });
    expect(result).toMatchObject({ pushed: true, repository: remote });
    expect(sh(remote, 'rev-parse', 'main')).toBe(result.sha);
    sh(repo, 'remote', 'set-url', 'origin', 'https://bot:s3cret@git.example.com/org/gitops.git');
    const named = await writeToGitOps({
      repoDir: repo,
      path: 'e',
      files: manifests,
      author: alice,
      message: 'y',
    });
    expect(named.repository).toBe('https://git.example.com/org/gitops.git');
  });

  it('refuses paths outside the repository and directories that are no repository', async () => {
    for (const path of ['../x', '/abs', '.', 'a/../../b', '.git/hooks'])
      await expect(
        writeToGitOps({ repoDir: repo, path, files: manifests, author: alice, message: 'x' }),
      ).rejects.toThrow(/must be a relative path inside the repository/);
    await expect(
      writeToGitOps({
        repoDir: repo,
        path: 'd',
        files: { '../evil': 'x' },
        author: alice,
        message: 'x',
      }),
    ).rejects.toThrow(/file "..\/evil" must be a relative path/);
    await expect(
      writeToGitOps({ repoDir: dir, path: 'd', files: manifests, author: alice, message: 'x' }),
    ).rejects.toThrow(/is not inside a git work tree/);
  });
});

describeEachDatabase('GitOps commit store', (ctx) => {
  it('links revisions to commits, newest first, once per commit', async () => {
    let now = 1000;
    const store = new KyselyGitOpsCommitStore(ctx.db, { now: () => now++ });
    const base = {
      deployment: 'housing',
      repository: 'r',
      path: 'p',
      committedBy: 'alice',
      pushed: false,
    };
    await store.record({ ...base, revision: 1, commitSha: 'a'.repeat(40) });
    await store.record({
      ...base,
      revision: 2,
      commitSha: 'b'.repeat(40),
      branch: 'main',
      pushed: true,
    });
    await store.record({
      ...base,
      revision: 2,
      commitSha: 'b'.repeat(40),
      branch: 'main',
      pushed: true,
    });
    const list = await store.list('housing');
    expect(list.map((c) => [c.revision, c.commitSha.slice(0, 1), c.pushed, c.branch])).toEqual([
      [2, 'b', true, 'main'],
      [1, 'a', false, undefined],
    ]);
    expect(await store.list('other')).toEqual([]);
  });
});
