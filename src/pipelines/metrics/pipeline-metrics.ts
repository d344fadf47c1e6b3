// Pipeline run counts and durations for /metrics, read from the runs table when Prometheus
// scrapes. The table is the truth across processes: a run started by `gyre run` in a CLI
// process, or by another replica, counts the same as one this server supervised.
import type { Registry } from 'prom-client';
import type { Logger } from '../../core/index.js';
import type { PipelineStore, RunStatusStatistics } from '../store/pipeline-store.js';
import { FINISHED_RUN, type RunStatus } from '../types.js';

/** Upper bounds (seconds) of the run-duration histogram: from a cached run to a long training. */
export const PIPELINE_DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600];

/** Finished runs that never change status again; `interrupted` may be resumed, so it is a gauge. */
const COUNTED: readonly RunStatus[] = FINISHED_RUN.filter((s) => s !== 'interrupted');

type Labels = Record<string, string>;
interface Value {
  value: number;
  labels: Labels;
  metricName?: string;
}

/** The shape prom-client's registry reads from a metric (name, help, type and get()). */
class ScrapedMetric {
  readonly aggregator = 'sum' as const;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
    registry: Registry,
    private readonly values: () => Promise<Value[]>,
  ) {
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  async get() {
    const { name, help, type, aggregator } = this;
    return { name, help, type, aggregator, values: await this.values() };
  }
}

/**
 * Registers `gyre_pipeline_runs_total` (finished runs by pipeline and status: succeeded,
 * failed, cancelled), `gyre_pipeline_runs_unfinished` (queued, running, interrupted),
 * `gyre_pipeline_run_duration_seconds` (a histogram of finished runs) and
 * `gyre_pipeline_last_success_timestamp_seconds`. Label values: pipeline names and the run
 * statuses. Runs deleted by retention leave the counts, as after a counter reset.
 */
export function registerPipelineMetrics(
  registry: Registry,
  store: Pick<PipelineStore, 'runStatistics'>,
  logger?: Logger,
): void {
  const boundsMs = PIPELINE_DURATION_BUCKETS.map((s) => s * 1000);
  let inFlight: Promise<RunStatusStatistics[]> | undefined;
  const read = (): Promise<RunStatusStatistics[]> => {
    inFlight ??= store
      .runStatistics(boundsMs)
      .catch((error: unknown) => {
        logger?.warn({ err: error }, 'pipeline run statistics for /metrics failed');
        return [];
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
  const labelsOf = (s: RunStatusStatistics) => ({ pipeline: s.pipelineName, status: s.status });

  new ScrapedMetric(
    'gyre_pipeline_runs_total',
    'Finished pipeline runs by pipeline and status (succeeded, failed, cancelled).',
    'counter',
    registry,
    async () =>
      (await read())
        .filter((s) => COUNTED.includes(s.status))
        .map((s) => ({ labels: labelsOf(s), value: s.runs })),
  );
  new ScrapedMetric(
    'gyre_pipeline_runs_unfinished',
    'Pipeline runs queued, running or interrupted (resumable), by pipeline and status.',
    'gauge',
    registry,
    async () =>
      (await read())
        .filter((s) => !COUNTED.includes(s.status))
        .map((s) => ({ labels: labelsOf(s), value: s.runs })),
  );
  new ScrapedMetric(
    'gyre_pipeline_run_duration_seconds',
    'From start to finish of finished pipeline runs, by pipeline and status.',
    'histogram',
    registry,
    async () => (await read()).filter((s) => COUNTED.includes(s.status)).flatMap(histogramValues),
  );
  new ScrapedMetric(
    'gyre_pipeline_last_success_timestamp_seconds',
    'When the latest successful run of each pipeline finished (Unix seconds).',
    'gauge',
    registry,
    async () =>
      (await read())
        .filter((s) => s.status === 'succeeded' && s.lastFinishedAt !== undefined)
        .map((s) => ({ labels: { pipeline: s.pipelineName }, value: s.lastFinishedAt! / 1000 })),
  );
}

function histogramValues(s: RunStatusStatistics): Value[] {
  const labels = { pipeline: s.pipelineName, status: s.status };
  const name = 'gyre_pipeline_run_duration_seconds';
  return [
    ...PIPELINE_DURATION_BUCKETS.map((le, i) => ({
      metricName: `${name}_bucket`,
      labels: { ...labels, le: String(le) },
      value: s.durationBucketCounts[i],
    })),
    { metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: s.timedRuns },
    { metricName: `${name}_sum`, labels, value: s.durationSumMs / 1000 },
    { metricName: `${name}_count`, labels, value: s.timedRuns },
  ];
}
