// The monitoring commands as a user types them (the real commander program over a test Gyre):
// create a monitor with an alert, send labels from CSV, check a window, list and acknowledge
// the alert, walk a canary rollout — and the one-line errors for bad input.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCliOn } from '../src/cli/test-cli.js';
import { registerModel, trainHousingGbdt } from '../src/serving/test-models.js';
import { describeEachGyre } from '../src/test-gyre.js';
import { HOUSING_CSV } from './fixtures/data-files.js';
import { scaleColumns, startTraffic, type Traffic } from './fixtures/monitoring-traffic.js';

const model = trainHousingGbdt({ rounds: 5, rows: 2000 });

describeEachGyre('monitoring commands', (ctx) => {
  let traffic: Traffic | undefined;
  afterEach(async () => {
    await traffic?.stop();
    traffic = undefined;
  });

  it('creates, evaluates, takes labels from CSV, lists and acknowledges alerts', async () => {
    const { gyre } = ctx;
    const cli = (...args: string[]) => runCliOn(gyre, ...args);
    await registerModel(gyre, 'housing', model);
    await registerModel(gyre, 'housing', model);
    await gyre.serving.deployments.deploy({ name: 'h', model: 'housing/1' });
    await gyre.data.datasets.ingest({ source: HOUSING_CSV, name: 'housing' });
    traffic = await startTraffic(gyre, 'h');

    const bad = await cli(
      'monitors',
      'create',
      'm',
      '--deployment',
      'h',
      '--dataset',
      'housing',
      '--alert',
      'no colon',
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--alert takes "name: condition"/);
    const created = await cli(
      'monitors',
      'create',
      'm',
      '--deployment',
      'h',
      '--dataset',
      'housing',
      '--rows',
      '400',
      '--alert',
      'income: feature.median_income.drifted',
      '--severity',
      'critical',
      '--retrain',
    );
    expect(created).toMatchObject({ code: 0, stdout: 'created monitor m on deployment h\n' });

    const sent = traffic.send(400, { shift: scaleColumns(['median_income'], 2) });
    await traffic.flush();
    const dir = mkdtempSync(join(tmpdir(), 'gyre-labels-'));
    const csv = join(dir, 'labels.csv');
    writeFileSync(
      csv,
      `request_id,label\n${sent.map((s) => `${s.requestId},${s.target}`).join('\n')}\n`,
    );
    expect((await cli('feedback', 'send', 'h', csv)).stdout).toBe(
      '400 labels stored, 0 already known, 0 corrected\n',
    );
    expect((await cli('feedback', 'send', 'h', csv)).stdout).toBe(
      '0 labels stored, 400 already known, 0 corrected\n',
    );

    const evaluated = await cli('monitors', 'evaluate', 'm');
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout).toMatch(/window 1: .* 400 rows, model version 1/);
    expect(evaluated.stdout).toMatch(/median_income\s+wasserstein\s+\S+\s+0\.1\s+yes/);
    expect(evaluated.stdout).toMatch(/realized \(400 labelled\): rmse \d/);
    expect(evaluated.stdout).toMatch(/alert income: fired/);
    expect(evaluated.stdout).toMatch(/action pipeline: succeeded/);

    expect((await cli('monitors', 'list')).stdout).toMatch(/^m\s+h\s+400 rows/m);
    const listed = JSON.parse(
      (await cli('alerts', 'list', '--state', 'firing', '--json')).stdout,
    ) as { id: string }[];
    expect(listed).toHaveLength(1);
    expect((await cli('alerts', 'ack', listed[0].id)).stdout).toMatch(
      /acknowledged .* \(income, firing\)/,
    );
    const shown = await cli('alerts', 'show', listed[0].id);
    expect(shown.stdout).toMatch(
      /income on h \(monitor m\)\ncritical, firing since .*, acknowledged by/,
    );

    await gyre.serving.deployments.deploy({ name: 'h', model: 'housing/2', canary: 10 });
    const started = await cli('deployments', 'rollout', 'h', '--start', '--step', '50:3600000');
    expect(started.stdout).toBe('h: rollout running, step 1 of 1\n');
    expect((await cli('deployments', 'rollout', 'h', '--step', 'x')).stderr).toMatch(
      /--step goes with --start/,
    );
    expect((await cli('deployments', 'rollout', 'h', '--start', '--step', 'x')).stderr).toMatch(
      /--step takes weight:pauseMs/,
    );
  });
});
