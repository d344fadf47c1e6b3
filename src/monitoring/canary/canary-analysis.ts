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
  /** The candidate's p99 may exceed the primary's by this factor... (1.5) */
  latencyRatio: number;
  /** ...and by at least this many milliseconds before it counts (5). */
  latencySlackMs: number;
  /** Roll back when the candidate's predictions drift from the primary's (true). */
  predictionDrift: boolean;
  /** Labelled rows each side needs for realized performance to count (20). */
  minLabelled: number;
  /** How much worse the candidate's error may be (RMSE, logloss), as a fraction (0.1). */
  errorTolerance: number;
  task: 'regression' | 'classification';
}

export const DEFAULT_CANARY_CRITERIA: CanaryCriteria = {
  minRows: 20,
  latencyRatio: 1.5,
  latencySlackMs: 5,
  predictionDrift: true,
  minLabelled: 20,
  errorTolerance: 0.1,
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
      const drift = await computeWindowDrift(session, reference, { files: [side.candidate] });
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

      for (const role of ['primary', 'candidate'] as const) {
        const joined = await joinLabels(session, deps.feedback, deployment, side[role], since, dir);
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
        if (p !== undefined && c !== undefined && c > p * (1 + criteria.errorTolerance))
          evidence.failures.push(
            `realized ${metric} ${c.toFixed(4)} vs the primary's ${p.toFixed(4)}`,
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
