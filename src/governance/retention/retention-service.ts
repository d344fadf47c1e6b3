import type { ArtifactStore } from '../../artifacts/index.js';
import type { AuditLog } from '../../auth/index.js';
import { InvalidArgumentError, type Clock, type Logger } from '../../core/index.js';
import type { DataServices, DatasetVersion } from '../../data/index.js';
import type { RegistryService } from '../../registry/index.js';
import type { TrackingService } from '../../tracking/index.js';
import { deleteStepLog, stepLogsBefore, type PipelineUsageDb } from '../store/pipeline-tables.js';
import { overlapsProtected, protectedSet, type ProtectedSetDeps } from './protected-set.js';
import {
  RETENTION_KINDS,
  type RetentionItem,
  type RetentionKind,
  type RetentionPlan,
  type RetentionPolicy,
  type RetentionResult,
} from './retention-policy.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const LOG_PARTITION = /(?:^|\/)date=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\//;

export interface RetentionServiceDeps extends ProtectedSetDeps {
  artifacts: ArtifactStore;
  tracking: TrackingService;
  registry: RegistryService;
  data: DataServices;
  pipelineDb: PipelineUsageDb;
  audit: AuditLog;
  /** The configured policy; a request may override any field. */
  defaults: RetentionPolicy;
  /** Where prediction logs live in the store. */
  predictionLogPrefix?: string;
  clock: Clock;
  logger: Logger;
}

/**
 * Retention: a dry run lists what each policy would delete and the space it frees, then
 * `apply` deletes exactly that (planned afresh) and records it in the audit log. Whatever a
 * live deployment reaches by lineage — its models, their training runs, the dataset versions
 * upstream of them, monitor references — is never on the list.
 */
export class RetentionService {
  constructor(private readonly deps: RetentionServiceDeps) {}

  policy(overrides: Partial<RetentionPolicy> = {}): RetentionPolicy {
    const policy = { ...this.deps.defaults, ...stripUndefined(overrides) };
    for (const key of [
      'predictionLogDays',
      'stepLogDays',
      'runArtifactDays',
      'datasetVersionDays',
      'datasetKeepLatest',
    ] as const) {
      const v = policy[key];
      if (!Number.isInteger(v) || v < 1)
        throw new InvalidArgumentError(`${key} must be a whole number of 1 or more`, {
          field: key,
        });
    }
    for (const kind of policy.kinds ?? [])
      if (!RETENTION_KINDS.includes(kind))
        throw new InvalidArgumentError(`kind ${kind}: use ${RETENTION_KINDS.join(', ')}`, {
          field: 'kinds',
        });
    return policy;
  }

  /** The dry run: nothing is deleted. */
  async plan(overrides: Partial<RetentionPolicy> = {}): Promise<RetentionPlan> {
    const policy = this.policy(overrides);
    const now = this.deps.clock.now();
    const guard = await protectedSet(this.deps);
    const wanted = new Set(policy.kinds ?? RETENTION_KINDS);
    const items: RetentionItem[] = [];
    const kept: RetentionPlan['keptProtected'] = [];
    if (wanted.has('prediction-log'))
      items.push(...(await this.predictionLogs(now - policy.predictionLogDays * DAY_MS)));
    if (wanted.has('step-log'))
      for (const log of await stepLogsBefore(
        this.deps.pipelineDb,
        now - policy.stepLogDays * DAY_MS,
      ))
        items.push({
          kind: 'step-log',
          target: `${log.runId}/${log.step}`,
          bytes: log.bytes,
          at: now,
        });
    if (wanted.has('run-artifacts'))
      items.push(...(await this.runArtifacts(now - policy.runArtifactDays * DAY_MS, guard, kept)));
    if (wanted.has('dataset-version'))
      items.push(...(await this.datasetVersions(policy, now, guard, kept)));
    const totals = Object.fromEntries(
      RETENTION_KINDS.map((k) => {
        const of = items.filter((i) => i.kind === k);
        return [k, { count: of.length, bytes: of.reduce((s, i) => s + i.bytes, 0) }];
      }),
    ) as RetentionPlan['totals'];
    return {
      policy,
      now,
      items,
      totals,
      protected: {
        models: [...guard.models].sort(),
        runs: [...guard.runs].sort(),
        datasetVersions: [...guard.datasetVersions].sort(),
      },
      keptProtected: kept,
    };
  }

  /** Plans again (so nothing newly protected goes), deletes, and records it in the audit log. */
  async apply(
    overrides: Partial<RetentionPolicy>,
    by: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<RetentionResult> {
    const plan = await this.plan(overrides);
    const failures: RetentionResult['failures'] = [];
    const deleted: RetentionItem[] = [];
    for (const [i, item] of plan.items.entries()) {
      try {
        await this.delete(item);
        deleted.push(item);
      } catch (error) {
        failures.push({ target: item.target, error: (error as Error).message });
        this.deps.logger.warn({ err: error, item }, 'retention could not delete an item');
      }
      onProgress?.(i + 1, plan.items.length);
    }
    for (const kind of RETENTION_KINDS) {
      const of = deleted.filter((d) => d.kind === kind);
      if (of.length === 0) continue;
      await this.deps.audit.append({
        at: this.deps.clock.now(),
        principal: by,
        action: `retention apply ${kind}`,
        target: kind,
        outcome: 'ok',
        summary: {
          deleted: of.length,
          bytes: of.reduce((s, d) => s + d.bytes, 0),
          targets: of.slice(0, 100).map((d) => d.target),
          ...(of.length > 100 ? { moreTargets: of.length - 100 } : {}),
        },
      });
    }
    return {
      ...plan,
      deleted: deleted.length,
      bytesFreed: deleted.reduce((s, d) => s + d.bytes, 0),
      failures,
    };
  }

  private async delete(item: RetentionItem): Promise<void> {
    const { artifacts } = this.deps;
    switch (item.kind) {
      case 'prediction-log':
        return artifacts.delete(item.target);
      case 'step-log': {
        const slash = item.target.indexOf('/');
        return deleteStepLog(
          this.deps.pipelineDb,
          item.target.slice(0, slash),
          item.target.slice(slash + 1),
        );
      }
      case 'run-artifacts':
        for (const entry of await artifacts.list(item.target, { recursive: true }))
          if (!entry.isDir) await artifacts.delete(entry.path);
        return;
      case 'dataset-version': {
        const version = await this.deps.data.datasets.getVersion(item.target);
        return artifacts.delete(version.artifactPath);
      }
    }
  }

  private async predictionLogs(cutoff: number): Promise<RetentionItem[]> {
    const prefix = this.deps.predictionLogPrefix ?? 'prediction-logs';
    const entries = await this.deps.artifacts.list(prefix, { recursive: true }).catch(() => []);
    const items: RetentionItem[] = [];
    for (const entry of entries) {
      const match = LOG_PARTITION.exec(entry.path);
      if (entry.isDir || !match) continue;
      const end = Date.parse(`${match[1]}T${match[2]}:00:00Z`) + HOUR_MS;
      if (end <= cutoff)
        items.push({ kind: 'prediction-log', target: entry.path, bytes: entry.size ?? 0, at: end });
    }
    return items;
  }

  /** Every registered model version's run and model files: never "unregistered". */
  private async registered(): Promise<{ runs: Set<string>; paths: Set<string> }> {
    const runs = new Set<string>();
    const paths = new Set<string>();
    let pageToken: string | undefined;
    do {
      const page = await this.deps.registry.searchVersions({ maxResults: 10_000, pageToken });
      for (const v of page.items) {
        if (v.runId) runs.add(v.runId);
        const resolved = await this.deps.registry
          .resolveModelUri(`models:/${v.name}/${v.version}`)
          .catch(() => undefined);
        if (resolved?.storePath) paths.add(resolved.storePath);
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
    return { runs, paths };
  }

  private async runArtifacts(
    cutoff: number,
    guard: Awaited<ReturnType<typeof protectedSet>>,
    kept: RetentionPlan['keptProtected'],
  ): Promise<RetentionItem[]> {
    const { tracking, artifacts } = this.deps;
    const registered = await this.registered();
    const safePaths = [...guard.paths, ...registered.paths];
    const experiments = await tracking.experiments.list('ALL');
    const items: RetentionItem[] = [];
    let pageToken: string | undefined;
    do {
      const page = await tracking.runs.search({
        experimentIds: experiments.map((e) => e.experimentId),
        maxResults: 1000,
        pageToken,
        viewType: 'ALL',
      });
      for (const run of page.items) {
        const { runId, endTime, status } = run.info;
        if (status === 'RUNNING' || endTime === undefined || endTime >= cutoff) continue;
        if (registered.runs.has(runId)) continue;
        const root = await tracking.runs.artifactRoot(runId);
        if (!root.storePath) continue;
        if (guard.runs.has(runId) || overlapsProtected(root.storePath, safePaths)) {
          kept.push({ kind: 'run-artifacts', target: root.storePath });
          continue;
        }
        const files = (await artifacts.list(root.storePath, { recursive: true })).filter(
          (e) => !e.isDir,
        );
        if (files.length === 0) continue;
        items.push({
          kind: 'run-artifacts',
          target: root.storePath,
          bytes: files.reduce((s, f) => s + (f.size ?? 0), 0),
          at: endTime,
        });
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
    return items;
  }

  private async datasetVersions(
    policy: RetentionPolicy,
    now: number,
    guard: Awaited<ReturnType<typeof protectedSet>>,
    kept: RetentionPlan['keptProtected'],
  ): Promise<RetentionItem[]> {
    const { data } = this.deps;
    const cutoff = now - policy.datasetVersionDays * DAY_MS;
    // Versions upstream of any registered model are kept, served or not.
    const usedByModels = new Set<string>();
    let pageToken: string | undefined;
    do {
      const page = await this.deps.registry.searchVersions({ maxResults: 10_000, pageToken });
      for (const v of page.items) {
        const graph = await data.lineage.graph('model_version', `${v.name}@${v.version}`, 'up');
        for (const n of graph.nodes) if (n.kind === 'dataset') usedByModels.add(n.label);
      }
      pageToken = page.nextPageToken;
    } while (pageToken);

    const candidates: DatasetVersion[] = [];
    const keptPaths = new Set<string>(guard.paths);
    for (const dataset of await data.datasets.listDatasets()) {
      const versions = (await data.datasets.listVersions(dataset.name)).sort(
        (a, b) => b.version - a.version,
      );
      versions.forEach((v, i) => {
        const ref = `${v.datasetName}@${v.version}`;
        const old = i >= policy.datasetKeepLatest && v.createdAt < cutoff;
        if (old && guard.datasetVersions.has(ref))
          kept.push({ kind: 'dataset-version', target: ref });
        if (old && !guard.datasetVersions.has(ref) && !usedByModels.has(ref)) candidates.push(v);
        else if (v.artifactPath) keptPaths.add(v.artifactPath);
      });
    }
    // Content is stored once per digest: a file a kept version shares stays.
    const seen = new Set<string>();
    const left: DatasetVersion[] = [];
    for (const v of candidates) {
      if (!v.artifactPath || keptPaths.has(v.artifactPath) || seen.has(v.artifactPath)) continue;
      seen.add(v.artifactPath);
      // A version whose content an earlier apply deleted keeps its metadata and lineage.
      if (await this.deps.artifacts.stat(v.artifactPath)) left.push(v);
    }
    return left.map((v) => ({
      kind: 'dataset-version' as const,
      target: `${v.datasetName}@${v.version}`,
      bytes: v.bytes,
      at: v.createdAt,
    }));
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export type { RetentionKind };
