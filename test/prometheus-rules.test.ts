// The shipped Prometheus rules and configuration, checked by Debian's promtool: syntax and
// PromQL (`check`), and the rules' behaviour on synthetic series (`test rules`).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './fixtures/data-files.js';
import { promtool } from './fixtures/prometheus.js';

const DIR = join(REPO_ROOT, 'deploy/prometheus');

describe('deploy/prometheus', () => {
  it('rules.yaml passes promtool check rules', async () => {
    const run = await promtool(['check', 'rules', 'rules.yaml'], DIR);
    expect(run.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(run.code, run.output).toBe(0);
  });

  it('rules.yaml passes its unit tests (promtool test rules rules.test.yaml)', async () => {
    const run = await promtool(['test', 'rules', 'rules.test.yaml'], DIR);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('SUCCESS');
  });

  it('prometheus.yml is a valid configuration that loads the rules', async () => {
    const run = await promtool(['check', 'config', 'prometheus.yml'], DIR);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('1 rule files found');
  });
});
