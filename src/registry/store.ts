import type {
  Lineage,
  ModelMetadata,
  ModelStage,
  ModelVersion,
  ModelVersionStatus,
  Page,
  RegisteredModel,
} from './types.js';
import type { SearchQuery, SearchRequest } from '../search/index.js';

/** A model-version search, optionally over one registered model's versions. */
export type VersionSearchQuery = SearchQuery & { modelName?: string };
export type VersionSearchRequest = SearchRequest & { modelName?: string };

export interface NewRegisteredModel {
  name: string;
  description?: string;
  tags: Record<string, string>;
}

export interface NewModelVersion {
  source: string;
  runId?: string;
  runLink?: string;
  description?: string;
  tags: Record<string, string>;
  status: ModelVersionStatus;
  statusMessage?: string;
  metadata?: ModelMetadata;
  lineage?: Lineage;
}

/**
 * Persistence of the registry aggregate: registered models with their versions, tags and
 * aliases. Mutations of something missing throw NotFoundError; a duplicate name throws
 * AlreadyExistsError. `now` is epoch milliseconds from the service's clock.
 */
export interface RegistryStore {
  /** Creates a model with its tags in one transaction. */
  createModel(input: NewRegisteredModel, now: number): Promise<RegisteredModel>;
  getModel(name: string): Promise<RegisteredModel | undefined>;
  renameModel(name: string, newName: string, now: number): Promise<RegisteredModel>;
  updateModel(name: string, patch: { description?: string }, now: number): Promise<RegisteredModel>;
  /** Deletes the model with every version, tag and alias. */
  deleteModel(name: string): Promise<void>;
  setModelTag(name: string, key: string, value: string, now: number): Promise<void>;
  /** Deleting a tag that is not there is not an error. */
  deleteModelTag(name: string, key: string): Promise<void>;

  /** Allocates the model's next version number atomically and inserts the version with its tags. */
  createVersion(name: string, input: NewModelVersion, now: number): Promise<ModelVersion>;
  getVersion(name: string, version: number): Promise<ModelVersion | undefined>;
  /** The newest version, optionally only among versions in `stage`. */
  latestVersion(name: string, stage?: ModelStage): Promise<ModelVersion | undefined>;
  /** Per model name: the newest version in each stage that has one, ordered by stage. */
  latestVersionPerStage(names: string[]): Promise<Map<string, ModelVersion[]>>;
  updateVersion(
    name: string,
    version: number,
    patch: { description?: string },
    now: number,
  ): Promise<ModelVersion>;
  /**
   * Moves a version to `stage`; with `archiveExisting`, every other version in that stage moves
   * to Archived in the same transaction.
   */
  transitionStage(
    name: string,
    version: number,
    stage: ModelStage,
    archiveExisting: boolean,
    now: number,
  ): Promise<ModelVersion>;
  /** Deletes a version with its tags and the aliases that pointed at it. */
  deleteVersion(name: string, version: number): Promise<void>;
  setVersionTag(
    name: string,
    version: number,
    key: string,
    value: string,
    now: number,
  ): Promise<void>;
  deleteVersionTag(name: string, version: number, key: string): Promise<void>;

  /** Points `alias` at `version`, replacing what it pointed at before, atomically. */
  setAlias(name: string, alias: string, version: number, now: number): Promise<void>;
  deleteAlias(name: string, alias: string): Promise<void>;
  /** The version number an alias points at, or undefined. */
  getAlias(name: string, alias: string): Promise<number | undefined>;

  searchModels(query: SearchQuery): Promise<Page<RegisteredModel>>;
  searchVersions(query: VersionSearchQuery): Promise<Page<ModelVersion>>;
}
