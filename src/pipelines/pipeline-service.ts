import { isAbsolute, resolve } from 'node:path';
import { sha256Hex } from '../artifacts/index.js';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  newHexId,
  type Clock,
} from '../core/index.js';
import { decodePageToken, nextPageToken, resolveMaxResults, type Page } from '../search/index.js';
import { topologicalOrder } from './spec/dag-order.js';
import { parsePipelineObject, parsePipelineYaml } from './spec/parse-pipeline.js';
import type { PipelineSpec } from './spec/pipeline-spec.js';
import type { StepCatalog } from './spec/step-catalog.js';
import type { RunObserver } from './runner/run-context.js';
import { resolveParams } from './runner/run-scope.js';
import type { RunSupervisor } from './runner/run-supervisor.js';
import { canonicalJson } from './runner/step-cache.js';
import type { NewRun, PipelineStore } from './store/pipeline-store.js';
import {
  FINISHED_RUN,
  RUN_STATUSES,
  type Pipeline,
  type PipelineRun,
  type PipelineRunDetail,
  type PipelineVersion,
  type RunStatus,
  type RunTrigger,
} from './types.js';

export interface StartRunRequest {
  pipeline: string;
  /** A version number; the latest when omitted. */
  version?: number;
  /** Values by param name; strings are coerced to the declared types. */
  params?: Record<string, unknown>;
  noCache?: boolean;
  trigger?: RunTrigger;
  /** Makes the start idempotent: a second start with the key returns the first run. */
  fireKey?: string;
  schedule?: NewRun['schedule'];
  /** Relative `file` params are read from here (default: the pipeline's directory). */
  baseDir?: string;
}

const RUN_LIMITS = { default: 100, max: 1000 };

/** Pipelines: definitions by name and content, and their runs. */
export class PipelineService {
  constructor(
    readonly store: PipelineStore,
    private readonly supervisor: RunSupervisor,
    readonly catalog: StepCatalog,
    private readonly clock: Clock,
  ) {}

  /** Validates YAML without registering it. */
  parseYaml(text: string, source?: string): PipelineSpec {
    return parsePipelineYaml(text, this.catalog, source);
  }

  /**
   * Registers a definition (YAML text or an object of the same shape). Content decides the
   * version: registering unchanged content returns the existing version.
   */
  async register(input: {
    yaml?: string;
    spec?: unknown;
    source?: string;
    sourceDir?: string;
  }): Promise<{ version: PipelineVersion; created: boolean }> {
    const spec =
      input.yaml !== undefined
        ? parsePipelineYaml(input.yaml, this.catalog, input.source)
        : parsePipelineObject(input.spec, this.catalog, input.source);
    const digest = sha256Hex(canonicalJson({ spec, sourceDir: input.sourceDir ?? null }));
    return this.store.saveVersion(spec, digest, input.sourceDir, this.clock.now());
  }

  async listPipelines(): Promise<Pipeline[]> {
    return this.store.listPipelines();
  }

  async getVersion(name: string, version?: number): Promise<PipelineVersion> {
    const found = await this.store.getVersion(name, version);
    if (!found)
      throw new NotFoundError(
        version === undefined
          ? `pipeline ${name} does not exist`
          : `pipeline ${name} has no version ${version}`,
        { pipeline: name, version },
      );
    return found;
  }

  /** Creates a run (queued) without executing it; with a used fireKey, returns that run. */
  async createRun(request: StartRunRequest): Promise<{ run: PipelineRun; created: boolean }> {
    const version = await this.getVersion(request.pipeline, request.version);
    const params = resolveParams(version.spec, request.params ?? {});
    for (const [name, p] of Object.entries(version.spec.params)) {
      // Given paths are relative to the caller; defaults to the pipeline's own directory.
      const base =
        request.params && name in request.params
          ? (request.baseDir ?? version.sourceDir)
          : version.sourceDir;
      const value = params[name];
      if (p.type === 'file' && typeof value === 'string' && !isAbsolute(value) && base)
        params[name] = resolve(base, value);
    }
    const { runId, created } = await this.store.createRun(
      {
        id: newHexId(),
        pipelineName: version.name,
        pipelineVersion: version.version,
        params,
        trigger: request.trigger ?? { kind: 'manual' },
        noCache: request.noCache ?? false,
        steps: Object.keys(version.spec.steps),
        ...(request.fireKey ? { fireKey: request.fireKey } : {}),
        ...(request.schedule ? { schedule: request.schedule } : {}),
      },
      this.clock.now(),
    );
    return { run: (await this.store.getRun(runId))!, created };
  }

  /** Creates a run and executes it in this process; `done` resolves with its final state. */
  async startRun(
    request: StartRunRequest,
    observer?: RunObserver,
  ): Promise<{ run: PipelineRun; created: boolean; done: Promise<PipelineRun> }> {
    const { run, created } = await this.createRun(request);
    const done = created ? this.supervisor.execute(run.id, observer) : this.waitFor(run.id);
    // Callers that only start a run (HTTP triggers) never await it; its failure is logged.
    done.catch(() => {});
    return { run, created, done };
  }

  /** Resolves when a run (executing anywhere) reaches a final state. */
  async waitFor(runId: string, pollMs = 200): Promise<PipelineRun> {
    for (;;) {
      const run = await this.getRunRecord(runId);
      if (FINISHED_RUN.includes(run.status)) return run;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  private async getRunRecord(runId: string): Promise<PipelineRun> {
    const run = await this.store.getRun(runId);
    if (!run) throw new NotFoundError(`pipeline run ${runId} does not exist`, { runId });
    return run;
  }

  /** A run with its steps, in the order they can run (needs first). */
  async getRun(runId: string): Promise<PipelineRunDetail> {
    const run = await this.getRunRecord(runId);
    const steps = await this.store.listSteps(runId);
    const version = await this.store.getVersion(run.pipelineName, run.pipelineVersion);
    const sorted = version
      ? topologicalOrder(
          Object.fromEntries(Object.entries(version.spec.steps).map(([k, s]) => [k, s.needs])),
        )
      : undefined;
    if (sorted && 'order' in sorted) {
      const rank = new Map(sorted.order.map((s, i) => [s, i]));
      steps.sort((a, b) => (rank.get(a.step) ?? 0) - (rank.get(b.step) ?? 0));
    }
    return { ...run, steps };
  }

  async listRuns(query: {
    pipeline?: string;
    status?: string;
    maxResults?: number;
    pageToken?: string;
  }): Promise<Page<PipelineRun>> {
    if (query.status !== undefined && !(RUN_STATUSES as readonly string[]).includes(query.status))
      throw new InvalidArgumentError(`status must be one of ${RUN_STATUSES.join(', ')}`, {
        field: 'status',
      });
    const cursor = decodePageToken(query.pageToken);
    const limit = resolveMaxResults(query.maxResults, RUN_LIMITS);
    const page = await this.store.listRuns({
      pipelineName: query.pipeline,
      status: query.status as RunStatus | undefined,
      limit,
      offset: cursor.offset,
    });
    const token = nextPageToken(cursor, page.items.length, page.hasMore);
    return { items: page.items, ...(token ? { nextPageToken: token } : {}) };
  }

  /** Asks a run to stop; the process running it kills its steps' process trees. */
  async cancel(runId: string): Promise<PipelineRun> {
    const run = await this.getRunRecord(runId);
    if (FINISHED_RUN.includes(run.status)) return run;
    await this.store.updateRun(runId, { cancelRequested: true });
    this.supervisor.cancelLocal(runId);
    return (await this.store.getRun(runId))!;
  }

  /**
   * Continues an interrupted, failed or cancelled run in this process: finished steps keep
   * their outputs, the rest run again (through the cache unless the run disabled it).
   */
  async resume(
    runId: string,
    observer?: RunObserver,
  ): Promise<{ run: PipelineRun; done: Promise<PipelineRun> }> {
    // A run its crashed owner left `running` is marked interrupted first.
    await this.supervisor.recover();
    const run = await this.getRunRecord(runId);
    if (!FINISHED_RUN.includes(run.status) || run.status === 'succeeded')
      throw new FailedPreconditionError(
        `pipeline run ${runId} is ${run.status}; only interrupted, failed or cancelled runs resume`,
        { runId, status: run.status },
      );
    await this.store.updateRun(runId, {
      status: 'queued',
      ownerId: undefined,
      cancelRequested: false,
      error: undefined,
      finishedAt: undefined,
    });
    return {
      run: (await this.store.getRun(runId))!,
      done: this.supervisor.execute(runId, observer),
    };
  }

  /** Approves the run's gate(s) waiting for a person; an error when nothing waits. */
  async approve(runId: string, by: string, step?: string): Promise<PipelineRunDetail> {
    await this.getRunRecord(runId);
    const approved = await this.store.approve(runId, step, by, this.clock.now());
    if (approved === 0)
      throw new FailedPreconditionError(
        `pipeline run ${runId} has no step${step ? ` ${step}` : ''} waiting for approval`,
        { runId, step },
      );
    return this.getRun(runId);
  }
}
