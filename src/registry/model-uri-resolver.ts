import { InvalidArgumentError, NotFoundError } from '../core/index.js';
import { storePathOf } from './artifact-location.js';
import { parseModelUri, type ParsedModelUri } from './model-uri.js';
import type { ModelStage, ModelVersion, RunLookup, RunSummary } from './types.js';

/** A model or run URI resolved to where its artifacts are. */
export interface ResolvedModelUri {
  uri: string;
  /** Where the model's files are, e.g. `mlflow-artifacts:/1/<run>/artifacts/model`. */
  artifactUri: string;
  /** The same location as a path in Gyre's artifact store, when it lies inside it. */
  storePath?: string;
  /** The model version a `models:/` URI named. */
  modelVersion?: ModelVersion;
}

/** How the resolver finds versions; RegistryService provides it. Each throws NotFoundError. */
export interface VersionFinder {
  getVersion(name: string, version: number): Promise<ModelVersion>;
  getVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  latestVersion(name: string, stage?: ModelStage): Promise<ModelVersion>;
}

const MAX_URI_HOPS = 5;

/**
 * The one place Gyre turns `models:/name/3`, `models:/name@alias`, `models:/name/latest`,
 * `models:/name/<stage>` and `runs:/<run id>/path` into artifact locations.
 */
export class ModelUriResolver {
  constructor(
    private readonly versions: VersionFinder,
    private readonly runs: RunLookup | undefined,
    private readonly artifactRootUri: string,
  ) {}

  async resolve(uri: string): Promise<ResolvedModelUri> {
    const parsed = parseModelUri(uri);
    let modelVersion: ModelVersion | undefined;
    let artifactUri: string;
    if (parsed.kind === 'run') {
      artifactUri = await this.artifactUriOf(uri);
    } else {
      modelVersion = await this.versionOf(parsed);
      artifactUri = await this.artifactUriOf(modelVersion.source, 1);
    }
    const storePath = storePathOf(artifactUri, this.artifactRootUri);
    return {
      uri,
      artifactUri,
      ...(storePath !== undefined ? { storePath } : {}),
      ...(modelVersion ? { modelVersion } : {}),
    };
  }

  /** Follows `runs:/` and `models:/` indirections to a concrete artifact URI; others pass through. */
  async artifactUriOf(uri: string, hops = 0): Promise<string> {
    if (hops > MAX_URI_HOPS)
      throw new InvalidArgumentError(`model URI ${uri} refers through too many models:/ hops`);
    if (!uri.startsWith('runs:/') && !uri.startsWith('models:/')) return uri;
    const parsed = parseModelUri(uri);
    if (parsed.kind === 'run') {
      const run = await this.requireRun(parsed.runId);
      const root = run.artifactUri.replace(/\/+$/, '');
      return parsed.path ? `${root}/${parsed.path}` : root;
    }
    const version = await this.versionOf(parsed);
    return this.artifactUriOf(version.source, hops + 1);
  }

  /** The run a run id names; NotFoundError when tracking does not know it. */
  async requireRun(runId: string): Promise<RunSummary> {
    if (typeof runId !== 'string' || !/^[A-Za-z0-9][\w-]{0,255}$/.test(runId))
      throw new InvalidArgumentError(`invalid run_id ${JSON.stringify(runId)}`, {
        field: 'run_id',
      });
    const run = this.runs ? await this.runs.getRun(runId) : undefined;
    if (!run) throw new NotFoundError(`Run with id=${runId} not found`, { runId });
    return run;
  }

  private versionOf(parsed: Exclude<ParsedModelUri, { kind: 'run' }>): Promise<ModelVersion> {
    switch (parsed.kind) {
      case 'version':
        return this.versions.getVersion(parsed.name, parsed.version);
      case 'alias':
        return this.versions.getVersionByAlias(parsed.name, parsed.alias);
      case 'latest':
        return this.versions.latestVersion(parsed.name);
      case 'stage':
        return this.versions.latestVersion(parsed.name, parsed.stage);
    }
  }
}
