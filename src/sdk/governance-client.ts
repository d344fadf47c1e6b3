import type { HttpClient } from './http-client.js';

/** A model card as Gyre's API returns it (see docs/governance.md for every field). */
export interface ApiModelCard {
  name: string;
  version: number;
  description?: string;
  stage: string;
  aliases: string[];
  tags: Record<string, string>;
  createdAt: number;
  source: string;
  fields: {
    intendedUse?: string;
    owner?: string;
    limitations?: string;
    updatedBy?: string;
    updatedAt?: number;
  };
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
    datasets: {
      ref: string;
      digest: string;
      rowCount: number;
      context?: string;
      direct: boolean;
      columns: Record<string, unknown>[];
      validation: {
        id: string;
        suite?: string;
        passed: boolean;
        errors: number;
        warnings: number;
      }[];
    }[];
  };
  metrics: Record<string, number | null>;
  modelValidation: {
    step: string;
    status: string;
    passed: boolean;
    failures: string[];
    slices: { column: string; value: string; rows: number; metric: number; flagged: boolean }[];
  }[];
  gates: {
    step: string;
    status: string;
    passed: boolean;
    candidateScore?: number;
    championScore?: number;
    championVersion?: string;
    error?: string;
    approvedBy?: string;
  }[];
  deployments: {
    name: string;
    live: boolean;
    revisions: {
      revision: number;
      action: string;
      role: string;
      weight: number;
      createdBy: string;
    }[];
  }[];
  monitoring: { monitor: string; deployment: string; driftShare?: number; openAlerts: unknown[] }[];
  lineage: {
    nodes: { id: string; kind: string; label: string }[];
    edges: { from: string; to: string }[];
  };
  generatedAt: number;
}

export interface ApiCardFields {
  intendedUse?: string;
  owner?: string;
  limitations?: string;
}

export interface ApiPiiTag {
  column: string;
  kind: string;
  taggedBy: string;
  taggedAt: number;
}

export interface ApiPiiScan {
  dataset: string;
  version: number;
  sampledRows: number;
  columns: {
    column: string;
    byName?: string;
    byContent?: { kind: string; matches: number; sampled: number; fraction: number };
    suggested?: string;
    tagged?: string;
  }[];
}

export type ApiRetentionKind = 'prediction-log' | 'step-log' | 'run-artifacts' | 'dataset-version';

export interface ApiRetentionPolicy {
  kinds?: ApiRetentionKind[];
  predictionLogDays?: number;
  stepLogDays?: number;
  runArtifactDays?: number;
  datasetVersionDays?: number;
  datasetKeepLatest?: number;
}

export interface ApiRetentionPlan {
  policy: Required<Omit<ApiRetentionPolicy, 'kinds'>> & { kinds?: ApiRetentionKind[] };
  now: number;
  items: { kind: ApiRetentionKind; target: string; bytes: number; at: number }[];
  totals: Record<ApiRetentionKind, { count: number; bytes: number }>;
  protected: { models: string[]; runs: string[]; datasetVersions: string[] };
  keptProtected: { kind: ApiRetentionKind; target: string }[];
}

export interface ApiRetentionResult extends ApiRetentionPlan {
  deleted: number;
  bytesFreed: number;
  failures: { target: string; error: string }[];
}

export interface ApiCostGroup {
  key: string;
  runs: number;
  steps: number;
  predictions: number;
  cpuSeconds: number;
  wallSeconds: number;
  gibHours: number;
  pipelineUsd: number;
  servingUsd: number;
  totalUsd: number;
}

export interface ApiCostReport {
  by: 'team' | 'model' | 'experiment' | 'pipeline';
  since: number;
  until: number;
  rates: { cpuHourUsd: number; memoryGibHourUsd: number; servingCpuHourUsd: number };
  groups: ApiCostGroup[];
  totals: Omit<ApiCostGroup, 'key'>;
  steps: {
    runId: string;
    pipeline: string;
    step: string;
    finishedAt: number;
    cpuSeconds: number;
    wallSeconds: number;
    peakRssBytes: number;
    gibHours: number;
    team: string;
    model: string;
    experiment: string;
    costUsd: number;
  }[];
  serving: {
    deployment: string;
    model: string;
    team: string;
    predictions: number;
    cpuSeconds: number;
    cpuSecondsPer1k: number;
    costUsd: number;
  }[];
  notes: string[];
}

export interface ApiBudgetStatus {
  name: string;
  scope: 'experiment' | 'model' | 'team';
  target: string;
  amountUsd: number;
  periodDays: number;
  thresholds: number[];
  createdBy: string;
  since: number;
  spentUsd: number;
  fraction: number;
  crossed: number[];
  rules: { threshold: number; rule: string; state: 'ok' | 'firing' }[];
}

const enc = encodeURIComponent;
const cardPath = (name: string, version: number | string) =>
  `/api/v1/models/${enc(name)}/versions/${enc(String(version))}/card`;

/** Typed client of Gyre's governance API: model cards, retention, costs and budgets. */
export class GovernanceClient {
  constructor(private readonly http: HttpClient) {}

  /** The card of a model version as JSON. */
  getCard(name: string, version: number | string) {
    return this.http.request<ApiModelCard>('GET', cardPath(name, version));
  }

  /** The card as a Markdown document. */
  getCardMarkdown(name: string, version: number | string): Promise<string> {
    return this.http.getText(cardPath(name, version), { format: 'md' });
  }

  /** Scans a dataset version (`name` or `name@version`) for personal data: counts, never values. */
  scanPii(dataset: string, options: { sampleRows?: number } = {}) {
    return this.http.request<ApiPiiScan>('POST', `/api/v1/datasets/${enc(dataset)}/pii/scan`, {
      body: options,
    });
  }

  async listPiiTags(dataset: string): Promise<ApiPiiTag[]> {
    return (
      await this.http.request<{ tags: ApiPiiTag[] }>('GET', `/api/v1/datasets/${enc(dataset)}/pii`)
    ).tags;
  }

  /** Tags columns (column → kind; null removes a tag); returns the dataset's tags. */
  async tagPii(dataset: string, tags: Record<string, string | null>): Promise<ApiPiiTag[]> {
    return (
      await this.http.request<{ tags: ApiPiiTag[] }>(
        'PUT',
        `/api/v1/datasets/${enc(dataset)}/pii`,
        {
          body: { tags },
        },
      )
    ).tags;
  }

  /** Retention dry run: the configured policy, overridden by `policy`; nothing is deleted. */
  planRetention(policy: ApiRetentionPolicy = {}) {
    return this.http.request<ApiRetentionPlan>('POST', '/api/v1/retention/plan', { body: policy });
  }

  /** Deletes what the plan lists (admin); live deployments' lineage is never touched. */
  applyRetention(policy: ApiRetentionPolicy = {}) {
    return this.http.request<ApiRetentionResult>('POST', '/api/v1/retention/apply', {
      body: policy,
    });
  }

  /** Costs grouped by team, model, experiment or pipeline; `since` like `30d` or an ISO date. */
  costReport(query: { by?: ApiCostReport['by']; since?: string; until?: string } = {}) {
    return this.http.request<ApiCostReport>('GET', '/api/v1/costs', { query });
  }

  async listBudgets(): Promise<ApiBudgetStatus[]> {
    return (await this.http.request<{ budgets: ApiBudgetStatus[] }>('GET', '/api/v1/budgets'))
      .budgets;
  }

  putBudget(
    name: string,
    budget: {
      scope: ApiBudgetStatus['scope'];
      target: string;
      amountUsd: number;
      periodDays?: number;
      thresholds?: number[];
    },
  ) {
    return this.http.request<
      Omit<ApiBudgetStatus, 'since' | 'spentUsd' | 'fraction' | 'crossed' | 'rules'>
    >('PUT', `/api/v1/budgets/${enc(name)}`, { body: budget });
  }

  async deleteBudget(name: string): Promise<void> {
    await this.http.request('DELETE', `/api/v1/budgets/${enc(name)}`);
  }

  /** Checks every budget now, firing or resolving its threshold alerts. */
  async checkBudgets(): Promise<ApiBudgetStatus[]> {
    return (
      await this.http.request<{ budgets: ApiBudgetStatus[] }>('POST', '/api/v1/budgets/check')
    ).budgets;
  }

  /** Sets intended use, owner or limitations (an empty string clears one). */
  updateCard(name: string, version: number | string, fields: ApiCardFields) {
    return this.http.request<ApiModelCard>('PATCH', cardPath(name, version), { body: fields });
  }
}
