import { InvalidArgumentError, NotFoundError } from '../../core/index.js';
import type { DatasetService } from '../dataset-service.js';
import { formatRef } from '../refs.js';
import type { TransformRecord } from '../store.js';
import type { DatasetVersion } from '../types.js';
import type { LineageLinks } from './lineage-links.js';

export const LINEAGE_KINDS = ['dataset', 'transform', 'run', 'model_version'] as const;
export type LineageKind = (typeof LINEAGE_KINDS)[number];
export type LineageDirection = 'up' | 'down';

export interface LineageNode {
  /** `<kind>:<id>`, e.g. `dataset:housing@2`, `run:9f…`, `model_version:price@3`. */
  id: string;
  kind: LineageKind;
  label: string;
  data: Record<string, unknown>;
}

/** Edges point the way data flows: source → transform → derived version → run → model. */
export interface LineageEdge {
  from: string;
  to: string;
}

export interface LineageGraph {
  root: string;
  direction: LineageDirection;
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** True when the walk stopped at the node limit. */
  truncated: boolean;
}

const MAX_NODES = 500;

/** Walks lineage up (where did this come from) or down (what was made from it). */
export class LineageService {
  constructor(
    private readonly datasets: DatasetService,
    private readonly links?: LineageLinks,
  ) {}

  async graph(kind: string, id: string, direction: LineageDirection): Promise<LineageGraph> {
    if (!(LINEAGE_KINDS as readonly string[]).includes(kind)) {
      throw new InvalidArgumentError(
        `lineage kind "${kind}": use one of ${LINEAGE_KINDS.join(', ')}`,
        {
          field: 'kind',
        },
      );
    }
    if (direction !== 'up' && direction !== 'down') {
      throw new InvalidArgumentError(`direction "${direction}": use up or down`, {
        field: 'direction',
      });
    }
    const walk = new Walk(this.datasets, this.links, direction);
    const root = await walk.start(kind as LineageKind, id);
    await walk.run();
    return {
      root,
      direction,
      nodes: [...walk.nodes.values()],
      edges: walk.edges,
      truncated: walk.truncated,
    };
  }
}

const versionNode = (v: DatasetVersion): LineageNode => ({
  id: `dataset:${formatRef(v.datasetName, v.version)}`,
  kind: 'dataset',
  label: formatRef(v.datasetName, v.version),
  data: {
    versionId: v.id,
    digest: v.digest,
    rowCount: v.rowCount,
    source: v.source,
    createdAt: v.createdAt,
  },
});

type Pending =
  | { kind: 'dataset'; version: DatasetVersion }
  | { kind: 'transform'; transformId: string }
  | { kind: 'run'; runId: string }
  | { kind: 'model_version'; name: string; version: string };

class Walk {
  readonly nodes = new Map<string, LineageNode>();
  readonly edges: LineageEdge[] = [];
  private readonly edgeKeys = new Set<string>();
  private readonly queue: Pending[] = [];
  truncated = false;

  constructor(
    private readonly datasets: DatasetService,
    private readonly links: LineageLinks | undefined,
    private readonly direction: LineageDirection,
  ) {}

  /** Adds a node; queues it for expansion the first time it is seen. */
  private visit(node: LineageNode, pending: Pending): void {
    if (this.nodes.has(node.id)) return;
    if (this.nodes.size >= MAX_NODES) {
      this.truncated = true;
      return;
    }
    this.nodes.set(node.id, node);
    this.queue.push(pending);
  }

  /** Records a data-flow edge between two nodes, whichever way the walk goes. */
  private link(upstream: string, downstream: string): void {
    const key = `${upstream}→${downstream}`;
    if (this.edgeKeys.has(key) || !this.nodes.has(upstream) || !this.nodes.has(downstream)) return;
    this.edgeKeys.add(key);
    this.edges.push({ from: upstream, to: downstream });
  }

  async start(kind: LineageKind, id: string): Promise<string> {
    switch (kind) {
      case 'dataset': {
        const version = /^[0-9a-f-]{36}$/.test(id)
          ? await this.datasets.store.getVersionById(id)
          : await this.datasets.getVersion(id);
        if (!version) throw new NotFoundError(`dataset version ${id} does not exist`, { id });
        const node = versionNode(version);
        this.visit(node, { kind: 'dataset', version });
        return node.id;
      }
      case 'transform': {
        const transform = await this.datasets.store.getTransform(id);
        if (!transform) throw new NotFoundError(`transform ${id} does not exist`, { id });
        this.visit(this.transformNode(id, transform.kind, transform.spec), {
          kind: 'transform',
          transformId: id,
        });
        return `transform:${id}`;
      }
      case 'run':
        this.visit(runNode(id), { kind: 'run', runId: id });
        return `run:${id}`;
      case 'model_version': {
        const at = id.lastIndexOf('@');
        if (at <= 0) {
          throw new InvalidArgumentError(`model version "${id}": use name@version`, {
            field: 'id',
          });
        }
        const [name, version] = [id.slice(0, at), id.slice(at + 1)];
        this.visit(modelNode(name, version), { kind: 'model_version', name, version });
        return `model_version:${id}`;
      }
    }
  }

  private transformNode(id: string, kind: string, spec: Record<string, unknown>): LineageNode {
    return {
      id: `transform:${id}`,
      kind: 'transform',
      label: `${kind} transform`,
      data: { transformId: id, kind, spec },
    };
  }

  async run(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      if (this.direction === 'up') await this.expandUp(next);
      else await this.expandDown(next);
    }
  }

  private async expandUp(item: Pending): Promise<void> {
    if (item.kind === 'dataset') {
      const { transformId } = item.version;
      if (!transformId) return;
      const transform = await this.datasets.store.getTransform(transformId);
      if (!transform) return;
      const node = this.transformNode(transformId, transform.kind, transform.spec);
      this.visit(node, { kind: 'transform', transformId });
      this.link(node.id, versionNode(item.version).id);
    } else if (item.kind === 'transform') {
      const transform = await this.datasets.store.getTransform(item.transformId);
      for (const input of transform?.inputs ?? []) {
        const version = await this.datasets.store.getVersionById(input.versionId);
        if (!version) continue;
        const node = versionNode(version);
        this.visit(node, { kind: 'dataset', version });
        this.link(node.id, `transform:${item.transformId}`);
      }
      const model = transform && predictingModel(transform);
      if (model) {
        const node = modelNode(model.name, model.version);
        this.visit(node, { kind: 'model_version', ...model });
        this.link(node.id, `transform:${item.transformId}`);
      }
    } else if (item.kind === 'run' && this.links) {
      for (const digest of await this.links.digestsUsedByRun(item.runId)) {
        for (const version of await this.datasets.store.findVersionsByDigest(digest)) {
          const node = versionNode(version);
          this.visit(node, { kind: 'dataset', version });
          this.link(node.id, `run:${item.runId}`);
        }
      }
    } else if (item.kind === 'model_version' && this.links) {
      const runId = await this.links.runOfModelVersion(item.name, item.version);
      if (!runId) return;
      this.visit(runNode(runId), { kind: 'run', runId });
      this.link(`run:${runId}`, `model_version:${item.name}@${item.version}`);
    }
  }

  private async expandDown(item: Pending): Promise<void> {
    if (item.kind === 'dataset') {
      const from = versionNode(item.version).id;
      for (const derived of await this.datasets.store.listDerivedVersions(item.version.id)) {
        const transform = await this.datasets.store.getTransform(derived.transformId);
        if (!transform) continue;
        const t = this.transformNode(derived.transformId, transform.kind, transform.spec);
        this.visit(t, { kind: 'transform', transformId: derived.transformId });
        this.link(from, t.id);
      }
      if (!this.links) return;
      for (const run of await this.links.runsUsingDigest(item.version.digest)) {
        const node = runNode(run.runId, run.runName, run.experimentId);
        this.visit(node, { kind: 'run', runId: run.runId });
        this.link(from, node.id);
      }
    } else if (item.kind === 'transform') {
      for (const version of await this.datasets.store.listVersionsByTransform(item.transformId)) {
        const node = versionNode(version);
        this.visit(node, { kind: 'dataset', version });
        this.link(`transform:${item.transformId}`, node.id);
      }
    } else if (item.kind === 'run' && this.links) {
      for (const mv of await this.links.modelVersionsFromRuns([item.runId])) {
        const node = modelNode(mv.name, mv.version);
        this.visit(node, { kind: 'model_version', name: mv.name, version: mv.version });
        this.link(`run:${item.runId}`, node.id);
      }
    } else if (item.kind === 'model_version') {
      // Predictions a model version made into datasets (ml/batch-predict).
      const from = `model_version:${item.name}@${item.version}`;
      for (const transform of await this.datasets.store.listTransforms('predict')) {
        const model = predictingModel(transform);
        if (model?.name !== item.name || model.version !== item.version) continue;
        const t = this.transformNode(transform.id, transform.kind, transform.spec);
        this.visit(t, { kind: 'transform', transformId: transform.id });
        this.link(from, t.id);
      }
    }
  }
}

/** The registered model version a `predict` transform used, when its spec names one. */
function predictingModel(
  transform: TransformRecord,
): { name: string; version: string } | undefined {
  if (transform.kind !== 'predict') return undefined;
  const { modelName, modelVersion } = transform.spec;
  if (typeof modelName !== 'string' || modelVersion == null) return undefined;
  return { name: modelName, version: String(modelVersion) };
}

function runNode(runId: string, runName?: string, experimentId?: string): LineageNode {
  return {
    id: `run:${runId}`,
    kind: 'run',
    label: runName ?? runId,
    data: { runId, ...(runName ? { runName } : {}), ...(experimentId ? { experimentId } : {}) },
  };
}

function modelNode(name: string, version: string): LineageNode {
  return {
    id: `model_version:${name}@${version}`,
    kind: 'model_version',
    label: `${name}@${version}`,
    data: { name, version },
  };
}
