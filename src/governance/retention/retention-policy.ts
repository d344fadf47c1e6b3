/** The artifact kinds retention knows, in the order a plan lists them. */
export const RETENTION_KINDS = [
  'prediction-log',
  'step-log',
  'run-artifacts',
  'dataset-version',
] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

/** How long each kind is kept (days); `kinds` limits a plan to some of them. */
export interface RetentionPolicy {
  predictionLogDays: number;
  stepLogDays: number;
  runArtifactDays: number;
  datasetVersionDays: number;
  /** The newest versions of each dataset, always kept. */
  datasetKeepLatest: number;
  kinds?: RetentionKind[];
}

/** One thing a plan would delete. */
export interface RetentionItem {
  kind: RetentionKind;
  /** A store path or prefix, `run/step` for a step log, `name@version` for a dataset version. */
  target: string;
  bytes: number;
  /** Epoch ms the age was judged by. */
  at: number;
}

/** What a dry run found: what would go, how much space it frees, and what was protected. */
export interface RetentionPlan {
  policy: RetentionPolicy;
  /** Epoch ms: the plan's reference time. */
  now: number;
  items: RetentionItem[];
  totals: Record<RetentionKind, { count: number; bytes: number }>;
  /** Reachable by lineage from a live deployment (or a monitor's reference): never deleted. */
  protected: { models: string[]; runs: string[]; datasetVersions: string[] };
  /** Items old enough to go that were kept because they are protected. */
  keptProtected: { kind: RetentionKind; target: string }[];
}

/** What applying a plan did. */
export interface RetentionResult extends RetentionPlan {
  deleted: number;
  bytesFreed: number;
  failures: { target: string; error: string }[];
}
