import type { Clock } from '../core/index.js';
import { systemClock } from '../core/index.js';
import type { RunService } from './run-service.js';

/** One finished tuning trial (or rung), as a tuner reports it (ml's TrialReport fits). */
export interface TrialToLog {
  trialId: number;
  rung: number;
  params: Record<string, string | number | boolean>;
  numRounds: number;
  metric: string;
  score: number;
}

export interface TrialRunLogger {
  /** Pass as the tuner's `onTrial`: queues the trial as a child run without blocking it. */
  onTrial(trial: TrialToLog): void;
  /** Waits until every queued trial is logged; returns the child run ids in report order. */
  flush(): Promise<string[]>;
}

/**
 * Logs each tuning trial as a child run of `parentRunId` (MLflow's `mlflow.parentRunId` tag, so
 * MLflow UIs nest them): its sampled params, its validation score at step = boosting rounds,
 * and its rung. Tuners report synchronously from their loop, so writes are chained and
 * awaited by `flush`; the first failure is re-thrown there.
 */
export function createTrialRunLogger(
  runs: RunService,
  parent: { experimentId: string; parentRunId: string },
  clock: Clock = systemClock,
): TrialRunLogger {
  let chain: Promise<void> = Promise.resolve();
  const runIds: string[] = [];
  const log = async (trial: TrialToLog): Promise<void> => {
    const run = await runs.create({
      experimentId: parent.experimentId,
      runName: `trial-${trial.trialId}-rung-${trial.rung}`,
      tags: [
        { key: 'mlflow.parentRunId', value: parent.parentRunId },
        { key: 'gyre.tuning.trial', value: String(trial.trialId) },
        { key: 'gyre.tuning.rung', value: String(trial.rung) },
      ],
    });
    const runId = run.info.runId;
    await runs.logBatch(runId, {
      params: [
        ...Object.entries(trial.params).map(([key, value]) => ({ key, value: String(value) })),
        { key: 'num_rounds', value: String(trial.numRounds) },
      ],
      metrics: [
        { key: trial.metric, value: trial.score, timestamp: clock.now(), step: trial.numRounds },
      ],
    });
    await runs.update(runId, { status: 'FINISHED', endTime: clock.now() });
    runIds.push(runId);
  };
  return {
    onTrial(trial) {
      chain = chain.then(() => log(trial));
    },
    async flush() {
      await chain;
      return [...runIds];
    },
  };
}
