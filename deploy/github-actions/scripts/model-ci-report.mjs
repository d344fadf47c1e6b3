#!/usr/bin/env node
// Builds the pull-request comment of model CI from `gyre run --json` output: the candidate
// (the pull request's pipeline) against the champion (the base branch's, registered first in
// the same Gyre home), a metrics table and the gate's decision. Plain Node, no dependencies.
//
//   node model-ci-report.mjs --candidate candidate.json [--champion champion.json] > comment.md
import { existsSync, readFileSync } from 'node:fs';

/** The marker the workflow looks for to update its own comment instead of adding one. */
export const MARKER = '<!-- gyre-model-ci -->';

const LOWER_IS_BETTER = new Set(['rmse', 'mae', 'mse', 'logloss', 'log_loss', 'mape']);

/** A run's evaluation metrics: the `metrics` JSON output of its evaluate-like step. */
export function runMetrics(run) {
  for (const step of run?.steps ?? []) {
    const metrics = step.outputs?.metrics?.value;
    if (metrics && typeof metrics === 'object') {
      return Object.fromEntries(
        Object.entries(metrics).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)),
      );
    }
  }
  return {};
}

/** The gate step of a run: passed, refused (with the reason) or not reached. */
export function gateDecision(run) {
  const gate = (run?.steps ?? []).find((s) => s.step === 'gate' || /gate/.test(s.step));
  if (!gate) return { decision: 'no gate', detail: 'the pipeline has no gate step' };
  if (gate.status === 'succeeded' || gate.status === 'cached')
    return { decision: 'passed', detail: 'the candidate may be registered' };
  if (gate.status === 'failed') return { decision: 'refused', detail: gate.error ?? '' };
  return {
    decision: 'not reached',
    detail: `gate ${gate.status}${run?.error ? `: ${run.error}` : ''}`,
  };
}

const fmt = (v) =>
  v === undefined ? '—' : Math.abs(v) >= 1000 ? v.toFixed(1) : Number(v.toPrecision(4)).toString();

function change(name, candidate, champion) {
  if (candidate === undefined || champion === undefined) return '';
  const delta = candidate - champion;
  if (delta === 0) return '=';
  const better = LOWER_IS_BETTER.has(name) ? delta < 0 : delta > 0;
  const pct =
    champion !== 0
      ? ` (${delta > 0 ? '+' : ''}${((delta / Math.abs(champion)) * 100).toFixed(1)}%)`
      : '';
  return `${better ? '▲ better' : '▼ worse'}${pct}`;
}

/** The comment's Markdown. */
export function modelCiReport({ candidate, champion, title = 'Model CI' }) {
  const cand = runMetrics(candidate);
  const champ = champion ? runMetrics(champion) : {};
  const names = [...new Set([...Object.keys(cand), ...Object.keys(champ)])].sort();
  const gate = gateDecision(candidate);
  const icon = { passed: '✅', refused: '❌', 'no gate': '⚪', 'not reached': '⚠️' }[gate.decision];
  const lines = [
    MARKER,
    `### ${title}: ${candidate?.pipelineName ?? 'pipeline'}`,
    '',
    `**Gate: ${icon} ${gate.decision}**${gate.detail ? ` — ${gate.detail}` : ''}`,
    '',
  ];
  if (names.length > 0) {
    lines.push('| metric | candidate | champion | change |', '| --- | ---: | ---: | --- |');
    for (const n of names)
      lines.push(`| ${n} | ${fmt(cand[n])} | ${fmt(champ[n])} | ${change(n, cand[n], champ[n])} |`);
  } else {
    lines.push('_The candidate run produced no evaluation metrics._');
  }
  lines.push('', '| step | status |', '| --- | --- |');
  for (const s of candidate?.steps ?? [])
    lines.push(`| ${s.step} | ${s.status}${s.error ? `: ${s.error}` : ''} |`);
  if (!champion) lines.push('', '_No champion: the base branch has no run to compare with._');
  lines.push(
    '',
    `<sub>candidate run \`${candidate?.id ?? '?'}\`${champion ? `, champion run \`${champion.id}\`` : ''}</sub>`,
  );
  return lines.join('\n') + '\n';
}

function readRun(path) {
  if (!path || !existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8').trim();
  return text ? JSON.parse(text) : undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const arg = (name) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const candidate = readRun(arg('candidate'));
  if (!candidate) {
    process.stderr.write('model-ci-report: --candidate <gyre run --json output> is required\n');
    process.exit(2);
  }
  process.stdout.write(
    modelCiReport({ candidate, champion: readRun(arg('champion')), title: arg('title') }),
  );
}
