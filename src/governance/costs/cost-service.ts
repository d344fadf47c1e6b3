import type { ArtifactStore } from '../../artifacts/index.js';
import { InvalidArgumentError, type Clock } from '../../core/index.js';
import { withSqlSession } from '../../data/index.js';
import { measureResourceUse } from '../../monitoring/index.js';
import type { RegistryService } from '../../registry/index.js';
import type { DeploymentService } from '../../serving/index.js';
import type { TrackingService } from '../../tracking/index.js';
import type { PipelineUsageDb } from '../store/pipeline-tables.js';
import {
  COST_DIMENSIONS,
  type CostDimension,
  type CostGroup,
  type CostReport,
  type RateCard,
  type ServingUsage,
  type StepUsage,
} from './cost-report.js';

export interface CostServiceDeps {
  pipelineDb: PipelineUsageDb;
  tracking: TrackingService;
  registry: RegistryService;
  deployments: DeploymentService;
  artifacts: ArtifactStore;
  rates: RateCard;
  clock: Clock;
}

const HOUR_S = 3600;
const GIB = 1024 ** 3;
const UNTAGGED = '(untagged)';
const NONE = '(none)';

/** `30d`, `12h`, `90m` or an ISO date → epoch ms (durations count back from `now`). */
export function parseSince(text: string, now: number): number {
  const m = /^(\d+)([dhm])$/.exec(text.trim());
  if (m) return now - Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd'];
  const t = Date.parse(text);
  if (Number.isNaN(t))
    throw new InvalidArgumentError(`since "${text}": use a duration (30d, 12h) or an ISO date`, {
      field: 'since',
    });
  return t;
}

/**
 * Chargeback: the resource use Gyre recorded — every pipeline step's CPU seconds, peak memory
 * and wall time, every deployment's serving CPU (from the prediction log's usage records) —
 * priced by the rate card and grouped by team, model, experiment or pipeline. A run's team is
 * the `team` tag of its tracking run or of its pipeline's experiment; a deployment's is the
 * `team` tag of the registered model it serves.
 */
export class CostService {
  constructor(private readonly deps: CostServiceDeps) {}

  async report(options: { by?: string; since?: number; until?: number }): Promise<CostReport> {
    const by = (options.by ?? 'team') as CostDimension;
    if (!COST_DIMENSIONS.includes(by))
      throw new InvalidArgumentError(`by "${options.by}": use ${COST_DIMENSIONS.join(', ')}`, {
        field: 'by',
      });
    const until = options.until ?? this.deps.clock.now();
    const since = options.since ?? until - 30 * 86_400_000;
    if (since > until)
      throw new InvalidArgumentError('since must be before until', { field: 'since' });
    const steps = await this.stepUsage(since, until);
    const notes: string[] = [];
    const serving = await this.servingUsage(since, until, notes);
    const groups = new Map<string, CostGroup & { runIds: Set<string> }>();
    const group = (key: string) => {
      let g = groups.get(key);
      if (!g)
        groups.set(
          key,
          (g = {
            key,
            runs: 0,
            steps: 0,
            predictions: 0,
            cpuSeconds: 0,
            wallSeconds: 0,
            gibHours: 0,
            pipelineUsd: 0,
            servingUsd: 0,
            totalUsd: 0,
            runIds: new Set(),
          }),
        );
      return g;
    };
    for (const s of steps) {
      const g = group(s[by]);
      g.runIds.add(s.runId);
      g.steps++;
      g.cpuSeconds += s.cpuSeconds;
      g.wallSeconds += s.wallSeconds;
      g.gibHours += s.gibHours;
      g.pipelineUsd += s.costUsd;
    }
    for (const s of serving) {
      const key = by === 'team' ? s.team : by === 'model' ? s.model : NONE;
      const g = group(key);
      g.predictions += s.predictions;
      g.cpuSeconds += s.cpuSeconds;
      g.servingUsd += s.costUsd;
    }
    const rows = [...groups.values()].map(({ runIds, ...g }) => ({
      ...g,
      runs: runIds.size,
      totalUsd: g.pipelineUsd + g.servingUsd,
    }));
    rows.sort((a, b) => b.totalUsd - a.totalUsd || a.key.localeCompare(b.key));
    const totals = rows.reduce(
      (t, g) => ({
        runs: t.runs + g.runs,
        steps: t.steps + g.steps,
        predictions: t.predictions + g.predictions,
        cpuSeconds: t.cpuSeconds + g.cpuSeconds,
        wallSeconds: t.wallSeconds + g.wallSeconds,
        gibHours: t.gibHours + g.gibHours,
        pipelineUsd: t.pipelineUsd + g.pipelineUsd,
        servingUsd: t.servingUsd + g.servingUsd,
        totalUsd: t.totalUsd + g.totalUsd,
      }),
      {
        runs: 0,
        steps: 0,
        predictions: 0,
        cpuSeconds: 0,
        wallSeconds: 0,
        gibHours: 0,
        pipelineUsd: 0,
        servingUsd: 0,
        totalUsd: 0,
      },
    );
    totals.runs = new Set(steps.map((s) => s.runId)).size;
    return {
      by,
      since,
      until,
      rates: this.deps.rates,
      groups: rows,
      totals,
      steps,
      serving,
      notes,
    };
  }

  /** Every finished step with recorded usage in the range, attributed and priced. */
  private async stepUsage(since: number, until: number): Promise<StepUsage[]> {
    const rows = await this.deps.pipelineDb
      .selectFrom('pipeline_steps as s')
      .innerJoin('pipeline_runs as r', 'r.id', 's.run_id')
      .select([
        's.run_id',
        's.step',
        's.finished_at',
        's.wall_ms',
        's.cpu_ms',
        's.peak_rss_bytes',
        'r.pipeline_name',
        'r.tracking_run_id',
      ])
      .where('s.finished_at', '>=', since)
      .where('s.finished_at', '<=', until)
      .where((eb) => eb.or([eb('s.cpu_ms', 'is not', null), eb('s.wall_ms', 'is not', null)]))
      .orderBy('s.finished_at')
      .execute();
    const models = await this.modelsByRun();
    const teams = new Map<string, string>();
    const teamOf = async (runId: string, pipeline: string, trackingRunId: string | null) => {
      const cached = teams.get(runId);
      if (cached) return cached;
      let team: string | undefined;
      if (trackingRunId) {
        const run = await this.deps.tracking.runs.get(trackingRunId).catch(() => undefined);
        team = run?.tags.find((t) => t.key === 'team')?.value;
      }
      if (!team) {
        const experiment = await this.deps.tracking.experiments
          .getByName(`pipelines/${pipeline}`)
          .catch(() => undefined);
        team = experiment?.tags.team;
      }
      teams.set(runId, team ?? UNTAGGED);
      return team ?? UNTAGGED;
    };
    const { cpuHourUsd, memoryGibHourUsd } = this.deps.rates;
    const out: StepUsage[] = [];
    for (const r of rows) {
      const cpuSeconds = Number(r.cpu_ms ?? 0) / 1000;
      const wallSeconds = Number(r.wall_ms ?? 0) / 1000;
      const peakRssBytes = Number(r.peak_rss_bytes ?? 0);
      const gibHours = (peakRssBytes / GIB) * (wallSeconds / HOUR_S);
      out.push({
        runId: r.run_id,
        pipeline: r.pipeline_name,
        step: r.step,
        finishedAt: Number(r.finished_at),
        cpuSeconds,
        wallSeconds,
        peakRssBytes,
        gibHours,
        team: await teamOf(r.run_id, r.pipeline_name, r.tracking_run_id),
        model: models.get(r.run_id) ?? NONE,
        experiment: `pipelines/${r.pipeline_name}`,
        costUsd: (cpuSeconds / HOUR_S) * cpuHourUsd + gibHours * memoryGibHourUsd,
      });
    }
    return out;
  }

  /** Pipeline run → the registered model it produced (`gyre.pipeline.run` version tags). */
  private async modelsByRun(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let pageToken: string | undefined;
    do {
      const page = await this.deps.registry.searchVersions({ maxResults: 10_000, pageToken });
      for (const v of page.items) {
        const run = v.tags['gyre.pipeline.run'];
        if (run && !out.has(run)) out.set(run, v.name);
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
    return out;
  }

  private async servingUsage(
    since: number,
    until: number,
    notes: string[],
  ): Promise<ServingUsage[]> {
    const root = localRoot(this.deps.artifacts.rootUri);
    if (!root) {
      notes.push('serving CPU is read from a local artifact root only; this store is remote');
      return [];
    }
    const deployments = await this.deps.deployments.list();
    if (deployments.length === 0) return [];
    const out: ServingUsage[] = [];
    await withSqlSession(async (session) => {
      for (const d of deployments) {
        const use = await measureResourceUse(
          session,
          root,
          d.name,
          { start: since, end: until },
          this.deps.rates.servingCpuHourUsd,
        );
        if (!use) continue;
        const primary = d.current.routes.find((r) => r.role === 'primary');
        const model = primary?.name ?? NONE;
        const tags =
          primary?.name !== undefined
            ? (await this.deps.registry.getModel(primary.name).catch(() => undefined))?.tags
            : undefined;
        const cpuSeconds = (use.cpuSecondsPer1k * use.predictions) / 1000;
        out.push({
          deployment: d.name,
          model,
          team: tags?.team ?? UNTAGGED,
          predictions: use.predictions,
          cpuSeconds,
          cpuSecondsPer1k: use.cpuSecondsPer1k,
          costUsd: (cpuSeconds / HOUR_S) * this.deps.rates.servingCpuHourUsd,
        });
      }
    });
    return out;
  }
}

function localRoot(uri: string): string | undefined {
  if (uri.startsWith('file://')) return new URL(uri).pathname;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? undefined : uri;
}
