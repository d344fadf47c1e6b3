import { InvalidArgumentError } from '../../core/index.js';
import type { DenseMatrix } from '../dense-matrix.js';
import type { FeatureSpec } from '../feature-spec.js';
import { parseGyreModel } from '../formats/gyre-format.js';
import type { GbdtModel } from '../gbdt/gbdt-model.js';
import type { GbdtParams } from '../gbdt/gbdt-params.js';
import { resolveGbdtParams } from '../gbdt/gbdt-params.js';
import { SeededRandom } from '../random.js';
import type { TrialOutcome, TrialTask } from './run-trial.js';
import type { SampledParams, SearchSpace } from './search-space.js';
import { sampleParams, validateSearchSpace } from './search-space.js';
import { TrialPool } from './trial-pool.js';

/** One finished trial (or one rung of a trial), as reported to `onTrial`. */
export interface TrialReport {
  trialId: number;
  /** Successive-halving rung (0 for random search). */
  rung: number;
  params: SampledParams;
  numRounds: number;
  metric: string;
  score: number;
}

/** Options for {@link tuneGbdt}. */
export interface TuneOptions {
  x: DenseMatrix;
  y: ArrayLike<number>;
  validation: { x: DenseMatrix; y: ArrayLike<number> };
  features?: readonly FeatureSpec[];
  space: SearchSpace;
  /** Fixed parameters every trial shares (objective, numClass, …). */
  baseParams?: Partial<GbdtParams>;
  /** `random`: every trial gets `maxRounds`. `successive_halving`: see `reduction`. */
  strategy?: 'random' | 'successive_halving';
  numTrials?: number;
  /** Rounds for the final rung (successive halving) or every trial (random search). */
  maxRounds?: number;
  /** Rounds in the first rung of successive halving. */
  minRounds?: number;
  /** Successive halving keeps 1/reduction of trials per rung and multiplies rounds by it. */
  reduction?: number;
  seed?: number;
  /** Worker threads; 0 runs trials in the calling thread. */
  parallelism?: number;
  /** Called for every finished trial, e.g. to log it as a child run in tracking. */
  onTrial?: (report: TrialReport) => void;
}

export interface TuneResult {
  best: TrialReport;
  model: GbdtModel;
  trials: TrialReport[];
}

/**
 * Hyperparameter search over a declared space: random search, or successive halving
 * (synchronous ASHA: every rung finishes before the best 1/reduction move on with
 * reduction× more rounds). Trials train in worker threads; the best model is returned.
 * Deterministic for a seed at any parallelism.
 */
export async function tuneGbdt(options: TuneOptions): Promise<TuneResult> {
  validateSearchSpace(options.space);
  const strategy = options.strategy ?? 'random';
  const numTrials = options.numTrials ?? 10;
  const maxRounds = options.maxRounds ?? 100;
  const reduction = options.reduction ?? 3;
  const minRounds = options.minRounds ?? Math.max(1, Math.floor(maxRounds / reduction ** 2));
  const seed = options.seed ?? 0;
  if (!(numTrials >= 1 && reduction >= 2 && minRounds >= 1 && minRounds <= maxRounds)) {
    throw new InvalidArgumentError(
      'tuning needs numTrials >= 1, reduction >= 2, 1 <= minRounds <= maxRounds',
    );
  }
  const rng = new SeededRandom(seed);
  const configs = Array.from({ length: numTrials }, () => sampleParams(options.space, rng));
  const paramsOf = (id: number, rounds: number): Partial<GbdtParams> => {
    const p = { ...options.baseParams, ...configs[id], numRounds: rounds, seed: seed + id };
    resolveGbdtParams(p); // fail fast in this thread with the parameter named
    return p;
  };
  const pool = new TrialPool(
    {
      x: options.x,
      y: Float64Array.from(options.y),
      validX: options.validation.x,
      validY: Float64Array.from(options.validation.y),
      features: options.features,
    },
    options.parallelism ?? 2,
  );
  const trials: TrialReport[] = [];
  // The last rung trained the most rounds; its best trial is the winner.
  let lastRung: { report: TrialReport; outcome: TrialOutcome }[] = [];
  try {
    let alive = configs.map((_, id) => id);
    let rounds = strategy === 'random' ? maxRounds : minRounds;
    for (let rung = 0; ; rung++) {
      const tasks: TrialTask[] = alive.map((id) => ({ trialId: id, params: paramsOf(id, rounds) }));
      const outcomes = await pool.run(tasks);
      const ranked: { id: number; score: number }[] = [];
      lastRung = [];
      for (const outcome of outcomes) {
        const report: TrialReport = {
          trialId: outcome.trialId,
          rung,
          params: configs[outcome.trialId],
          numRounds: rounds,
          metric: outcome.metric,
          score: outcome.score,
        };
        trials.push(report);
        options.onTrial?.(report);
        ranked.push({ id: outcome.trialId, score: outcome.score });
        lastRung.push({ report, outcome });
      }
      if (strategy === 'random' || rounds >= maxRounds || alive.length <= 1) break;
      ranked.sort((a, b) => a.score - b.score || a.id - b.id);
      alive = ranked.slice(0, Math.max(1, Math.floor(alive.length / reduction))).map((r) => r.id);
      rounds = Math.min(maxRounds, rounds * reduction);
    }
  } finally {
    await pool.close();
  }
  const winner = lastRung.reduce((a, b) =>
    b.report.score < a.report.score ||
    (b.report.score === a.report.score && b.report.trialId < a.report.trialId)
      ? b
      : a,
  );
  const model = parseGyreModel(winner.outcome.model).predictor as GbdtModel;
  return { best: winner.report, model, trials };
}
