// Wire shapes of the data API the SDK returns as plain JSON (see src/data/types.ts).
export interface Dataset {
  id: string;
  name: string;
  description?: string;
  createdAt: number;
  updatedAt: number;
  latestVersion: number;
}

export interface DatasetVersion {
  id: string;
  datasetName: string;
  version: number;
  digest: string;
  source: string;
  format: string;
  schema: { name: string; type?: string; logicalType?: string; nullable?: boolean }[];
  rowCount: number;
  bytes: number;
  createdBy: string;
  tags: Record<string, string>;
  transformId?: string;
  createdAt: number;
}

export interface ColumnProfile {
  name: string;
  logicalType: string;
  count: number;
  nulls: number;
  nullFraction: number;
  approxDistinct: number;
  distinct?: number;
  min?: number | string;
  max?: number | string;
  mean?: number;
  std?: number;
  histogram?: { edges: number[]; counts: number[] };
  topK?: { value: string; count: number; frequency: number }[];
}

export interface DatasetProfile {
  rowCount: number;
  columns: ColumnProfile[];
}

export interface ValidationReport {
  id: string;
  datasetName: string;
  version?: number;
  suiteName?: string;
  passed: boolean;
  errors: number;
  warnings: number;
  results: {
    expectation: string;
    column?: string;
    severity: 'error' | 'warn';
    passed: boolean;
    observed: unknown;
    expected?: unknown;
    message: string;
  }[];
  createdAt: number;
}
