import type { ArtifactStore } from '../artifacts/index.js';
import {
  InvalidArgumentError,
  NotFoundError,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
} from '../core/index.js';
import { storePathOf } from './artifact-location.js';
import { readMlmodel } from './mlmodel.js';
import { ModelUriResolver, type ResolvedModelUri } from './model-uri-resolver.js';
import { normalizeSearch, type ResultLimits, type SearchRequest } from '../search/index.js';
import type { RegistryStore, VersionSearchRequest } from './store.js';
import type {
  Lineage,
  ModelStage,
  ModelVersion,
  ModelVersionStatus,
  Page,
  RegisteredModel,
  RegisteredModelDetail,
  RunLookup,
} from './types.js';
import {
  parseStage,
  refuseNul,
  validateAlias,
  validateDescription,
  validateModelName,
  validateSource,
  validateTag,
  validateTags,
  validateVersion,
} from './validation.js';

// MLflow's defaults and caps (mlflow/store/model_registry/__init__.py).
const MODEL_LIMITS: ResultLimits = { default: 100, max: 1000 };
const VERSION_LIMITS: ResultLimits = { default: 10_000, max: 200_000 };

export interface RegistryServiceDeps {
  store: RegistryStore;
  /** Where version sources live; MLmodel files are read through it and nowhere else. */
  artifacts: ArtifactStore;
  /** Tracking's runs, for lineage and `runs:/` URIs; without it run ids are refused. */
  runs?: RunLookup;
  clock?: Clock;
  logger?: Logger;
}

export interface CreateModelVersionInput {
  name: string;
  source: string;
  runId?: string;
  runLink?: string;
  description?: string;
  tags?: Record<string, string>;
}

/** The model registry: registered models, numbered versions, tags, aliases, stages, lineage. */
export class RegistryService {
  private readonly store: RegistryStore;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly uris: ModelUriResolver;

  constructor(private readonly deps: RegistryServiceDeps) {
    this.uris = new ModelUriResolver(this, deps.runs, deps.artifacts.rootUri);
    this.store = deps.store;
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
  }

  async createModel(input: {
    name: string;
    description?: string;
    tags?: Record<string, string>;
  }): Promise<RegisteredModelDetail> {
    const model = await this.store.createModel(
      {
        name: validateModelName(input.name),
        description: validateDescription(input.description),
        tags: validateTags(input.tags),
      },
      this.clock.now(),
    );
    return { ...model, latestVersions: [] };
  }

  async getModel(name: string): Promise<RegisteredModelDetail> {
    const model = await this.store.getModel(validateModelName(name));
    if (!model) throw new NotFoundError(`Registered Model with name=${name} not found`, { name });
    return this.withLatest(model);
  }

  private async withLatest(model: RegisteredModel): Promise<RegisteredModelDetail> {
    const latest = await this.store.latestVersionPerStage([model.name]);
    return { ...model, latestVersions: latest.get(model.name) ?? [] };
  }

  async renameModel(name: string, newName: string): Promise<RegisteredModelDetail> {
    const model = await this.store.renameModel(
      validateModelName(name),
      validateModelName(newName, 'new_name'),
      this.clock.now(),
    );
    return this.withLatest(model);
  }

  async updateModel(name: string, patch: { description?: string }): Promise<RegisteredModelDetail> {
    const model = await this.store.updateModel(
      validateModelName(name),
      { description: validateDescription(patch.description) },
      this.clock.now(),
    );
    return this.withLatest(model);
  }

  async deleteModel(name: string): Promise<void> {
    return this.store.deleteModel(validateModelName(name));
  }

  async setModelTag(name: string, key: string, value: string): Promise<void> {
    const tag = validateTag(key, value);
    await this.store.setModelTag(validateModelName(name), tag.key, tag.value, this.clock.now());
  }

  async deleteModelTag(name: string, key: string): Promise<void> {
    return this.store.deleteModelTag(validateModelName(name), validateTag(key, '').key);
  }

  async searchModels(request: SearchRequest): Promise<Page<RegisteredModelDetail>> {
    const page = await this.store.searchModels(normalizeSearch(request, MODEL_LIMITS));
    // One query for every model's latest versions, not one per model.
    const latest = await this.store.latestVersionPerStage(page.items.map((m) => m.name));
    return {
      ...page,
      items: page.items.map((m) => ({ ...m, latestVersions: latest.get(m.name) ?? [] })),
    };
  }

  /** The newest version in each of `stages` (every stage when none are given). */
  async getLatestVersions(name: string, stages: string[] = []): Promise<ModelVersion[]> {
    const model = await this.getModel(name);
    if (stages.length === 0) return model.latestVersions;
    const wanted = new Set(stages.map((s) => parseStage(s, 'stages')));
    return model.latestVersions.filter((v) => wanted.has(v.stage));
  }

  async createVersion(input: CreateModelVersionInput): Promise<ModelVersion> {
    const name = validateModelName(input.name);
    const source = validateSource(input.source);
    if (input.runLink !== undefined) refuseNul('run_link', input.runLink);
    const tags = validateTags(input.tags);
    const description = validateDescription(input.description);
    if (!(await this.store.getModel(name)))
      throw new NotFoundError(`Registered Model with name=${name} not found`, { name });
    const lineage = input.runId ? await this.lineageOf(input.runId) : undefined;

    let status: ModelVersionStatus = 'READY';
    let statusMessage: string | undefined;
    let metadata;
    const resolved = await this.uris.artifactUriOf(source);
    const storePath = storePathOf(resolved, this.deps.artifacts.rootUri);
    if (storePath !== undefined) {
      const mlmodel = await readMlmodel(this.deps.artifacts, storePath);
      if (mlmodel.kind === 'read') metadata = mlmodel.metadata;
      if (mlmodel.kind === 'invalid') {
        status = 'FAILED_REGISTRATION';
        statusMessage = mlmodel.message;
      }
    }
    const version = await this.store.createVersion(
      name,
      {
        source,
        runId: input.runId,
        runLink: input.runLink || undefined,
        description,
        tags,
        status,
        statusMessage,
        metadata,
        lineage,
      },
      this.clock.now(),
    );
    if (input.runId && this.deps.runs?.recordModelOutput) {
      // The version is committed; a failure to note it on the run must not undo or hide that.
      await this.deps.runs
        .recordModelOutput(input.runId, { name, version: version.version })
        .catch((error: unknown) =>
          this.logger.warn({ err: error, runId: input.runId }, 'could not record run output'),
        );
    }
    return version;
  }

  private async lineageOf(runId: string): Promise<Lineage> {
    const run = await this.uris.requireRun(runId);
    return { runId: run.runId, datasets: run.datasets, metrics: run.metrics };
  }

  async getVersion(name: string, version: string | number): Promise<ModelVersion> {
    const n = validateVersion(version);
    const found = await this.store.getVersion(validateModelName(name), n);
    if (!found)
      throw new NotFoundError(`Model Version (name=${name}, version=${n}) not found`, {
        name,
        version: n,
      });
    return found;
  }

  async updateVersion(
    name: string,
    version: string | number,
    patch: { description?: string },
  ): Promise<ModelVersion> {
    return this.store.updateVersion(
      validateModelName(name),
      validateVersion(version),
      { description: validateDescription(patch.description) },
      this.clock.now(),
    );
  }

  async transitionStage(
    name: string,
    version: string | number,
    stage: string,
    archiveExistingVersions = false,
  ): Promise<ModelVersion> {
    const target = parseStage(stage);
    if (archiveExistingVersions && target !== 'Staging' && target !== 'Production')
      throw new InvalidArgumentError(
        `cannot archive existing versions when transitioning to '${target}': only Staging and Production are active stages`,
        { field: 'archive_existing_versions' },
      );
    return this.store.transitionStage(
      validateModelName(name),
      validateVersion(version),
      target,
      archiveExistingVersions,
      this.clock.now(),
    );
  }

  async deleteVersion(name: string, version: string | number): Promise<void> {
    return this.store.deleteVersion(validateModelName(name), validateVersion(version));
  }

  async setVersionTag(name: string, version: string | number, key: string, value: string) {
    const tag = validateTag(key, value);
    await this.store.setVersionTag(
      validateModelName(name),
      validateVersion(version),
      tag.key,
      tag.value,
      this.clock.now(),
    );
  }

  async deleteVersionTag(name: string, version: string | number, key: string): Promise<void> {
    return this.store.deleteVersionTag(
      validateModelName(name),
      validateVersion(version),
      validateTag(key, '').key,
    );
  }

  async searchVersions(request: VersionSearchRequest): Promise<Page<ModelVersion>> {
    return this.store.searchVersions({
      ...normalizeSearch(request, VERSION_LIMITS),
      modelName: request.modelName,
    });
  }

  /** Where a version's files can be downloaded from: its source with `runs:/`/`models:/` resolved. */
  async getDownloadUri(name: string, version: string | number): Promise<string> {
    const found = await this.getVersion(name, version);
    return this.uris.artifactUriOf(found.source);
  }

  async setAlias(name: string, alias: string, version: string | number): Promise<void> {
    await this.store.setAlias(
      validateModelName(name),
      validateAlias(alias),
      validateVersion(version),
      this.clock.now(),
    );
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    return this.store.deleteAlias(validateModelName(name), validateAlias(alias));
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const version = await this.store.getAlias(validateModelName(name), validateAlias(alias));
    if (version === undefined)
      throw new NotFoundError(`Registered model alias ${alias} not found`, { name, alias });
    return this.getVersion(name, version);
  }

  /** The newest version, optionally only among those in `stage`; NotFoundError when none. */
  async latestVersion(name: string, stage?: ModelStage): Promise<ModelVersion> {
    await this.getModel(name);
    const found = await this.store.latestVersion(name, stage);
    if (!found)
      throw new NotFoundError(
        `registered model ${name} has no version${stage ? ` in stage ${stage}` : ''}`,
        { name, stage },
      );
    return found;
  }

  /** Resolves `models:/...` and `runs:/...` URIs (see ModelUriResolver). */
  resolveModelUri(uri: string): Promise<ResolvedModelUri> {
    return this.uris.resolve(uri);
  }
}
