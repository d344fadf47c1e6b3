import type { CardFields } from '../store/card-field-store.js';

/** A column of a training dataset's profile, as a card shows it: statistics, never values. */
export interface CardColumn {
  name: string;
  logicalType: string;
  nullFraction: number;
  distinct?: number;
  mean?: number;
  std?: number;
  /** Numeric columns only: text minima and maxima are values of the data. */
  min?: number;
  max?: number;
  /** Set when the column is tagged as personal data. */
  pii?: string;
}

/** A data-validation report on a dataset version the model was trained from. */
export interface CardValidationReport {
  id: string;
  suite?: string;
  passed: boolean;
  errors: number;
  warnings: number;
  createdAt: number;
}

export interface CardDataset {
  /** `name@version`. */
  ref: string;
  digest: string;
  rowCount: number;
  /** How the run used it (`training`, `validation`, `test`), when it logged one. */
  context?: string;
  /** True for versions the training run read; false for the ones those were derived from. */
  direct: boolean;
  columns: CardColumn[];
  validation: CardValidationReport[];
}

/** A gate the candidate went through (`registry/gate`), and anyone who approved it. */
export interface CardGate {
  step: string;
  status: string;
  passed: boolean;
  candidateScore?: number;
  championScore?: number;
  championVersion?: string;
  error?: string;
  approvedBy?: string;
  approvedAt?: number;
}

/** A model validation suite's outcome (`ml/validate-model`). */
export interface CardModelValidation {
  step: string;
  status: string;
  passed: boolean;
  failures: string[];
  /** Slice → metric values, with `flagged` for slices worse than the whole by the threshold. */
  slices: { column: string; value: string; rows: number; metric: number; flagged: boolean }[];
}

export interface CardRevision {
  revision: number;
  action: string;
  /** The part this version played: primary, candidate or shadow, with its weight. */
  role: string;
  weight: number;
  createdBy: string;
  reason?: string;
  createdAt: number;
}

export interface CardDeployment {
  name: string;
  /** True when the deployment's current revision routes to this version. */
  live: boolean;
  revisions: CardRevision[];
}

export interface CardMonitor {
  monitor: string;
  deployment: string;
  lastWindowEnd?: number;
  driftShare?: number;
  datasetDrift?: boolean;
  openAlerts: { rule: string; severity: string; state: string; since: number }[];
}

/** Everything Gyre knows about one registered model version, for people who must answer for it. */
export interface ModelCard {
  name: string;
  version: number;
  description?: string;
  stage: string;
  aliases: string[];
  tags: Record<string, string>;
  createdAt: number;
  source: string;
  /** Intended use, owner and known limitations: written by people (PATCH the card). */
  fields: CardFields;
  training: {
    runId?: string;
    pipelineRun?: {
      id: string;
      pipeline: string;
      version: number;
      status: string;
      trigger: string;
    };
    params: Record<string, string>;
    datasets: CardDataset[];
  };
  /** The training run's latest metrics, as registered, and what evaluation steps measured. */
  metrics: Record<string, number>;
  modelValidation: CardModelValidation[];
  gates: CardGate[];
  deployments: CardDeployment[];
  monitoring: CardMonitor[];
  /** The lineage walked up from the version: dataset versions, transforms, runs. */
  lineage: {
    nodes: { id: string; kind: string; label: string }[];
    edges: { from: string; to: string }[];
  };
  generatedAt: number;
}
