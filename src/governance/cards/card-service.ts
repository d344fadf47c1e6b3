import type { Clock } from '../../core/index.js';
import type { DataServices, DatasetVersion, LineageGraph } from '../../data/index.js';
import type { MonitoringService } from '../../monitoring/index.js';
import type { PipelineService, PipelineRunDetail } from '../../pipelines/index.js';
import type { ModelVersion, RegistryService } from '../../registry/index.js';
import type { DeploymentService } from '../../serving/index.js';
import type { TrackingService } from '../../tracking/index.js';
import type { CardFieldPatch, KyselyCardFieldStore } from '../store/card-field-store.js';
import type {
  CardColumn,
  CardDataset,
  CardDeployment,
  CardGate,
  CardModelValidation,
  CardMonitor,
  ModelCard,
} from './model-card.js';

export interface CardServiceDeps {
  registry: RegistryService;
  tracking: TrackingService;
  data: DataServices;
  pipelines: PipelineService;
  deployments: DeploymentService;
  monitoring: MonitoringService;
  fields: KyselyCardFieldStore;
  /** Column → PII kind for a dataset name (data's tags); none when absent. */
  piiColumns?: (dataset: string) => Promise<Record<string, string>>;
  clock: Clock;
}

type StepOutputs = NonNullable<PipelineRunDetail['steps'][number]['outputs']>;
const outputValue = (outputs: StepOutputs | undefined, key: string) => outputs?.[key]?.value;
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/**
 * Builds model cards from what the other domains recorded: the registry's version and its
 * lineage snapshot, the pipeline run that made it (gates, approvals, validation suites), the
 * datasets it was trained on with their profiles and reports, deployments and monitors.
 * Only intended use, owner and limitations are stored here; the rest is read fresh each time.
 */
export class CardService {
  constructor(private readonly deps: CardServiceDeps) {}

  async card(name: string, version: string | number): Promise<ModelCard> {
    const { registry } = this.deps;
    const mv = await registry.getVersion(name, version);
    const lineage = await this.deps.data.lineage.graph(
      'model_version',
      `${mv.name}@${mv.version}`,
      'up',
    );
    const run = await this.pipelineRun(mv);
    const training = await this.training(mv, run, lineage);
    const metrics: Record<string, number> = {};
    for (const m of mv.lineage?.metrics ?? []) metrics[m.key] = m.value;
    const uses = await this.stepUses(run);
    for (const step of run?.steps ?? [])
      if (uses.get(step.step) === 'ml/evaluate') {
        const values = outputValue(step.outputs, 'metrics');
        if (values && typeof values === 'object')
          for (const [k, v] of Object.entries(values)) if (typeof v === 'number') metrics[k] = v;
      }
    return {
      name: mv.name,
      version: mv.version,
      ...(mv.description ? { description: mv.description } : {}),
      stage: mv.stage,
      aliases: mv.aliases,
      tags: mv.tags,
      createdAt: mv.createdAt,
      source: mv.source,
      fields: await this.deps.fields.get(mv.name, mv.version),
      training,
      metrics,
      modelValidation: this.modelValidation(run, uses),
      gates: this.gates(run, uses),
      deployments: await this.deploymentsOf(mv),
      monitoring: await this.monitorsOf(mv),
      lineage: {
        nodes: lineage.nodes.map((n) => ({ id: n.id, kind: n.kind, label: n.label })),
        edges: lineage.edges,
      },
      generatedAt: this.deps.clock.now(),
    };
  }

  /** Changes the editable fields, recording who did it; returns the card as it is now. */
  async patchFields(
    name: string,
    version: string | number,
    patch: CardFieldPatch,
    by: string,
  ): Promise<ModelCard> {
    const mv = await this.deps.registry.getVersion(name, version);
    await this.deps.fields.patch(mv.name, mv.version, patch, by, this.deps.clock.now());
    return this.card(mv.name, mv.version);
  }

  private async pipelineRun(mv: ModelVersion): Promise<PipelineRunDetail | undefined> {
    const id = mv.tags['gyre.pipeline.run'];
    return id ? this.deps.pipelines.getRun(id).catch(() => undefined) : undefined;
  }

  /** Step name → the built-in it uses, from the pipeline version the run ran. */
  private async stepUses(run: PipelineRunDetail | undefined): Promise<Map<string, string>> {
    if (!run) return new Map();
    const version = await this.deps.pipelines
      .getVersion(run.pipelineName, run.pipelineVersion)
      .catch(() => undefined);
    return new Map(
      Object.entries(version?.spec.steps ?? {}).flatMap(([k, s]) => (s.uses ? [[k, s.uses]] : [])),
    );
  }

  private async training(
    mv: ModelVersion,
    run: PipelineRunDetail | undefined,
    lineage: LineageGraph,
  ): Promise<ModelCard['training']> {
    const params: Record<string, string> = {};
    if (mv.runId) {
      const tracked = await this.deps.tracking.runs.get(mv.runId).catch(() => undefined);
      for (const p of tracked?.params ?? []) params[p.key] = p.value;
    }
    const contexts = new Map((mv.lineage?.datasets ?? []).map((d) => [d.digest, d.context]));
    const runNode = mv.runId ? `run:${mv.runId}` : undefined;
    const direct = new Set(lineage.edges.filter((e) => e.to === runNode).map((e) => e.from));
    // A PII tag on a source covers what was split or derived from it.
    const pii: Record<string, string> = {};
    const names = new Set(
      lineage.nodes.filter((n) => n.kind === 'dataset').map((n) => n.label.split('@')[0]),
    );
    for (const name of names) Object.assign(pii, (await this.deps.piiColumns?.(name)) ?? {});
    const datasets: CardDataset[] = [];
    for (const node of lineage.nodes) {
      if (node.kind !== 'dataset') continue;
      const version = await this.deps.data.datasets.getVersion(node.label).catch(() => undefined);
      if (version) datasets.push(await this.dataset(version, direct.has(node.id), contexts, pii));
    }
    return {
      ...(mv.runId ? { runId: mv.runId } : {}),
      ...(run
        ? {
            pipelineRun: {
              id: run.id,
              pipeline: run.pipelineName,
              version: run.pipelineVersion,
              status: run.status,
              trigger: run.trigger.kind,
            },
          }
        : {}),
      params,
      datasets,
    };
  }

  private async dataset(
    version: DatasetVersion,
    direct: boolean,
    contexts: Map<string, string | undefined>,
    pii: Record<string, string>,
  ): Promise<CardDataset> {
    const ref = `${version.datasetName}@${version.version}`;
    const profile = await this.deps.data.datasets.getProfile(ref).catch(() => undefined);
    const columns: CardColumn[] = (profile?.columns ?? []).map((c) => ({
      name: c.name,
      logicalType: c.logicalType,
      nullFraction: c.nullFraction,
      ...(c.distinct !== undefined ? { distinct: c.distinct } : {}),
      ...(c.mean !== undefined ? { mean: c.mean } : {}),
      ...(c.std !== undefined ? { std: c.std } : {}),
      ...(typeof c.min === 'number' && !pii[c.name] ? { min: c.min } : {}),
      ...(typeof c.max === 'number' && !pii[c.name] ? { max: c.max } : {}),
      ...(pii[c.name] ? { pii: pii[c.name] } : {}),
    }));
    const reports = await this.deps.data.datasets.listReports(ref).catch(() => []);
    const context = contexts.get(version.digest);
    return {
      ref,
      digest: version.digest,
      rowCount: version.rowCount,
      ...(context ? { context } : {}),
      direct,
      columns,
      validation: reports.map((r) => ({
        id: r.id,
        ...(r.suiteName ? { suite: r.suiteName } : {}),
        passed: r.passed,
        errors: r.errors,
        warnings: r.warnings,
        createdAt: r.createdAt,
      })),
    };
  }

  private gates(run: PipelineRunDetail | undefined, uses: Map<string, string>): CardGate[] {
    return (run?.steps ?? [])
      .filter((s) => uses.get(s.step) === 'registry/gate' || uses.get(s.step) === 'util/approval')
      .map((s) => {
        const candidate = num(outputValue(s.outputs, 'candidate_score'));
        const champion = num(outputValue(s.outputs, 'champion_score'));
        const championVersion = outputValue(s.outputs, 'champion_version');
        return {
          step: s.step,
          status: s.status,
          passed: s.status === 'succeeded' || s.status === 'cached',
          ...(candidate !== undefined ? { candidateScore: candidate } : {}),
          ...(champion !== undefined ? { championScore: champion } : {}),
          ...(typeof championVersion === 'string' ? { championVersion } : {}),
          ...(s.error ? { error: s.error } : {}),
          ...(s.approvedBy ? { approvedBy: s.approvedBy, approvedAt: s.approvedAt } : {}),
        };
      });
  }

  private modelValidation(
    run: PipelineRunDetail | undefined,
    uses: Map<string, string>,
  ): CardModelValidation[] {
    return (run?.steps ?? [])
      .filter((s) => uses.get(s.step) === 'ml/validate-model')
      .map((s) => {
        const report = outputValue(s.outputs, 'report_json') as
          | { passed?: boolean; failures?: string[]; slices?: CardModelValidation['slices'] }
          | undefined;
        return {
          step: s.step,
          status: s.status,
          passed: report?.passed ?? s.status === 'succeeded',
          failures: report?.failures ?? (s.error ? [s.error] : []),
          slices: report?.slices ?? [],
        };
      });
  }

  private async deploymentsOf(mv: ModelVersion): Promise<CardDeployment[]> {
    const key = `${mv.name}/${mv.version}`;
    const out: CardDeployment[] = [];
    for (const deployment of await this.deps.deployments.list()) {
      const history = await this.deps.deployments.history(deployment.name);
      const revisions = history.flatMap((rev) =>
        rev.routes
          .filter((r) => r.key === key)
          .map((r) => ({
            revision: rev.revision,
            action: rev.action,
            role: r.role,
            weight: r.weight,
            createdBy: rev.createdBy,
            ...(rev.reason ? { reason: rev.reason } : {}),
            createdAt: rev.createdAt,
          })),
      );
      if (revisions.length === 0) continue;
      const live = deployment.current.routes.some((r) => r.key === key);
      out.push({ name: deployment.name, live, revisions });
    }
    return out;
  }

  private async monitorsOf(mv: ModelVersion): Promise<CardMonitor[]> {
    const deployments = await this.deploymentsOf(mv);
    const out: CardMonitor[] = [];
    for (const d of deployments) {
      const alerts = await this.deps.monitoring.listAlerts({ deployment: d.name });
      for (const m of await this.deps.monitoring.listMonitors(d.name)) {
        out.push({
          monitor: m.name,
          deployment: d.name,
          ...(m.latest
            ? {
                lastWindowEnd: m.latest.windowEnd,
                driftShare: m.latest.driftShare,
                datasetDrift: m.latest.datasetDrift,
              }
            : {}),
          openAlerts: alerts
            .filter((a) => a.monitor === m.name && a.state !== 'resolved')
            .map((a) => ({ rule: a.rule, severity: a.severity, state: a.state, since: a.since })),
        });
      }
    }
    return out;
  }
}
