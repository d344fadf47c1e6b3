// The data commands as a user runs them: a real `gyre` process on a scratch home.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOUSING_CSV as housing } from './fixtures/data-files.js';
import { runGyre } from './fixtures/gyre-process.js';

const cwd = mkdtempSync(join(tmpdir(), 'gyre-data-cli-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const gyre = (...args: string[]) => runGyre(args, { cwd, env: { GYRE_HOME: join(cwd, '.gyre') } });

// Each command starts a process (tsx, DuckDB, the AWS SDK): seconds apiece on a busy machine.
describe('gyre data', { timeout: 180_000 }, () => {
  it('adds, lists, shows, diffs, exports and validates versions', async () => {
    const add = await gyre('data', 'add', housing, '--name', 'housing', '--tag', 'origin=shared');
    expect(add).toMatchObject({ code: 0, stderr: '' });
    expect(add.stdout).toMatch(
      /^added housing@1 {2}20640 rows {2}10 columns {2}sha256:[0-9a-f]{12}/,
    );
    expect((await gyre('data', 'add', housing, '--name', 'housing')).stdout).toMatch(
      /^unchanged: identical content is already housing@1/,
    );

    const lines = readFileSync(housing, 'utf8').split('\n');
    writeFileSync(join(cwd, 'small.csv'), lines.slice(0, 2001).join('\n') + '\n');
    expect((await gyre('data', 'add', 'small.csv', '-n', 'housing')).code).toBe(0);

    const list = JSON.parse((await gyre('data', 'list', '--json')).stdout);
    expect(list).toMatchObject([{ name: 'housing', latestVersion: 2 }]);
    const show = await gyre('data', 'show', 'housing@1');
    expect(show.stdout).toMatch(/total_bedrooms\s+numeric\s+207\s/);
    expect(show.stdout).toMatch(/ocean_proximity\s+categorical\s+0\s+5\s.*<1H OCEAN \(44\.3%\)/);
    // Distinct counts, min and max exactly as in the data; the mean rounded and marked so.
    expect(show.stdout).toMatch(
      /median_house_value\s+numeric\s+0\s+3842\s+14999\s+500001\s+~206900\s/,
    );
    expect(show.stdout).toMatch(
      /median_income\s+numeric\s+0\s+12928\s+0\.4999\s+15\.0001\s+~3\.871\s/,
    );
    expect(show.stdout).toMatch(/\n~ marks a rounded value \(to 4 significant figures\)/);
    const shown = JSON.parse((await gyre('data', 'show', 'housing@1', '--json')).stdout) as {
      profile: { columns: { name: string; min: number; max: number; mean: number }[] };
    };
    expect(shown.profile.columns.find((c) => c.name === 'median_house_value')).toMatchObject({
      min: 14999,
      max: 500001,
      distinct: 3842,
      mean: expect.closeTo(206855.8169, 3),
    });
    const diff = await gyre('data', 'diff', 'housing@1', 'housing@2');
    expect(diff.stdout).toMatch(/^housing@1 \(20640 rows\) → housing@2 \(2000 rows\)/);
    expect(diff.stdout).toMatch(/longitude .*\(shift\)/);

    const get = await gyre('data', 'get', 'housing@2', '-o', 'out.csv');
    expect(get.stdout).toBe('wrote housing@2 (2000 rows) to out.csv\n');
    expect(readFileSync(join(cwd, 'out.csv'), 'utf8').split('\n')[0]).toBe(lines[0]);

    writeFileSync(
      join(cwd, 'suite.yaml'),
      'expectations:\n  - expect: not_null\n    column: total_bedrooms\n',
    );
    const bad = await gyre('data', 'validate', 'housing@1', '--suite', 'suite.yaml');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(
      /FAIL\s+error\s+not_null\s+total_bedrooms\s+column total_bedrooms has 207 nulls/,
    );
    expect(bad.stderr).toBe('gyre: validation of housing@1 failed with 1 error(s)\n');
    writeFileSync(join(cwd, 'ok.yaml'), 'expectations:\n  - expect: row_count\n    min: 1\n');
    expect((await gyre('data', 'validate', 'housing@1', '--suite', 'ok.yaml')).code).toBe(0);
    const reports = await gyre('data', 'reports', 'housing@1');
    expect(reports.stdout).toMatch(/FAILED\s+1\s+0\s+suite\.yaml\n.*passed\s+0\s+0\s+ok\.yaml\n$/);
    const id = /^([0-9a-f-]{36})/m.exec(reports.stdout.split('\n')[1])![1];
    expect((await gyre('data', 'report', id)).stdout).toMatch(/FAIL\s+error\s+not_null/);
  });

  it('fails on bad files with one line naming the file and line', async () => {
    writeFileSync(join(cwd, 'ragged.csv'), 'a,b\n1,2\n3\n');
    const res = await gyre('data', 'add', 'ragged.csv', '--name', 'r');
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'gyre: ragged.csv line 3: expected 2 fields (as in the header), found 1\n',
    );
    const lossy = await gyre('data', 'add', housing, '-n', 'h', '--type', 'median_income=integer');
    expect(lossy.code).toBe(1);
    expect(lossy.stderr).toBe(
      `gyre: ${housing} line 2: median_income value "8.3252" is not an integer (type override median_income=integer)\n`,
    );
  });

  it('registers landing-zone files with watch --once', async () => {
    const zone = join(cwd, 'landing');
    mkdirSync(zone);
    expect(
      (await gyre('data', 'zone', 'add', 'drop', '--uri', zone, '--dataset', 'landed')).code,
    ).toBe(0);
    copyFileSync(housing, join(zone, 'h.csv'));
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(zone, 'h.csv'), past, past);
    const watch = await gyre('data', 'watch', '--once');
    expect(watch.stdout).toBe('drop: h.csv registered → landed@1\n');
    expect((await gyre('data', 'watch', '--once')).stdout).toBe('');
    const events = await gyre('data', 'events', '--type', 'dataset.version.created');
    expect(events.stdout).toMatch(/dataset:landed@1/);
  });
});
