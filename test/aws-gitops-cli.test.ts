// `gyre deployments apply <name> --gitops <repo-dir>` as a user runs it: a deployment's
// revisions rendered as Kubernetes manifests and committed into a real git repository with
// each revision's author and reason, the commit linked from the deployment's history.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCliOn } from '../src/cli/test-cli.js';
import { registerModel, trainHousingGbdt } from '../src/serving/test-models.js';
import { createTestGyre, type TestGyre } from '../src/test-gyre.js';
import { runGyre } from './fixtures/gyre-process.js';

const sh = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }).trim();

describe('gyre deployments apply --gitops', { timeout: 180_000 }, () => {
  let t: TestGyre;
  let dir: string;
  let repo: string;
  let remote: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gyre-gitops-cli-'));
    writeFileSync(join(dir, 'gitconfig'), '');
    vi.stubEnv('GIT_CONFIG_GLOBAL', join(dir, 'gitconfig'));
    vi.stubEnv('GIT_CONFIG_NOSYSTEM', '1');
    remote = join(dir, 'gitops.git');
    repo = join(dir, 'gitops');
    sh(dir, 'init', '--quiet', '--bare', '-b', 'main', remote);
    sh(dir, 'clone', '--quiet', remote, repo);
    writeFileSync(join(repo, 'README.md'), 'environments\n');
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
    sh(repo, 'push', '--quiet', 'origin', 'HEAD:main');
    t = await createTestGyre('sqlite');
    const model = trainHousingGbdt({ rounds: 10 });
    await registerModel(t.gyre, 'housing', model);
    await registerModel(t.gyre, 'housing', model);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits each revision with its author and reason, and links the commit', async () => {
    await t.gyre.serving.deployments.deploy({
      name: 'housing',
      model: 'housing/1',
      createdBy: 'alice',
      reason: 'first model',
    });
    const path = 'environments/dev/deployments/housing';
    const first = await runCliOn(
      t.gyre,
      'deployments',
      'apply',
      'housing',
      '--gitops',
      repo,
      '--path',
      path,
      '--push',
    );
    expect(first.stderr).toBe('');
    const sha1 = sh(repo, 'rev-parse', 'HEAD');
    expect(first.stdout).toBe(
      `housing: revision 1 committed ${sha1.slice(0, 12)} to ${remote} ${path} on main (${readdirSync(join(repo, path)).length} files), pushed\n`,
    );
    expect(sh(remote, 'rev-parse', 'main')).toBe(sha1);
    expect(sh(repo, 'log', '-1', '--format=%an <%ae>%n%s%n%b')).toMatch(
      /^alice <alice@gyre\.invalid>\ndeploy housing: revision 1 \(deploy, housing\/1\)\nfirst model\n\nGyre-Deployment: housing\nGyre-Revision: 1/,
    );
    // The directory is a kustomization of valid objects, the Deployment among them.
    const kustomization = readFileSync(join(repo, path, 'kustomization.yaml'), 'utf8');
    const kinds = readdirSync(join(repo, path))
      .filter((f) => f !== 'kustomization.yaml')
      .flatMap((f) => {
        expect(kustomization).toContain(`  - ${f}\n`);
        return parseAllDocuments(readFileSync(join(repo, path, f), 'utf8')).map(
          (d) => d.toJS().kind as string,
        );
      });
    expect(kinds).toContain('Deployment');
    expect(kinds).toContain('Service');

    // A canary by someone else, with a reason; then the built CLI as a user runs it.
    await t.gyre.serving.deployments.deploy({
      name: 'housing',
      model: 'housing/2',
      canary: 10,
      createdBy: 'bob@example.com',
      reason: 'retrained on March data',
    });
    const second = await runGyre(
      ['deployments', 'apply', 'housing', '--gitops', repo, '--path', path, '--json'],
      {
        cwd: dir,
        env: {
          GYRE_HOME: t.home,
          GYRE_DATABASE_URL: t.url,
          GIT_CONFIG_GLOBAL: join(dir, 'gitconfig'),
          GIT_CONFIG_NOSYSTEM: '1',
        },
      },
    );
    expect(second.code, second.stderr).toBe(0);
    const applied = JSON.parse(second.stdout) as {
      revision: number;
      sha: string;
      changed: boolean;
    };
    expect(applied).toMatchObject({ revision: 2, changed: true });
    expect(sh(repo, 'log', '-1', '--format=%an <%ae>|%s')).toBe(
      'bob <bob@example.com>|deploy housing: revision 2 (deploy, primary housing/1 90%, candidate housing/2 10%)',
    );

    // The history shows which commit carries each revision.
    const history = (await runCliOn(t.gyre, 'deployments', 'history', 'housing')).stdout.split(
      '\n',
    );
    expect(history[0]).toMatch(/COMMIT/);
    expect(history[1]).toMatch(new RegExp(`^2 .*${applied.sha.slice(0, 12)}`));
    expect(history[2]).toMatch(new RegExp(`^1 .*${sha1.slice(0, 12)}`));

    // A hand edit is refused, not overwritten.
    writeFileSync(join(repo, path, 'kustomization.yaml'), 'edited\n');
    const refused = await runCliOn(
      t.gyre,
      'deployments',
      'apply',
      'housing',
      '--gitops',
      repo,
      '--path',
      path,
    );
    expect(refused.stderr).toMatch(/has uncommitted changes/);
  });

  it('names what is wrong with the repository or the revision', async () => {
    const notRepo = await runCliOn(t.gyre, 'deployments', 'apply', 'housing', '--gitops', dir);
    expect(notRepo.stderr).toMatch(/--gitops .* is not inside a git work tree/);
    const noRevision = await runCliOn(
      t.gyre,
      'deployments',
      'apply',
      'housing',
      '--gitops',
      repo,
      '--revision',
      '99',
    );
    expect(noRevision.stderr).toMatch(/deployment housing has no revision 99/);
    const outside = await runCliOn(
      t.gyre,
      'deployments',
      'apply',
      'housing',
      '--gitops',
      repo,
      '--path',
      '../x',
    );
    expect(outside.stderr).toMatch(/must be a relative path inside the repository/);
  });
});
