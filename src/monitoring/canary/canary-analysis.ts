// Canary analysis: during a rollout step, the candidate's predictions are compared with the
// primary's over the same stretch of the log — p99 latency, the prediction distribution (a
// drift test of candidate against primary) and realized performance where labels came back.
// Errors are not in the log (serving counts them per deployment, not per route), so the error
// rate is not judged here.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqlString, withSqlSession, type SqlSession } from '../../data/index.js';
import type { RolloutAnalysis, RolloutDecision, RolloutStepContext } from '../../serving/index.js';
import { referenceFromParquet } from '../drift/drift-reference.js';
import { computeWindowDrift } from '../drift/window-drift.js';
import { joinLabels } from '../feedback/label-join.js';
import { realizedMetrics } from '../feedback/realized-metrics.js';
import type { KyselyFeedbackStore } from '../store/feedback-store.js';
import { predictionLogFiles } from '../windows/prediction-log-layout.js';
import { SERVING_LOG_LAYOUT } from '../windows/serving-log-layout.js';

export interface CanaryCriteria {
  /** Rows each side needs before anything is judged (20). */
  minRows: number;
  /** The candidate's p99 may exceed the primary's by this factor... (2) */
  latencyRatio: number;
  /** ...and by at least this many milliseconds before it counts (25; GC pauses are noise). */
  latencySlackMs: number;
  /** Roll back when the candidate's predictions drift from the primary's (true)... */
  predictionDrift: boolean;
  /** ...by this normed Wasserstein distance or more (0.3: a step sees a few hundred rows, where
   * two samples of one model already lie 0.1 apart). */
  predictionDistance: number;
  /** Labelled rows each side needs for realized performance to count (20). */
  minLabelled: number;
  /** How much worse the candidate's error may be (RMSE, logloss), as a fraction (0.1)... */
  errorTolerance: number;
  /**
   * ...and only when its per-row loss is worse with this significance (a one-sided Welch test
   * of squared error or logloss per row; 0.01): two models on different rows differ by chance.
   */
  errorSignificance: number;
  task: 'regression' | 'classification';
}

export const DEFAULT_CANARY_CRITERIA: CanaryCriteria = {
  minRows: 20,
  latencyRatio: 2,
  latencySlackMs: 25,
  predictionDrift: true,
  predictionDistance: 0.3,
  minLabelled: 20,
  errorTolerance: 0.1,
  errorSignificance: 0.01,
  task: 'regression',
};

export interface SideEvidence {
  rows: number;
  p99LatencyMs?: number;
  labelledRows: number;
  realized: Record<string, number>;
}

export interface CanaryEvidence {
  since: number;
  until: number;
  primary: SideEvidence;
  candidate: SideEvidence;
  predictionDrift?: { test: string; score: number; threshold: number; drifted: boolean };
  /** One-sided p-value that the candidate's per-row loss is higher than the primary's. */
  errorPValue?: number;
  /** Each check that failed, in words. */
  failures: string[];
  /** Why nothing could be judged (too few rows). */
  inconclusive?: string;
}

export interface CanaryVerdict {
  decision: RolloutDecision;
  inconclusive: boolean;
  evidence: CanaryEvidence;
}

async function cut(session: SqlSession, files: string[], where: string, out: string) {
  const source = `read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true, hive_partitioning = false)`;
  await session.run(
    `copy (select * from ${source} where ${where}) to ${sqlString(out)} (format parquet)`,
  );
}

/** Compares candidate with primary over the log since `since`; decides continue or rollback. */
export async function analyzeCanary(
  deps: { artifactRoot: string; feedback: KyselyFeedbackStore },
  deployment: string,
  since: number,
  until: number,
  criteria: CanaryCriteria = DEFAULT_CANARY_CRITERIA,
): Promise<CanaryVerdict> {
  const dir = await mkdtemp(join(tmpdir(), 'gyre-canary-'));
  try {
    return await withSqlSession(async (session) => {
      const globs = predictionLogFiles(deps.artifactRoot, deployment, SERVING_LOG_LAYOUT);
      const files = (
        await session.all(`select file from glob([${globs.map(sqlString).join(', ')}])`)
      ).map((r) => String(r.file));
      const evidence: CanaryEvidence = {
        since,
        until,
        primary: { rows: 0, labelledRows: 0, realized: {} },
        candidate: { rows: 0, labelledRows: 0, realized: {} },
        failures: [],
      };
      const side = {
        primary: join(dir, 'primary.parquet'),
        candidate: join(dir, 'candidate.parquet'),
      };
      if (files.length > 0) {
        const range = `epoch_ms(ts) >= ${since} and epoch_ms(ts) <= ${until}`;
        await cut(session, files, `${range} and role = 'primary'`, side.primary);
        await cut(session, files, `${range} and role = 'candidate'`, side.candidate);
        for (const role of ['primary', 'candidate'] as const) {
          const [row] = await session.all(
            `select count(*) as n, quantile_cont(latency_ms, 0.99) as p99 from read_parquet(${sqlString(side[role])})`,
          );
          evidence[role].rows = Number(row.n ?? 0);
          if (typeof row.p99 === 'number') evidence[role].p99LatencyMs = row.p99;
        }
      }
      const { primary, candidate } = evidence;
      if (primary.rows < criteria.minRows || candidate.rows < criteria.minRows) {
        evidence.inconclusive = `needs ${criteria.minRows} predictions from each side; primary has ${primary.rows}, candidate ${candidate.rows}`;
        return { decision: 'continue', inconclusive: true, evidence };
      }
      if (
        primary.p99LatencyMs !== undefined &&
        candidate.p99LatencyMs !== undefined &&
        candidate.p99LatencyMs >
          Math.max(
            primary.p99LatencyMs * criteria.latencyRatio,
            primary.p99LatencyMs + criteria.latencySlackMs,
          )
      )
        evidence.failures.push(
          `p99 latency ${candidate.p99LatencyMs.toFixed(2)} ms vs the primary's ${primary.p99LatencyMs.toFixed(2)} ms`,
        );

      const reference = await referenceFromParquet(session, { files: [side.primary] }, [
        { name: 'prediction', kind: 'numeric' },
      ]);
      // A distance, not a p-value: two good models differ a little, and with enough rows any
      // difference is significant; what matters is how far apart they answer.
      const drift = await computeWindowDrift(
        session,
        reference,
        { files: [side.candidate] },
        {
          columns: { prediction: { test: 'wasserstein', threshold: criteria.predictionDistance } },
        },
      );
      const test = drift.drift.columns[0];
      if (test) {
        evidence.predictionDrift = {
          test: test.test,
          score: test.score,
          threshold: test.threshold,
          drifted: test.drifted,
        };
        if (test.drifted && criteria.predictionDrift)
          evidence.failures.push(
            `the candidate's predictions drifted from the primary's (${test.test} ${test.score.toFixed(3)}, threshold ${test.threshold})`,
          );
      }

      const losses = { primary: [] as number[], candidate: [] as number[] };
      for (const role of ['primary', 'candidate'] as const) {
        const joined = await joinLabels(session, deps.feedback, deployment, side[role], since, dir);
        losses[role] = joined.map((r) => rowLoss(criteria.task, r.label, r.prediction));
        evidence[role].labelledRows = joined.length;
        evidence[role].realized = realizedMetrics(
          criteria.task,
          Float64Array.from(joined, (r) => r.label),
          Float64Array.from(joined, (r) => r.prediction),
        );
      }
      if (
        primary.labelledRows >= criteria.minLabelled &&
        candidate.labelledRows >= criteria.minLabelled
      ) {
        const metric = criteria.task === 'regression' ? 'rmse' : 'logloss';
        const p = primary.realized[metric];
        const c = candidate.realized[metric];
        const pValue = worsePValue(losses.candidate, losses.primary);
        evidence.errorPValue = pValue;
        if (
          p !== undefined &&
          c !== undefined &&
          c > p * (1 + criteria.errorTolerance) &&
          pValue < criteria.errorSignificance
        )
          evidence.failures.push(
            `realized ${metric} ${c.toFixed(4)} vs the primary's ${p.toFixed(4)} (p = ${pValue.toExponential(2)})`,
          );
      }
      return {
        decision: evidence.failures.length > 0 ? 'rollback' : 'continue',
        inconclusive: false,
        evidence,
      };
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Squared error for a regressor, logloss for a classifier: per row, for the Welch test. */
function rowLoss(task: CanaryCriteria['task'], y: number, p: number): number {
  if (task === 'regression') return (y - p) ** 2;
  const q = Math.min(Math.max(p, 1e-15), 1 - 1e-15);
  return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf; error < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * One-sided p-value that mean(a) > mean(b): Welch's statistic with a normal tail, sound for
 * the dozens of rows each side needs before it is asked.
 */
export function worsePValue(a: number[], b: number[]): number {
  const stats = (xs: number[]) => {
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(xs.length - 1, 1);
    return { mean, variance, n: xs.length };
  };
  const x = stats(a);
  const y = stats(b);
  const se = Math.sqrt(x.variance / x.n + y.variance / y.n);
  if (!(se > 0)) return x.mean > y.mean ? 0 : 1;
  return 1 - normalCdf((x.mean - y.mean) / se);
}

/** The RolloutAnalysis hook serving's runRollout calls: the canary analysis since the step began. */
export function canaryRolloutAnalysis(
  deps: { artifactRoot: string; feedback: KyselyFeedbackStore; now: () => number },
  stepStart: (context: RolloutStepContext) => Promise<number>,
  criteria?: CanaryCriteria,
  record?: (context: RolloutStepContext, verdict: CanaryVerdict) => Promise<void>,
): RolloutAnalysis {
  return async (context) => {
    const verdict = await analyzeCanary(
      deps,
      context.deployment,
      await stepStart(context),
      deps.now(),
      criteria,
    );
    await record?.(context, verdict);
    return verdict.decision;
  };
}
