import {
  FINISHED_STEP_STATUSES,
  type PipelineRunDetail,
  type RunObserver,
  type StepStatus,
} from '../pipelines/index.js';
import type { CliContext } from './context.js';
import { printTable } from './output.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

interface Row {
  status: StepStatus;
  startedAt?: number;
  endedAt?: number;
}

const RUNNING: readonly StepStatus[] = ['running', 'waiting_approval'];

/**
 * Shows a run's steps as they progress: on a terminal, a table redrawn in place (state,
 * duration, cached); otherwise one plain line per state change, fit for CI logs. With
 * `logs`, steps' output is echoed too, each line prefixed with its step.
 */
export function pipelineProgress(
  ctx: CliContext,
  options: { logs?: boolean } = {},
): RunObserver & { stop(): void } {
  const out = ctx.stderr;
  const live = out.isTTY === true && !options.logs;
  const rows = new Map<string, Row>();
  const partial = new Map<string, string>();
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;

  const draw = () => {
    if (!live) return;
    const now = Date.now();
    const lines = [...rows].map(([step, r]) => {
      const ms = r.startedAt === undefined ? undefined : (r.endedAt ?? now) - r.startedAt;
      return `  ${step.padEnd(24)} ${r.status.padEnd(16)} ${ms === undefined ? '' : seconds(ms)}`;
    });
    out.write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l}\n`).join('')}`);
    drawn = lines.length;
  };
  if (live) {
    timer = setInterval(draw, 250);
    timer.unref();
  }

  return {
    onStep(step, status) {
      const row = rows.get(step) ?? { status };
      if (RUNNING.includes(status) && row.startedAt === undefined) row.startedAt = Date.now();
      if (FINISHED_STEP_STATUSES.includes(status)) row.endedAt = Date.now();
      const changed = row.status !== status || !rows.has(step);
      row.status = status;
      rows.set(step, row);
      if (live) draw();
      else if (changed && status !== 'pending') {
        const ms =
          row.startedAt !== undefined && row.endedAt !== undefined
            ? ` (${seconds(row.endedAt - row.startedAt)})`
            : '';
        out.write(`[${step}] ${status}${ms}\n`);
      }
    },
    onLog(step, text) {
      if (!options.logs) return;
      const lines = ((partial.get(step) ?? '') + text).split('\n');
      partial.set(step, lines.pop() ?? '');
      for (const line of lines) out.write(`${step} | ${line}\n`);
    },
    stop() {
      clearInterval(timer);
      draw();
    },
  };
}

/** The final summary on stdout: one line for the run, a table of its steps. */
export function printRunSummary(ctx: CliContext, run: PipelineRunDetail): void {
  const total =
    run.finishedAt && run.startedAt ? ` in ${seconds(run.finishedAt - run.startedAt)}` : '';
  ctx.stdout.write(
    `pipeline run ${run.id} (${run.pipelineName} v${run.pipelineVersion}) ${run.status}${total}\n`,
  );
  printTable(
    ctx,
    ['STEP', 'STATUS', 'ATTEMPTS', 'WALL', 'CPU', 'PEAK RSS', 'DETAIL'],
    run.steps.map((s) => [
      s.step,
      s.status,
      s.attempt || '',
      s.wallMs === undefined ? '' : seconds(s.wallMs),
      s.cpuMs === undefined ? '' : seconds(s.cpuMs),
      s.peakRssBytes === undefined ? '' : `${Math.round(s.peakRssBytes / 1048576)} MiB`,
      s.error ?? '',
    ]),
  );
}
