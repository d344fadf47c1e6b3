/** A run that logged a dataset input (MLflow `log-inputs`) whose digest matched. */
export interface LinkedRun {
  runId: string;
  runName?: string;
  experimentId?: string;
  /** The digest as the run logged it (it may be a prefix of Gyre's sha256, or labelled `sha256:`). */
  digest: string;
}

/** A registered model version trained by a run. */
export interface LinkedModelVersion {
  name: string;
  version: string;
  runId: string;
}

/**
 * What lineage needs from tracking and the model registry, which live in other domains.
 * The composition root supplies an implementation over their services; without one, lineage
 * covers datasets and transforms only.
 */
export interface LineageLinks {
  /** Runs whose logged dataset inputs carry this digest (full sha256 hex). */
  runsUsingDigest(digest: string): Promise<LinkedRun[]>;
  /** Model versions whose source run is one of `runIds`. */
  modelVersionsFromRuns(runIds: string[]): Promise<LinkedModelVersion[]>;
  /**
   * The digests of the dataset inputs a run logged that can name a version (walking up from
   * a run): hex of 8 or more characters, without a `sha256:` label.
   */
  digestsUsedByRun(runId: string): Promise<string[]>;
  /** The run a model version was trained by, if known (walking up from a model version). */
  runOfModelVersion(name: string, version: string): Promise<string | undefined>;
}
