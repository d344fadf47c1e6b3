// The governance commands as a user runs them: a real `gyre` process on a scratch home —
// scan a customer table for PII and confirm the tags, train and register a model with
// `gyre train`, read and edit its card, plan retention and report costs in each format.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { customerRows, writeCustomerCsv } from './fixtures/governance-data.js';
import { runGyre } from './fixtures/gyre-process.js';

const cwd = mkdtempSync(join(tmpdir(), 'gyre-governance-cli-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const gyre = (...args: string[]) => runGyre(args, { cwd, env: { GYRE_HOME: join(cwd, '.gyre') } });

describe('gyre governance commands', { timeout: 300_000 }, () => {
  it('scans for PII, shows and edits a model card, plans retention and reports costs', async () => {
    const csv = writeCustomerCsv(cwd, customerRows(300, 5));
    expect((await gyre('data', 'add', csv, '--name', 'customers')).code).toBe(0);

    const scan = await gyre('data', 'scan-pii', 'customers', '--sample', '100');
    expect(scan.code).toBe(0);
    expect(scan.stdout).toMatch(/customer_email\s+email\s+email 100\/100 \(100%\)\s+email/);
    expect(scan.stdout).toMatch(/card_number\s+card_number\s+card_number 100\/100/);
    expect(scan.stdout).toContain('confirm with: gyre data scan-pii customers --confirm');
    expect(scan.stdout).not.toContain('@example.com');
    const confirmed = await gyre('data', 'scan-pii', 'customers', '--confirm');
    expect(confirmed.stdout).toMatch(
      /tagged: customer_email \(email\), phone \(phone\), card_number \(card_number\)/,
    );
    expect(
      JSON.parse((await gyre('data', 'pii', 'list', 'customers', '--json')).stdout),
    ).toHaveLength(3);
    const badKind = await gyre('data', 'pii', 'tag', 'customers', 'age=shoe_size');
    expect(badKind.code).not.toBe(0);
    expect(badKind.stderr).toMatch(/PII kind shoe_size: use one of email, phone/);

    const train = await gyre(
      'train',
      'customers',
      '--target',
      'price',
      '--register',
      'prices',
      '--alias',
      'champion',
    );
    expect(train.code, train.stderr).toBe(0);
    const card = await gyre('models', 'card', 'prices/1', '--set', 'owner=pricing-team');
    expect(card.code, card.stderr).toBe(0);
    expect(card.stdout).toContain('# Model card: prices version 1');
    expect(card.stdout).toContain('**Owner:** pricing-team');
    expect(card.stdout).toMatch(/\| customer_email \| text \|.*\| email \|/);
    const json = JSON.parse(
      (await gyre('models', 'card', 'prices@champion', '--format', 'json')).stdout,
    );
    expect(json).toMatchObject({ name: 'prices', version: 1, fields: { owner: 'pricing-team' } });
    const wrong = await gyre('models', 'card', 'prices/1', '--set', 'colour=red');
    expect(wrong.stderr).toMatch(
      /--set colour=red: use <field>=<text> with field one of intended_use, owner, limitations/,
    );

    const plan = JSON.parse((await gyre('retention', 'plan', '--json')).stdout);
    expect(plan.items).toEqual([]);
    const apply = await gyre('retention', 'apply');
    expect(apply.stdout).toContain('nothing deleted: run again with --yes');

    const table = await gyre('costs', 'report', '--by', 'pipeline', '--since', '1d');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^costs by pipeline/);
    const csvReport = (await gyre('costs', 'report', '--format', 'csv')).stdout.trim().split('\n');
    expect(csvReport[0]).toBe(
      'team,runs,steps,predictions,cpuSeconds,wallSeconds,gibHours,pipelineUsd,servingUsd,totalUsd',
    );
    const report = JSON.parse((await gyre('costs', 'report', '--format', 'json')).stdout);
    const stepCpu = report.steps.reduce(
      (t: number, s: { cpuSeconds: number }) => t + s.cpuSeconds,
      0,
    );
    expect(report.totals.cpuSeconds).toBeCloseTo(stepCpu, 9);
    const badSince = await gyre('costs', 'report', '--since', 'yesterday');
    expect(badSince.stderr).toMatch(
      /since "yesterday": use a duration \(30d, 12h\) or an ISO date/,
    );
  });
});
