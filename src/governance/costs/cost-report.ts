/** What a cost report groups by. */
export const COST_DIMENSIONS = ['team', 'model', 'experiment', 'pipeline'] as const;
export type CostDimension = (typeof COST_DIMENSIONS)[number];

/** The prices resources are charged at (configuration `governance.*PriceUsd`). */
export interface RateCard {
  cpuHourUsd: number;
  memoryGibHourUsd: number;
  /** Serving CPU is priced as monitoring prices it. */
  servingCpuHourUsd: number;
}

/** One pipeline step's recorded use and what it costs. */
export interface StepUsage {
  runId: string;
  pipeline: string;
  step: string;
  finishedAt: number;
  cpuSeconds: number;
  wallSeconds: number;
  peakRssBytes: number;
  /** Peak memory held for the step's wall time. */
  gibHours: number;
  team: string;
  model: string;
  experiment: string;
  costUsd: number;
}

/** One deployment's serving use over the report's range. */
export interface ServingUsage {
  deployment: string;
  model: string;
  team: string;
  predictions: number;
  cpuSeconds: number;
  cpuSecondsPer1k: number;
  costUsd: number;
}

export interface CostGroup {
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

export interface CostReport {
  by: CostDimension;
  since: number;
  until: number;
  rates: RateCard;
  groups: CostGroup[];
  totals: Omit<CostGroup, 'key'>;
  steps: StepUsage[];
  serving: ServingUsage[];
  /** Why serving figures are missing, when they are. */
  notes: string[];
}
