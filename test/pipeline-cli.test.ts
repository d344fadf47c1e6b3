// The pipelines CLI as a user runs it (the built `gyre`, no server up): the hello example of
// docs/pipelines.md runs, a second run is all cache hits, logs and listings show it, and a
// broken file fails before anything runs with one line per problem naming step and line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGyre } from './fixtures/gyre-process.js';

const dir = mkdtempSync(join(tmpdir(), 'gyre-pipeline-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { GYRE_HOME: join(dir, '.gyre') };
const gyre = (...args: string[]) => runGyre(args, { cwd: dir, env });

// The quick-start example of docs/pipelines.md, verbatim.
const HELLO = `name: hello
params:
  who: world
steps:
  greet:
    run: echo "hello $GYRE_INPUT_WHO" && echo "greeting=hello $GYRE_INPUT_WHO" >> $GYRE_OUTPUTS
    with: { who: "\${{ params.who }}" }
    outputs: { greeting: string }
  shout:
    needs: greet
    run: echo "$GYRE_INPUT_TEXT!" | tr a-z A-Z
    with: { text: "\${{ steps.greet.outputs.greeting }}" }
`;

// Steps reach the API the CLI serves on loopback while the run lasts.
const ASK = `const e = process.env;
const run = await (await fetch(e.GYRE_URL + '/api/v1/pipeline-runs/' + e.GYRE_PIPELINE_RUN_ID)).json();
const mine = await (await fetch(e.MLFLOW_TRACKING_URI + '/api/2.0/mlflow/runs/get?run_id=' + e.MLFLOW_RUN_ID)).json();
if (run.status !== 'running' || mine.run.info.status !== 'RUNNING') process.exit(1);`;
// With auth on, an anonymous call is refused; the run's token is accepted.
const WHOAMI = `const e = process.env;
const anonymous = await fetch(e.GYRE_URL + '/api/v1/whoami');
if (anonymous.status !== 401) process.exit(1);
const me = await (await fetch(e.GYRE_URL + '/api/v1/whoami', {
  headers: { authorization: 'Bearer ' + e.MLFLOW_TRACKING_TOKEN },
})).json();
if (e.GYRE_TOKEN !== e.MLFLOW_TRACKING_TOKEN) process.exit(2);
console.log(me.name, me.role, me.via);`;
const CALLBACK = `name: callback
steps:
  ask:
    run: node ask.mjs
`;

describe('gyre run and gyre pipelines', { timeout: 120_000 }, () => {
  it('runs the documented example, then answers from the cache', async () => {
    writeFileSync(join(dir, 'hello.yaml'), HELLO);
    const first = await gyre('run', 'hello.yaml', '-p', 'who=gyre', '--logs');
    expect(first.stderr).not.toContain('gyre:');
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('shout | HELLO GYRE!');
    expect(first.stdout).toMatch(/pipeline run [0-9a-f]{32} \(hello v1\) succeeded/);
    const runId = /pipeline run ([0-9a-f]{32})/.exec(first.stdout)![1];

    const second = await gyre('run', 'hello.yaml', '-p', 'who=gyre');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/greet\s+cached/);
    expect(second.stdout).toMatch(/shout\s+cached/);

    const logs = await gyre('pipelines', 'logs', runId, 'shout');
    expect(logs.stdout).toBe('HELLO GYRE!\n');
    expect(
      (await gyre('pipelines', 'runs', 'hello')).stdout
        .split('\n')
        .filter((l) => l.includes('succeeded')),
    ).toHaveLength(2);
    expect((await gyre('pipelines', 'list')).stdout).toMatch(/hello\s+1/);
    expect((await gyre('pipelines', 'show', 'hello')).stdout).toContain(
      'run: echo "hello $GYRE_INPUT_WHO"',
    );
  });

  it('gives run steps the API on loopback and their tracking run', async () => {
    writeFileSync(join(dir, 'callback.yaml'), CALLBACK);
    writeFileSync(join(dir, 'ask.mjs'), ASK);
    const result = await gyre('run', 'callback.yaml', '--logs');
    expect(result.stderr).not.toContain('gyre:');
    expect(result.code).toBe(0);
  });

  it('with auth on, steps call back with a token of their own, revoked when the run ends', async () => {
    writeFileSync(join(dir, 'whoami.mjs'), WHOAMI);
    writeFileSync(
      join(dir, 'whoami.yaml'),
      'name: whoami\nsteps:\n  ask:\n    run: node whoami.mjs\n',
    );
    const authEnv = { ...env, GYRE_AUTH_ENABLED: 'true' };
    const result = await runGyre(['run', 'whoami.yaml', '--logs'], { cwd: dir, env: authEnv });
    expect(result.stderr).not.toContain('gyre:');
    expect(result.code).toBe(0);
    // The step printed who it authenticated as: a run token with the editor role.
    expect(result.stderr).toMatch(/ask \| token:pipeline-run-[0-9a-f]{12} editor token/);
    const tokens = JSON.parse(
      (await runGyre(['tokens', 'list', '--json'], { cwd: dir, env: authEnv })).stdout,
    ) as { name: string; revokedAt?: number }[];
    const runTokens = tokens.filter((t) => t.name.startsWith('pipeline-run-'));
    expect(runTokens).toHaveLength(1);
    expect(runTokens[0].revokedAt).toBeGreaterThan(0);
  });

  it('refuses a broken definition before running anything, naming steps and lines', async () => {
    writeFileSync(
      join(dir, 'broken.yaml'),
      HELLO.replace('needs: greet', 'needs: [greet, later]').replace(
        'outputs.greeting',
        'outputs.greting',
      ),
    );
    const result = await gyre('run', 'broken.yaml');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('gyre: 2 problems in broken.yaml:');
    expect(result.stderr).toContain(
      'broken.yaml line 10: steps.shout.needs[1]: step shout needs unknown step later',
    );
    expect(result.stderr).toContain(
      'broken.yaml line 12: steps.shout.with.text: steps.greet.outputs.greting: step greet has no output greting (it has: greeting)',
    );
    expect((await gyre('pipelines', 'list')).stdout).not.toContain('broken');
  });

  it('fails with the failing step named and a non-zero exit', async () => {
    writeFileSync(join(dir, 'fails.yaml'), 'name: fails\nsteps:\n  boom:\n    run: exit 3\n');
    const result = await gyre('run', 'fails.yaml');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /gyre: pipeline run [0-9a-f]{32} failed: step boom did not succeed/,
    );
    expect(result.stdout).toMatch(/boom\s+failed\s+1 .*exit code 3/);
  });
});
