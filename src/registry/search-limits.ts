import { InvalidArgumentError } from '../core/index.js';
import type { SearchQuery } from './search-query.js';
import { refuseNul } from './validation.js';

/** A search as callers send it; omitted fields take MLflow's defaults. */
export interface SearchRequest {
  filter?: string;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
  /** Only versions of this registered model (version searches). */
  modelName?: string;
}

// MLflow's defaults and caps (mlflow/store/model_registry/__init__.py).
const LIMITS = {
  models: { default: 100, max: 1000 },
  versions: { default: 10_000, max: 200_000 },
} as const;

/** Applies defaults and refuses a max_results outside MLflow's range. */
export function normalizeSearch(request: SearchRequest, kind: keyof typeof LIMITS): SearchQuery {
  const { default: fallback, max } = LIMITS[kind];
  const maxResults = request.maxResults ?? fallback;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > max)
    throw new InvalidArgumentError(
      `invalid max_results ${maxResults}: must be an integer from 1 to ${max}`,
      { field: 'max_results' },
    );
  if (request.filter !== undefined) refuseNul('filter', request.filter);
  for (const clause of request.orderBy ?? []) refuseNul('order_by', clause);
  return {
    filter: request.filter?.trim() || undefined,
    maxResults,
    orderBy: request.orderBy ?? [],
    pageToken: request.pageToken || undefined,
    modelName: request.modelName,
  };
}
